package fr.actionlogement.territorial.gateway.openapi;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.security.OAuthFlow;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/** The gateway's own document gets the same Keycloak login as the services' documents served here. */
public class GatewayOpenApiFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        var config = ConfigProvider.getConfig();
        String keycloak = config.getOptionalValue("gateway.openapi.keycloak-url", String.class)
                .orElse("http://localhost:8180").replaceAll("/+$", "");
        String realm = config.getOptionalValue("gateway.openapi.realm", String.class).orElse("action-logement");
        String base = keycloak + "/realms/" + realm + "/protocol/openid-connect";
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        OAuthFlow code = OASFactory.createOAuthFlow().authorizationUrl(base + "/auth").tokenUrl(base + "/token")
                .scopes(java.util.Map.of("openid", "OpenID Connect"));
        openAPI.getComponents().addSecurityScheme(OpenApiDocuments.OAUTH_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.OAUTH2).description("Keycloak realm " + realm)
                .flows(OASFactory.createOAuthFlows().authorizationCode(code)));
    }
}

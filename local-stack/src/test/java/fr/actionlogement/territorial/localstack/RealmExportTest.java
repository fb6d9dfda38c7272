package fr.actionlogement.territorial.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The realm export and the launcher agree with the architecture (roles, claims, audience, clients) and with the
 * event contract (topics). The real Keycloak is exercised by the system tests.
 */
class RealmExportTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static JsonNode realm;

    @BeforeAll
    static void read() throws IOException {
        realm = new ObjectMapper().readTree(ROOT.resolve("deploy/keycloak/action-logement-realm.json").toFile());
    }

    @Test
    @DisplayName("the realm has the six roles of the architecture")
    void roles() {
        assertThat(names(realm.path("roles").path("realm"), "name")).containsExactlyInAnyOrder("uesl",
                "delegue-territorial", "cil", "collectivite", "observateur", "admin");
    }

    @Test
    @DisplayName("the tenant attributes are declared, editable by administrators only")
    void userProfile() throws IOException {
        String config = realm.path("components").path("org.keycloak.userprofile.UserProfileProvider").get(0)
                .path("config").path("kc.user.profile.config").get(0).asText();
        JsonNode profile = new ObjectMapper().readTree(config);
        for (String attribute : List.of("cil_id", "collectivite_id", "region")) {
            JsonNode declared = StreamSupport.stream(profile.path("attributes").spliterator(), false)
                    .filter(a -> a.path("name").asText().equals(attribute)).findFirst().orElseThrow();
            assertThat(names(declared.path("permissions").path("edit"), null)).containsExactly("admin");
        }
    }

    @Test
    @DisplayName("every client issuing API tokens adds the territorial-api audience")
    void audience() {
        for (JsonNode client : realm.path("clients")) {
            boolean issuesTokens = client.path("standardFlowEnabled").asBoolean(true)
                    || client.path("serviceAccountsEnabled").asBoolean()
                    || client.path("directAccessGrantsEnabled").asBoolean();
            if (client.path("bearerOnly").asBoolean() || !issuesTokens) {
                continue;
            }
            assertThat(StreamSupport.stream(client.path("protocolMappers").spliterator(), false)
                    .filter(m -> m.path("protocolMapper").asText().equals("oidc-audience-mapper"))
                    .map(m -> m.path("config").path("included.client.audience").asText()))
                    .as(client.path("clientId").asText()).containsExactly("territorial-api");
        }
    }

    @Test
    @DisplayName("public clients use PKCE S256; only the local CLI client has direct access grants")
    void flows() {
        for (JsonNode client : realm.path("clients")) {
            String id = client.path("clientId").asText();
            if (client.path("directAccessGrantsEnabled").asBoolean()) {
                assertThat(id).isEqualTo(TokenClient.LOCAL_CLI_CLIENT);
            }
            if (client.path("publicClient").asBoolean() && client.path("standardFlowEnabled").asBoolean()) {
                assertThat(client.path("attributes").path("pkce.code.challenge.method").asText()).as(id)
                        .isEqualTo("S256");
            }
        }
        assertThat(names(realm.path("clients"), "clientId")).contains("territorial-spa", "swagger-ui",
                "territorial-api", DemoUsers.PARTNER_CIL_DEMO.clientId(),
                DemoUsers.PARTNER_METROPOLE_LYON.clientId());
    }

    @Test
    @DisplayName("one demo user per role, with the claims the launcher prints")
    void demoUsers() {
        for (DemoUsers.Identity identity : DemoUsers.USERS) {
            JsonNode user = StreamSupport.stream(realm.path("users").spliterator(), false)
                    .filter(u -> u.path("username").asText().equals(identity.name())).findFirst().orElseThrow();
            assertThat(names(user.path("realmRoles"), null)).contains(identity.role());
            if (!identity.claims().isEmpty()) {
                String[] claim = identity.claims().split("=");
                assertThat(user.path("attributes").path(claim[0]).get(0).asText()).isEqualTo(claim[1]);
            }
        }
    }

    @Test
    @DisplayName("the launcher creates every topic of docs/events/README.md")
    void topicsOfTheEventContract() throws IOException {
        String contract = Files.readString(ROOT.resolve("docs/events/README.md"));
        Matcher m = Pattern.compile("^\\| `([a-z]+\\.[a-z]+\\.v\\d+)` \\|", Pattern.MULTILINE).matcher(contract);
        List<String> documented = new ArrayList<>();
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).isNotEmpty();
        assertThat(LocalStack.EVENT_TOPICS).containsExactlyInAnyOrderElementsOf(documented);
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(field == null ? n.asText() : n.path(field).asText()));
        return names;
    }
}

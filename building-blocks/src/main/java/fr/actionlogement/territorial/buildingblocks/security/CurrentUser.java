package fr.actionlogement.territorial.buildingblocks.security;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The caller as the row-level rules see it: subject, roles and the tenant claims of docs/security.md.
 * Services decide on these, never on the gateway's say-so.
 */
@RequestScoped
public class CurrentUser {

    @Inject
    SecurityIdentity identity;

    @Inject
    JsonWebToken token;

    public boolean isAnonymous() {
        return identity.isAnonymous();
    }

    /** Token subject; the actor recorded in audit entries. */
    public String subject() {
        if (identity.isAnonymous()) {
            return "anonymous";
        }
        String sub = token.getSubject();
        return sub != null ? sub : identity.getPrincipal().getName();
    }

    /** Human-readable name (preferred_username) for display next to the subject. */
    public String displayName() {
        String name = token.getClaim("preferred_username");
        return name != null ? name : subject();
    }

    public Set<String> roles() {
        return identity.getRoles();
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }

    /** UESL and admins see and do everything the API offers. */
    public boolean isUeslOrAdmin() {
        return hasRole(Roles.UESL) || hasRole(Roles.ADMIN);
    }

    public Optional<String> cilId() {
        return claim(Claims.CIL_ID);
    }

    public Optional<String> collectiviteId() {
        return claim(Claims.COLLECTIVITE_ID);
    }

    public Optional<String> region() {
        return claim(Claims.REGION);
    }

    private Optional<String> claim(String name) {
        if (identity.isAnonymous()) {
            return Optional.empty();
        }
        Object value = token.getClaim(name);
        if (value == null) {
            return Optional.empty();
        }
        String s = value instanceof jakarta.json.JsonString js ? js.getString() : value.toString();
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }
}

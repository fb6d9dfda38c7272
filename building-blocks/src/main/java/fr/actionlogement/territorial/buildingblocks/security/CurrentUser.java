package fr.actionlogement.territorial.buildingblocks.security;

import java.util.Collection;
import java.util.HashSet;
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

    /**
     * The caller's identity as a party of a convention (docs/security.md, row-level rules): {@code CIL:<siren>} and
     * {@code FILIALE:<siren>} for a CIL user, {@code COLLECTIVITE:<id>} for a local authority; empty for the others.
     */
    public Set<String> partyKeys() {
        Set<String> keys = new HashSet<>();
        if (hasRole(Roles.CIL)) {
            cilId().ifPresent(id -> {
                keys.add(PartyKey.cil(id));
                keys.add(PartyKey.filiale(id));
            });
        }
        if (hasRole(Roles.COLLECTIVITE)) {
            collectiviteId().ifPresent(id -> keys.add(PartyKey.collectivite(id)));
        }
        return keys;
    }

    /**
     * The row-level rule on what has parties and a région, a convention wherever it is read (conventions-service, the
     * observatory's comparison): the UESL and admins see everything; a délégué what is in their région; a CIL or an
     * authority what it is party to. {@code partyKeys} {@code null} (not known) or {@code regionCode} {@code null}
     * grant nothing.
     */
    public boolean seesParties(Collection<String> partyKeys, String regionCode) {
        if (isUeslOrAdmin()) {
            return true;
        }
        if (regionCode != null && hasRole(Roles.DELEGUE_TERRITORIAL) && region().filter(regionCode::equals).isPresent()) {
            return true;
        }
        if (partyKeys == null) {
            return false;
        }
        Set<String> mine = partyKeys();
        return partyKeys.stream().anyMatch(mine::contains);
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

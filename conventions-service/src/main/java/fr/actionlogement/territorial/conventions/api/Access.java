package fr.actionlogement.territorial.conventions.api;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.security.CurrentUser;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.conventions.domain.Convention;
import fr.actionlogement.territorial.conventions.domain.ConventionContent;
import fr.actionlogement.territorial.conventions.domain.PartyType;
import fr.actionlogement.territorial.conventions.domain.Signatory;
import fr.actionlogement.territorial.conventions.persistence.ConventionFilter;

/**
 * Row-level rules (ARCHITECTURE.md, Security): the UESL sees everything; a délégué the conventions of their region;
 * a CIL or authority user only the conventions it is party to. What a caller may not see is answered 404.
 */
@RequestScoped
public class Access {

    @Inject
    CurrentUser user;

    public boolean canSee(Convention c) {
        return user.seesParties(c.partyKeys(), c.regionCode());
    }

    public void requireVisible(Convention c) {
        if (!canSee(c)) {
            throw ProblemException.notFound("Convention", c.conventionId());
        }
    }

    /** achievements are reported by the UESL or by a CIL (or subsidiary) that signed the convention. */
    public void requireAchievementReporter(Convention c) {
        if (user.isUeslOrAdmin()) {
            return;
        }
        String cil = user.cilId().orElse(null);
        boolean signatory = cil != null && user.hasRole(Roles.CIL) && c.content().signatories().stream()
                .anyMatch(s -> cil.equals(s.partyId()) && (s.partyType().name().equals("CIL")
                        || s.partyType().name().equals("FILIALE")));
        if (!signatory) {
            throw ProblemException.forbidden("only the UESL or a signatory CIL records achievements");
        }
    }

    /**
     * who may sign for which party. A CIL user (claim {@code cil_id}) signs for its own CIL or subsidiary, an
     * authority user (claim {@code collectivite_id}) for its own authority; the UESL and admins sign for the UESL
     * and record any other party's signature on its behalf. Returns whether the signature is on the party's behalf.
     */
    public boolean requireSignerFor(PartyType partyType, String partyId) {
        if (partyType == null || partyId == null || partyId.isBlank()) {
            throw ProblemException.invalid("partyId", "partyType and partyId name the party that signs");
        }
        if (user.isUeslOrAdmin()) {
            return partyType != PartyType.UESL;
        }
        boolean own = switch (partyType) {
            case CIL, FILIALE -> user.hasRole(Roles.CIL) && partyId.equals(user.cilId().orElse(null));
            case COLLECTIVITE -> user.hasRole(Roles.COLLECTIVITE)
                    && partyId.equals(user.collectiviteId().orElse(null));
            default -> false;
        };
        if (!own) {
            throw ProblemException.forbidden("a CIL or authority user signs for its own party only; the UESL records"
                    + " the signature of " + partyType + ":" + partyId);
        }
        return false;
    }

    /** Negotiation is the UESL's; the proposing délégué may only complete a draft of their region. */
    public void requireReviser(Convention c) {
        if (user.isUeslOrAdmin()) {
            return;
        }
        if (user.hasRole(Roles.DELEGUE_TERRITORIAL) && c.status().name().equals("DRAFT")) {
            return; // visibility (their region) was checked before
        }
        throw ProblemException.forbidden("the UESL leads the negotiation (R-03); a délégué completes drafts only");
    }

    /**
     * The UESL's own decisions in a content, its concertation for a signatory and its request to sign,
     * are written by UESL users only: a délégué completing a draft keeps them as they are.
     */
    public void requireUeslDecisionsUnchanged(ConventionContent before, ConventionContent after) {
        if (user.isUeslOrAdmin() || after == null) {
            return;
        }
        if (!concertations(before).equals(concertations(after))
                || before != null && before.ueslSignatureRequested() != after.ueslSignatureRequested()
                || before == null && after.ueslSignatureRequested()) {
            throw ProblemException.forbidden(
                    "the UESL's concertation (R-07) and its request to sign (R-08) are recorded by the UESL only");
        }
    }

    private static Map<String, String> concertations(ConventionContent content) {
        Map<String, String> byParty = new HashMap<>();
        if (content != null && content.signatories() != null) {
            for (Signatory s : content.signatories()) {
                if (s != null && s.ueslConcertation() != null && !s.ueslConcertation().isBlank()) {
                    byParty.put(s.key(), s.ueslConcertation().strip());
                }
            }
        }
        return byParty;
    }

    public ConventionFilter filter(String territoryId, String status, String cilId, String campaignId, Integer year) {
        if (user.isUeslOrAdmin()) {
            return new ConventionFilter(territoryId, status, cilId, campaignId, year, true, null, Set.of());
        }
        if (user.hasRole(Roles.DELEGUE_TERRITORIAL) && user.region().isPresent()) {
            return new ConventionFilter(territoryId, status, cilId, campaignId, year, false, user.region().get(),
                    Set.of());
        }
        return new ConventionFilter(territoryId, status, cilId, campaignId, year, false, null, partyKeys());
    }

    /** The caller's identity as a party (its CIL or subsidiary, its local authority), for the collection filter. */
    public Set<String> partyKeys() {
        Set<String> keys = new HashSet<>(user.partyKeys());
        if (keys.isEmpty()) {
            keys.add("-"); // matches nothing
        }
        return keys;
    }

    public String subject() {
        return user.subject();
    }

    public CurrentUser user() {
        return user;
    }
}

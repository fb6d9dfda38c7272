package fr.actionlogement.territorial.partnerships.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.security.CurrentUser;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.partnerships.persistence.AgreementEntity;

/**
 * Row-level rules: a CIL user sees its own CIL's agreements (as CIL or as subsidiary), an authority those it is
 * party to, a délégué its region's, the UESL (and admins) all. An agreement the caller may not see is answered 404,
 * so its existence does not leak.
 */
@RequestScoped
public class AgreementAccess {

    @Inject
    CurrentUser user;

    public boolean canSee(AgreementEntity a) {
        if (user.isUeslOrAdmin()) {
            return true;
        }
        if (user.hasRole(Roles.CIL) && user.cilId().filter(c -> c.equals(a.cilId) || c.equals(a.filialeId)).isPresent()) {
            return true;
        }
        if (user.hasRole(Roles.COLLECTIVITE) && user.collectiviteId().filter(c -> c.equals(a.collectiviteId)).isPresent()) {
            return true;
        }
        return user.hasRole(Roles.DELEGUE_TERRITORIAL)
                && user.region().filter(r -> r.equals(a.regionCode)).isPresent();
    }

    public AgreementEntity requireVisible(AgreementEntity a, Object id) {
        if (a == null || !canSee(a)) {
            throw ProblemException.notFound("Agreement", id);
        }
        return a;
    }

    /** The CIL party (or its subsidiary) prepares, submits and documents its drafts; the UESL may too. */
    public void requireDraftingParty(AgreementEntity a) {
        if (user.isUeslOrAdmin()) {
            return;
        }
        if (user.hasRole(Roles.CIL) && user.cilId().filter(c -> c.equals(a.cilId) || c.equals(a.filialeId)).isPresent()) {
            return;
        }
        throw ProblemException.forbidden("only the agreement's CIL party or the UESL may change this draft");
    }

    /** Signature and end are recorded by either party or by the UESL. */
    public void requireParty(AgreementEntity a) {
        if (user.hasRole(Roles.COLLECTIVITE) && user.collectiviteId().filter(c -> c.equals(a.collectiviteId)).isPresent()) {
            return;
        }
        requireDraftingParty(a);
    }

    /** JPQL condition (and its parameters) restricting a query to the rows the caller may see. */
    public String visibilityClause(Map<String, Object> params) {
        if (user.isUeslOrAdmin()) {
            return "1 = 1";
        }
        List<String> any = new ArrayList<>();
        if (user.hasRole(Roles.CIL) && user.cilId().isPresent()) {
            any.add("(cilId = :myCil or filialeId = :myCil)");
            params.put("myCil", user.cilId().get());
        }
        if (user.hasRole(Roles.COLLECTIVITE) && user.collectiviteId().isPresent()) {
            any.add("collectiviteId = :myCollectivite");
            params.put("myCollectivite", user.collectiviteId().get());
        }
        if (user.hasRole(Roles.DELEGUE_TERRITORIAL) && user.region().isPresent()) {
            any.add("regionCode = :myRegion");
            params.put("myRegion", user.region().get());
        }
        return any.isEmpty() ? "1 = 0" : "(" + String.join(" or ", any) + ")";
    }
}

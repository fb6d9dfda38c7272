package fr.actionlogement.territorial.observatory.api;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import fr.actionlogement.territorial.buildingblocks.security.CurrentUser;
import fr.actionlogement.territorial.buildingblocks.security.PartyKey;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.observatory.domain.Viewer;
import fr.actionlogement.territorial.observatory.persistence.StudyEntity;

/** The caller as this context's row-level rules see it. */
@ApplicationScoped
public class Callers {

    static final String[] PARTNER_ROLES = { Roles.UESL, Roles.ADMIN, Roles.CIL, Roles.COLLECTIVITE,
            Roles.DELEGUE_TERRITORIAL };

    private final CurrentUser user;

    Callers(CurrentUser user) {
        this.user = user;
    }

    CurrentUser user() {
        return user;
    }

    /** The organisation an observation written now is produced by. */
    String producer() {
        if (user.isUeslOrAdmin()) {
            return "UESL";
        }
        if (user.hasRole(Roles.CIL) && user.cilId().isPresent()) {
            return PartyKey.cil(user.cilId().get());
        }
        if (user.hasRole(Roles.COLLECTIVITE) && user.collectiviteId().isPresent()) {
            return PartyKey.collectivite(user.collectiviteId().get());
        }
        return "USER:" + user.subject();
    }

    boolean partner() {
        for (String r : PARTNER_ROLES) {
            if (user.hasRole(r)) {
                return true;
            }
        }
        return false;
    }

    Viewer viewer() {
        return new Viewer(producer(), partner(), user.isUeslOrAdmin());
    }

    /** R-43 aggregates never count drafts: partners see shared and public figures, observers public ones. */
    List<String> aggregateVisibilities() {
        return partner() ? List.of("SHARED", "PUBLIC") : List.of("PUBLIC");
    }

    StudyEntity.Reader studyReader() {
        if (user.isUeslOrAdmin()) {
            return new StudyEntity.Reader(true, List.of(), List.of(), null);
        }
        List<String> cils = user.hasRole(Roles.CIL) ? user.cilId().stream().toList() : List.of();
        List<String> partners = new java.util.ArrayList<>(cils);
        if (user.hasRole(Roles.COLLECTIVITE)) {
            user.collectiviteId().ifPresent(partners::add);
        }
        String region = user.hasRole(Roles.DELEGUE_TERRITORIAL) ? user.region().orElse(null) : null;
        return new StudyEntity.Reader(false, cils, partners, region);
    }
}

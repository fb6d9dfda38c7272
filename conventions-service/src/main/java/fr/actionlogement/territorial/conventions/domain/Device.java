package fr.actionlogement.territorial.conventions.domain;

import java.util.Optional;

/**
 * Action Logement devices (dispositifs) a convention may cite (R-04, R-13 for the 2011 charters, R-15 for the 2013
 * conventions-cadre). A device run by a specific body needs that body among the signatories.
 */
public enum Device {
    MISE_A_DISPOSITION_FONCIER(null),
    CONSTRUCTION_PLUS_PLAI_PLS(null),
    PETITS_LOGEMENTS_JEUNES(null),
    INTERMEDIATION_LOCATIVE(null),
    GRL(PartyType.APAGL),
    EMPLOIS_PERSONNES_PHYSIQUES(null),
    LOGEMENTS_FONCIERE_LOGEMENT(PartyType.FONCIERE_LOGEMENT),
    PRODUCTION_LOGEMENT_SOCIAL(null),
    LOGEMENT_PRIVE_INTERMEDIAIRE(null),
    ACCESSION_SOCIALE_LOCATION_ACCESSION(null),
    OPERATIONS_INNOVANTES(null),
    ACCUEIL_SPECIFIQUE(null),
    ACCOMPAGNEMENT_ENTREPRISES(null);

    private final PartyType runBy;

    Device(PartyType runBy) {
        this.runBy = runBy;
    }

    /** the body that runs this device, when one specific body does. */
    public Optional<PartyType> runBy() {
        return Optional.ofNullable(runBy);
    }
}

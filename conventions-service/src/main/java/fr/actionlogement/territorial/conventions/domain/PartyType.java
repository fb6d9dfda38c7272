package fr.actionlogement.territorial.conventions.domain;

/** Who a signatory or a partner is (shared vocabulary of docs/events/README.md). */
public enum PartyType {
    CIL,
    FILIALE,
    UESL,
    FONCIERE_LOGEMENT,
    APAGL,
    CONFERENCE_TERRITORIALE,
    COLLECTIVITE,
    AUTRE;

    /** A body of the Action Logement network (as opposed to local authorities and other partners). */
    public boolean isActionLogement() {
        return this != COLLECTIVITE && this != AUTRE;
    }
}

package fr.actionlogement.territorial.conventions.domain;

/** the minimum canvas of a territorial convention (note 3554-10 bis, A.2). */
public enum CanvasSection {
    /** (a) CIL interventions developing social and private housing supply for the priority publics. */
    CIL_INTERVENTIONS_OFFRE,
    /** (b) valorisation of Action Logement's financing and housing mobilisation for employment and mobility. */
    VALORISATION_EMPLOI_MOBILITE,
    /** (c) the authority's housing supply policies for the priority publics. */
    ENGAGEMENTS_COLLECTIVITE_OFFRE,
    /** (c) participation of Action Logement representatives in local housing decision bodies. */
    ENGAGEMENTS_COLLECTIVITE_INSTANCES
}

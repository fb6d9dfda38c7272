package fr.actionlogement.territorial.partnerships.domain;

/** investments an agreement may plan ("subventions, prêts, ou participations"). */
public enum InvestmentKind {
    SUBVENTION,
    PRET,
    PARTICIPATION
}

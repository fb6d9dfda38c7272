package fr.actionlogement.territorial.partnerships.domain;

/** One status change, recorded in the agreement's status history and audited. */
public record Transition(AgreementStatus from, AgreementStatus to, String reason) {
}

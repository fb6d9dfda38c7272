package fr.actionlogement.territorial.observatory.domain;

/**
 * Who reads: the producer identity of the caller's organisation ({@code CIL:<siren>}, {@code COLLECTIVITE:<id>},
 * {@code UESL}, or {@code USER:<subject>}), whether the caller is a partner of the observation network (every role
 * but the observer), and whether it is the UESL.
 */
public record Viewer(String producer, boolean partner, boolean ueslOrAdmin) {
}

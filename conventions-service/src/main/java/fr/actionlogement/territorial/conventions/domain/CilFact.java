package fr.actionlogement.territorial.conventions.domain;

/** A CIL or a subsidiary (filiale: {@code parentCilId} set), as registered by territories-service. */
public record CilFact(String cilId, String name, String parentCilId) {
}

package fr.actionlogement.territorial.conventions.domain;

/**
 * A content section of a convention or template; {@code code} names a canvas section or any free code.
 */
public record Section(String code, String title, String text) {
}

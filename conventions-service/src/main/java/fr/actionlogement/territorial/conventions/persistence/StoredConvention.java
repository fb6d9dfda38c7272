package fr.actionlogement.territorial.conventions.persistence;

import fr.actionlogement.territorial.conventions.domain.Convention;

/** A convention as loaded, with its row revision (the HTTP ETag). */
public record StoredConvention(Convention convention, long rev) {
}

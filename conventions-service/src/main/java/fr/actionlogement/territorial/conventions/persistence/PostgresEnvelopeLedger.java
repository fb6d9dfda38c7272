package fr.actionlogement.territorial.conventions.persistence;

import java.util.OptionalLong;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import fr.actionlogement.territorial.buildingblocks.persistence.PlainSql;
import fr.actionlogement.territorial.conventions.domain.EnvelopeLedger;

/**
 * the envelopes, and what live conventions commit on them. The commitments live inside the conventions' JSON
 * documents, so their sum is one aggregate query in plain SQL (see docs/architecture.md), not a load of every
 * convention.
 */
@ApplicationScoped
public class PostgresEnvelopeLedger implements EnvelopeLedger {

    private static final String COUNTED_SQL = EnvelopeLedger.COUNTED.stream().map(s -> "'" + s.name() + "'")
            .sorted().collect(Collectors.joining(", "));

    @Inject
    PlainSql sql;

    /** Locks the envelope's row until the transaction ends (see {@link EnvelopeLedger}). */
    @Override
    public OptionalLong envelope(String cilId, String product, int year) {
        return EnvelopeEntity.lock(cilId, product, year).map(e -> OptionalLong.of(e.amount))
                .orElse(OptionalLong.empty());
    }

    /** What every other convention from the negotiation on ({@link EnvelopeLedger#COUNTED}) commits. */
    @Override
    public long committedElsewhere(String cilId, String product, int year, String excludingConventionId) {
        return committed(cilId, product, year, excludingConventionId);
    }

    public long committed(String cilId, String product, int year, String excludingConventionId) {
        return sql.count("""
                SELECT coalesce(sum((c->>'amount')::bigint), 0) FROM convention v,
                    jsonb_array_elements(v.document->'content'->'commitments') c
                WHERE v.status IN (%s) AND v.id <> ?
                  AND c->>'cilId' = ? AND c->>'product' = ? AND (c->>'year')::int = ?""".formatted(COUNTED_SQL),
                excludingConventionId == null ? "" : excludingConventionId, cilId, product, year);
    }
}

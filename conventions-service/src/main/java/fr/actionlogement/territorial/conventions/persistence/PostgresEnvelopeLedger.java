package fr.actionlogement.territorial.conventions.persistence;

import java.util.OptionalLong;

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

    @Inject
    PlainSql sql;

    @Override
    public OptionalLong envelope(String cilId, String product, int year) {
        return EnvelopeEntity.find(cilId, product, year).map(e -> OptionalLong.of(e.amount))
                .orElse(OptionalLong.empty());
    }

    /** What every other live convention (not terminated) commits on the envelope. */
    @Override
    public long committedElsewhere(String cilId, String product, int year, String excludingConventionId) {
        return committed(cilId, product, year, excludingConventionId);
    }

    public long committed(String cilId, String product, int year, String excludingConventionId) {
        return sql.count("""
                SELECT coalesce(sum((c->>'amount')::bigint), 0) FROM convention v,
                    jsonb_array_elements(v.document->'content'->'commitments') c
                WHERE v.status <> 'TERMINATED' AND v.id <> ?
                  AND c->>'cilId' = ? AND c->>'product' = ? AND (c->>'year')::int = ?""",
                excludingConventionId == null ? "" : excludingConventionId, cilId, product, year);
    }
}

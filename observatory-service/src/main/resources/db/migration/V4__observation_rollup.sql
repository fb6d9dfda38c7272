-- R-44 pre-aggregate: the observations of every région and département (through the closure) and of the national
-- level (NATION:FR: every territory but basins), summed and counted per indicator, public, period and visibility.
-- A région's ten-year window reads a few hundred rows here instead of millions of observations.
--
-- Kept exactly equal to the observations by triggers on observation and on territory_ancestor: every write path
-- (CSV import, single write, correction, publication) and every closure change applies its delta in the same
-- transaction. value_sum is exact (numeric), so sum(value_sum) and
-- sum(value_sum) / sum(observations) equal the un-aggregated sum() and avg() to the last digit
-- (ObservationRollupTest). Rows whose count falls to 0 are kept: readers skip them (HAVING sum(observations) > 0).
--
-- Rolling update: additive. The previous version neither reads nor writes this table, and its writes are rolled up
-- by the triggers like the new version's. The backfill runs in this migration's transaction after the triggers are
-- created; CREATE TRIGGER's lock holds observation writes (not reads) until the migration commits.
CREATE TABLE observation_rollup (
    ancestor_id        TEXT    NOT NULL,
    indicator          TEXT    NOT NULL,
    period_type        "char"  NOT NULL,
    period_start       DATE    NOT NULL,
    public_prioritaire TEXT    NOT NULL,
    visibility         TEXT    NOT NULL,
    value_sum          NUMERIC NOT NULL,
    observations       BIGINT  NOT NULL,
    PRIMARY KEY (ancestor_id, indicator, period_type, period_start, public_prioritaire, visibility)
);

-- Which closure ancestors are rolled up (the national level is added apart, from the territory id).
CREATE FUNCTION observation_rollup_level(ancestor TEXT) RETURNS BOOLEAN
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ancestor LIKE 'REGION:%' OR ancestor LIKE 'DEPARTEMENT:%' $$;

-- The statement that applies signed observations (the rows of a transition table: SELECT territory_id, indicator,
-- public_prioritaire, period_type, period_start, visibility, value, sign) to the rollup, in key order (no deadlock
-- between two writers touching the same rows). Grouped once, by ancestor: the groups are few, the rows many.
CREATE FUNCTION observation_rollup_sql(delta TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $f$
SELECT format($$
    WITH k AS (SELECT a.ancestor_id, x.indicator, x.period_type, x.period_start, x.public_prioritaire, x.visibility,
                      x.sign * x.value AS v, x.sign AS n
               FROM (%1$s) x JOIN territory_ancestor a ON a.territory_id = x.territory_id
               WHERE observation_rollup_level(a.ancestor_id)
               UNION ALL
               SELECT 'NATION:FR', x.indicator, x.period_type, x.period_start, x.public_prioritaire, x.visibility,
                      x.sign * x.value, x.sign
               FROM (%1$s) x WHERE x.territory_id NOT LIKE 'BASSIN:%%')
    INSERT INTO observation_rollup AS r (ancestor_id, indicator, period_type, period_start, public_prioritaire,
                                         visibility, value_sum, observations)
    SELECT ancestor_id, indicator, period_type, period_start, public_prioritaire, visibility, sum(v), sum(n)
    FROM k GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(n) <> 0 OR sum(v) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (ancestor_id, indicator, period_type, period_start, public_prioritaire, visibility) DO UPDATE
        SET value_sum = r.value_sum + EXCLUDED.value_sum, observations = r.observations + EXCLUDED.observations
$$, delta)
$f$;

-- Inserts are rolled up row by row: a statement trigger with a transition table would make COPY into the
-- partitioned table insert row by row too (no batched inserts), halving the import's rate. The CSV import, which
-- writes many rows, sets observatory.rollup_deferred and rolls its batch up in one statement at its end
-- (observation_rollup_batch); every other insert (a single write; a previous version's import during a rolling
-- update) is rolled up here.
CREATE FUNCTION observation_rollup_on_insert() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE observation_rollup_sql('SELECT ($1).territory_id, ($1).indicator, ($1).period_type, ($1).period_start,
        ($1).public_prioritaire, ($1).visibility, ($1).value, 1 AS sign') USING NEW;
    RETURN NULL;
END $$;

-- The rows of one batch, rolled up at once (the CSV import, after its COPY, with observatory.rollup_deferred on).
CREATE FUNCTION observation_rollup_batch(batch BIGINT) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE observation_rollup_sql(format('SELECT territory_id, indicator, period_type, period_start,
        public_prioritaire, visibility, value, 1 AS sign FROM observation WHERE batch_no = %s', batch));
END $$;

CREATE FUNCTION observation_rollup_on_delete() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE observation_rollup_sql('SELECT territory_id, indicator, period_type, period_start, public_prioritaire,
        visibility, value, -1 AS sign FROM old_rows');
    RETURN NULL;
END $$;

CREATE FUNCTION observation_rollup_on_update() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE observation_rollup_sql('SELECT territory_id, indicator, period_type, period_start, public_prioritaire,
        visibility, value, -1 AS sign FROM old_rows
        UNION ALL
        SELECT territory_id, indicator, period_type, period_start, public_prioritaire, visibility, value, 1
        FROM new_rows');
    RETURN NULL;
END $$;

CREATE TRIGGER observation_rollup_insert AFTER INSERT ON observation FOR EACH ROW
    WHEN (current_setting('observatory.rollup_deferred', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION observation_rollup_on_insert();
CREATE TRIGGER observation_rollup_delete AFTER DELETE ON observation
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION observation_rollup_on_delete();
CREATE TRIGGER observation_rollup_update AFTER UPDATE ON observation
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION observation_rollup_on_update();

-- A closure row gained or lost moves its territory's observations in or out of the ancestor's roll-up. The lock
-- waits for the observation writers in flight (their trigger did not see this closure row) and holds new ones
-- until this change commits, so no observation is counted twice or missed. Closure changes are rare (reference
-- events); observations are found per catalogue indicator, through observation_key's two leading columns.
CREATE FUNCTION territory_ancestor_rollup_sql(pairs TEXT, sign INT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $f$
SELECT format($$
    INSERT INTO observation_rollup AS r (ancestor_id, indicator, period_type, period_start, public_prioritaire,
                                         visibility, value_sum, observations)
    SELECT c.ancestor_id, o.indicator, o.period_type, o.period_start, o.public_prioritaire, o.visibility,
           %2$s * sum(o.value), %2$s * count(*)
    FROM (SELECT ancestor_id, territory_id FROM %1$s WHERE observation_rollup_level(ancestor_id)) c
    CROSS JOIN indicator i
    JOIN observation o ON o.indicator = i.code AND o.territory_id = c.territory_id
    GROUP BY 1, 2, 3, 4, 5, 6
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (ancestor_id, indicator, period_type, period_start, public_prioritaire, visibility) DO UPDATE
        SET value_sum = r.value_sum + EXCLUDED.value_sum, observations = r.observations + EXCLUDED.observations
$$, pairs, sign)
$f$;

CREATE FUNCTION territory_ancestor_rollup_on_insert() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows WHERE observation_rollup_level(ancestor_id)) THEN
        LOCK TABLE observation IN SHARE MODE;
        EXECUTE territory_ancestor_rollup_sql('new_rows', 1);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION territory_ancestor_rollup_on_delete() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_rows WHERE observation_rollup_level(ancestor_id)) THEN
        LOCK TABLE observation IN SHARE MODE;
        EXECUTE territory_ancestor_rollup_sql('old_rows', -1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER territory_ancestor_rollup_insert AFTER INSERT ON territory_ancestor
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION territory_ancestor_rollup_on_insert();
CREATE TRIGGER territory_ancestor_rollup_delete AFTER DELETE ON territory_ancestor
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION territory_ancestor_rollup_on_delete();

-- Backfill (the triggers above already see any write that commits after this migration).
INSERT INTO observation_rollup (ancestor_id, indicator, period_type, period_start, public_prioritaire, visibility,
                                value_sum, observations)
SELECT k.ancestor_id, o.indicator, o.period_type, o.period_start, o.public_prioritaire, o.visibility,
       sum(o.value), count(*)
FROM observation o
JOIN LATERAL (SELECT a.ancestor_id FROM territory_ancestor a
              WHERE a.territory_id = o.territory_id AND observation_rollup_level(a.ancestor_id)
              UNION ALL
              SELECT 'NATION:FR' WHERE o.territory_id NOT LIKE 'BASSIN:%') k ON true
GROUP BY 1, 2, 3, 4, 5, 6;

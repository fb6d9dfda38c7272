-- The closure triggers of V4 planned a dynamic statement over the 42 partitions of observation on every closure
-- change: a fresh start's reference load (about 36,000 territories, one closure change each) took nine minutes to
-- consume instead of twenty seconds. Here the same roll-up is static SQL, whose plan PL/pgSQL keeps for the
-- session, and is skipped when there is no observation at all (a fresh database, while the reference loads). The
-- lock still comes first: an observation writer in flight is waited for, then seen.
CREATE OR REPLACE FUNCTION territory_ancestor_rollup_on_insert() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM new_rows WHERE observation_rollup_level(ancestor_id)) THEN
        RETURN NULL;
    END IF;
    LOCK TABLE observation IN SHARE MODE;
    IF NOT EXISTS (SELECT 1 FROM observation) THEN
        RETURN NULL;
    END IF;
    INSERT INTO observation_rollup AS r (ancestor_id, indicator, period_type, period_start, public_prioritaire,
                                         visibility, value_sum, observations)
    SELECT c.ancestor_id, o.indicator, o.period_type, o.period_start, o.public_prioritaire, o.visibility,
           sum(o.value), count(*)
    FROM new_rows c
    CROSS JOIN indicator i
    JOIN observation o ON o.indicator = i.code AND o.territory_id = c.territory_id
    WHERE observation_rollup_level(c.ancestor_id)
    GROUP BY 1, 2, 3, 4, 5, 6
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (ancestor_id, indicator, period_type, period_start, public_prioritaire, visibility) DO UPDATE
        SET value_sum = r.value_sum + EXCLUDED.value_sum, observations = r.observations + EXCLUDED.observations;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION territory_ancestor_rollup_on_delete() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM old_rows WHERE observation_rollup_level(ancestor_id)) THEN
        RETURN NULL;
    END IF;
    LOCK TABLE observation IN SHARE MODE;
    IF NOT EXISTS (SELECT 1 FROM observation) THEN
        RETURN NULL;
    END IF;
    INSERT INTO observation_rollup AS r (ancestor_id, indicator, period_type, period_start, public_prioritaire,
                                         visibility, value_sum, observations)
    SELECT c.ancestor_id, o.indicator, o.period_type, o.period_start, o.public_prioritaire, o.visibility,
           -sum(o.value), -count(*)
    FROM old_rows c
    CROSS JOIN indicator i
    JOIN observation o ON o.indicator = i.code AND o.territory_id = c.territory_id
    WHERE observation_rollup_level(c.ancestor_id)
    GROUP BY 1, 2, 3, 4, 5, 6
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (ancestor_id, indicator, period_type, period_start, public_prioritaire, visibility) DO UPDATE
        SET value_sum = r.value_sum + EXCLUDED.value_sum, observations = r.observations + EXCLUDED.observations;
    RETURN NULL;
END $$;

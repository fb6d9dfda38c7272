-- Search as people type (issue 15): every word of the name is searchable by its beginning, anywhere in the name
-- ("lyon" finds "Métropole de Lyon", "etienne" finds "Saint-Étienne"), with the common abbreviations.
--
-- name_words holds every prefix of every word of name_key (already lower case, without accents or punctuation,
-- computed in Java by Names.searchKey), plus the abbreviations and spelled-out forms below and their prefixes. A
-- typed query is split into words and matches when name_words contains all of them: `name_words @> ARRAY[...]`,
-- which the GIN index serves for any prefix length, one or two letters included (pg_trgm, which the embedded and
-- the usual servers ship, would need three letters and an extension the service's role may not create).
--
-- Rolling update: a stored generated column is computed by PostgreSQL, so the previous version of the service,
-- which never names the column, keeps it right when it loads a data year. Adding it rewrites the table once (about
-- 36,000 rows: a lock of about a second at migration time); the index is built once on the rewritten table.
CREATE FUNCTION territory_search_words(name_key TEXT) RETURNS TEXT[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    WITH words(w) AS (
        SELECT w FROM unnest(string_to_array(name_key, ' ')) AS w WHERE w <> ''
    ), expanded(w) AS (
        SELECT w FROM words
        UNION
        -- A word and what it also answers to: "st" and "ste" are what people type for saint and sainte; EPCI
        -- names begin with CC, CA or CU, which people also spell out.
        SELECT a.alias FROM words JOIN (VALUES
            ('saint', 'st'), ('sainte', 'ste'), ('saints', 'sts'), ('saintes', 'stes'),
            ('cc', 'communaute'), ('cc', 'communes'),
            ('ca', 'communaute'), ('ca', 'agglomeration'),
            ('cu', 'communaute'), ('cu', 'urbaine')) AS a(word, alias) ON a.word = words.w
    )
    SELECT coalesce(array_agg(DISTINCT left(w, n)), '{}') FROM expanded, generate_series(1, length(w)) AS n
$$;

ALTER TABLE territory ADD COLUMN name_words TEXT[] GENERATED ALWAYS AS (territory_search_words(name_key)) STORED;
CREATE INDEX territory_name_words ON territory USING gin (name_words);

-- Name search and its count only look at current territories: a partial index lets the count be an index-only
-- scan once autovacuum has set the visibility map.
CREATE INDEX territory_current_name_key ON territory (name_key, id) WHERE NOT retired;

CREATE TABLE probe_note (
    id      BIGSERIAL PRIMARY KEY,
    text    TEXT   NOT NULL,
    version BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE probe_applied (
    id       BIGSERIAL PRIMARY KEY,
    event_id TEXT NOT NULL,
    payload  TEXT NOT NULL
);

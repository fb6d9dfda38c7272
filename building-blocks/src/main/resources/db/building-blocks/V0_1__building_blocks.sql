-- Tables of the shared building blocks, created in every service's own database (Flyway location
-- db/building-blocks, versions below 1 so that each service's own migrations start at V1).

-- Transactional outbox: written in the caller's transaction, published by the relay, kept a while for audit.
CREATE TABLE outbox_event (
    seq          BIGSERIAL PRIMARY KEY,
    event_id     UUID        NOT NULL UNIQUE,
    topic        TEXT        NOT NULL,
    record_key   TEXT        NOT NULL,
    event_type   TEXT        NOT NULL,
    -- The CloudEvents envelope exactly as it will be sent: published byte for byte, never re-encoded.
    envelope     TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ,
    attempts     INT         NOT NULL DEFAULT 0,
    last_error   TEXT
);
CREATE INDEX outbox_event_pending ON outbox_event (seq) WHERE published_at IS NULL;
CREATE INDEX outbox_event_published ON outbox_event (published_at) WHERE published_at IS NOT NULL;

-- Inbox: ids of the events a consumer has applied, written in the same transaction as the effect.
CREATE TABLE inbox_processed_event (
    consumer     TEXT        NOT NULL,
    event_id     TEXT        NOT NULL,
    event_type   TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- Idempotency-Key: the first response to a create, replayed to a retry of the same request.
CREATE TABLE idempotency_record (
    principal    TEXT        NOT NULL,
    operation    TEXT        NOT NULL,
    idem_key     TEXT        NOT NULL,
    request_hash TEXT        NOT NULL,
    status       INT,
    location     TEXT,
    etag         TEXT,
    body         TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, operation, idem_key)
);
CREATE INDEX idempotency_record_created ON idempotency_record (created_at);

-- Audit log: who (token subject), when, what, why, for every state change.
CREATE TABLE audit_entry (
    id             BIGSERIAL PRIMARY KEY,
    aggregate_type TEXT        NOT NULL,
    aggregate_id   TEXT        NOT NULL,
    action         TEXT        NOT NULL,
    actor          TEXT        NOT NULL,
    occurred_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    reason         TEXT,
    details        JSONB,
    request_id     TEXT
);
CREATE INDEX audit_entry_aggregate ON audit_entry (aggregate_type, aggregate_id, id);

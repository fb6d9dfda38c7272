-- Individual partnership agreements (R-20..R-25).
CREATE TABLE agreement (
    id                       UUID PRIMARY KEY,
    party_type               TEXT        NOT NULL,
    cil_id                   TEXT,
    filiale_id               TEXT,
    collectivite_id          TEXT        NOT NULL,
    territory_id             TEXT        NOT NULL,
    authority_name           TEXT,
    region_code              TEXT,
    object                   TEXT        NOT NULL,
    start_date               DATE,
    duration_months          INT         NOT NULL,
    exclusivity              BOOLEAN     NOT NULL,
    exclusivity_scope        TEXT,
    status                   TEXT        NOT NULL,
    exclusivity_approval     TEXT        NOT NULL,
    investment_opinion       TEXT        NOT NULL,
    uesl_exclusivity_reasons TEXT,
    uesl_investment_opinion  TEXT,
    signed_on                DATE,
    ended_on                 DATE,
    created_by               TEXT        NOT NULL,
    created_at               TIMESTAMPTZ NOT NULL,
    updated_at               TIMESTAMPTZ NOT NULL,
    version                  BIGINT      NOT NULL DEFAULT 0
);
CREATE INDEX agreement_cil ON agreement (cil_id);
CREATE INDEX agreement_filiale ON agreement (filiale_id);
CREATE INDEX agreement_collectivite ON agreement (collectivite_id);
CREATE INDEX agreement_region ON agreement (region_code);
CREATE INDEX agreement_status ON agreement (status);

CREATE TABLE agreement_investment (
    agreement_id UUID          NOT NULL REFERENCES agreement (id) ON DELETE CASCADE,
    position     INT           NOT NULL,
    kind         TEXT          NOT NULL,
    amount       NUMERIC(15,2) NOT NULL,
    description  TEXT,
    PRIMARY KEY (agreement_id, position)
);

CREATE TABLE agreement_status_change (
    agreement_id UUID        NOT NULL REFERENCES agreement (id) ON DELETE CASCADE,
    position     INT         NOT NULL,
    from_status  TEXT,
    to_status    TEXT        NOT NULL,
    changed_at   TIMESTAMPTZ NOT NULL,
    changed_by   TEXT        NOT NULL,
    reason       TEXT,
    PRIMARY KEY (agreement_id, position)
);

-- Draft documents: metadata here, content behind DocumentStore (document_content while it is PostgreSQL).
CREATE TABLE agreement_document (
    id           UUID PRIMARY KEY,
    agreement_id UUID        NOT NULL REFERENCES agreement (id),
    version      INT         NOT NULL,
    file_name    TEXT        NOT NULL,
    content_type TEXT        NOT NULL,
    size_bytes   BIGINT      NOT NULL,
    sha256       TEXT        NOT NULL,
    uploaded_by  TEXT        NOT NULL,
    uploaded_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (agreement_id, version)
);

CREATE TABLE document_content (
    document_id UUID PRIMARY KEY,
    content     BYTEA NOT NULL
);

-- Local read model of territories-service's events.
CREATE TABLE territory_ref (
    territory_id TEXT PRIMARY KEY,
    kind         TEXT    NOT NULL,
    code         TEXT    NOT NULL,
    name         TEXT,
    region_code  TEXT,
    retired      BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE cil_ref (
    cil_id        TEXT PRIMARY KEY,
    name          TEXT,
    parent_cil_id TEXT,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE region_delegue (
    region_code      TEXT PRIMARY KEY,
    delegue_subject  TEXT NOT NULL,
    delegue_username TEXT,
    since            DATE,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- R-23: the délégué territorial's inbox, fed by this service's own PartnershipSubmitted events.
CREATE TABLE delegue_notification (
    id              UUID PRIMARY KEY,
    event_id        TEXT        NOT NULL UNIQUE,
    region_code     TEXT,
    delegue_subject TEXT,
    agreement_id    UUID        NOT NULL,
    party_type      TEXT        NOT NULL,
    cil_id          TEXT,
    collectivite_id TEXT        NOT NULL,
    summary         TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    read_at         TIMESTAMPTZ,
    version         BIGINT      NOT NULL DEFAULT 0
);
CREATE INDEX delegue_notification_region ON delegue_notification (region_code, created_at);
CREATE INDEX delegue_notification_subject ON delegue_notification (delegue_subject, created_at);

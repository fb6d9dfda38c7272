-- conventions-service: campaigns, templates, envelopes, conventions (one row per convention, its state as JSON,
-- the columns the API filters on), the versions of signed conventions, and the read model of territories' facts.

CREATE TABLE campaign (
    id              TEXT PRIMARY KEY,
    name            TEXT        NOT NULL,
    year            INT         NOT NULL,
    cap             INT         NOT NULL CHECK (cap >= 0),
    evaluation_year INT,
    open            BOOLEAN     NOT NULL DEFAULT true,
    rev             BIGINT      NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE template (
    id             TEXT PRIMARY KEY,
    name           TEXT        NOT NULL,
    kind           TEXT        NOT NULL,
    latest_version INT         NOT NULL,
    rev            BIGINT      NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- R-04: template versions are immutable once published.
CREATE TABLE template_version (
    template_id  TEXT        NOT NULL REFERENCES template (id),
    version      INT         NOT NULL,
    document     JSONB       NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    published_by TEXT        NOT NULL,
    PRIMARY KEY (template_id, version)
);

-- R-10: contingent envelopes per CIL, product and year, set by the UESL.
CREATE TABLE envelope (
    id      TEXT PRIMARY KEY,
    cil_id  TEXT   NOT NULL,
    product TEXT   NOT NULL,
    year    INT    NOT NULL,
    amount  BIGINT NOT NULL CHECK (amount >= 0),
    rev     BIGINT NOT NULL DEFAULT 0,
    UNIQUE (cil_id, product, year)
);

CREATE TABLE convention (
    id           TEXT PRIMARY KEY,
    kind         TEXT        NOT NULL,
    campaign_id  TEXT        NOT NULL REFERENCES campaign (id),
    territory_id TEXT        NOT NULL,
    region_code  TEXT,
    status       TEXT        NOT NULL,
    version      INT         NOT NULL,
    rev          BIGINT      NOT NULL DEFAULT 0,
    party_keys   TEXT[]      NOT NULL DEFAULT '{}',
    period_start INT         NOT NULL,
    period_end   INT         NOT NULL,
    signed_on    DATE,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    document     JSONB       NOT NULL
);
CREATE INDEX convention_campaign ON convention (campaign_id, status);
CREATE INDEX convention_territory ON convention (territory_id, signed_on);
CREATE INDEX convention_parties ON convention USING GIN (party_keys);

-- R-14: each signed version (the signature, then every amendment) stays readable.
CREATE TABLE convention_version (
    convention_id TEXT        NOT NULL REFERENCES convention (id),
    version       INT         NOT NULL,
    recorded_at   TIMESTAMPTZ NOT NULL,
    recorded_by   TEXT        NOT NULL,
    reason        TEXT,
    document      JSONB       NOT NULL,
    PRIMARY KEY (convention_id, version)
);

-- Read model of territories-service's facts (territories.reference.v1 and territories.events.v1).
CREATE TABLE rm_territory (
    territory_id TEXT PRIMARY KEY,
    kind         TEXT    NOT NULL,
    code         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    region_code  TEXT,
    epci_siren   TEXT,
    retired      BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE rm_cil (
    cil_id        TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    parent_cil_id TEXT
);

CREATE TABLE rm_cil_presence (
    cil_id       TEXT    NOT NULL,
    territory_id TEXT    NOT NULL,
    present      BOOLEAN NOT NULL,
    since        DATE,
    until        DATE,
    PRIMARY KEY (cil_id, territory_id)
);

CREATE TABLE rm_regional_conference (
    region_code    TEXT PRIMARY KEY,
    member_cil_ids TEXT[] NOT NULL
);

CREATE TABLE rm_delegue (
    region_code      TEXT PRIMARY KEY,
    delegue_subject  TEXT NOT NULL,
    delegue_username TEXT,
    since            DATE
);

CREATE TABLE rm_basin (
    basin_id    TEXT PRIMARY KEY,
    name        TEXT   NOT NULL,
    wave        INT,
    epci_sirens TEXT[] NOT NULL DEFAULT '{}',
    tension     TEXT
);

CREATE TABLE rm_territorial_conference (
    conference_id TEXT PRIMARY KEY,
    basin_id      TEXT NOT NULL,
    installed_on  DATE NOT NULL
);
CREATE INDEX rm_territorial_conference_basin ON rm_territorial_conference (basin_id);

-- R-30: the official territory reference, one row per territory id (<KIND>:<code>, docs/events/README.md).
CREATE TABLE territory (
    id               TEXT PRIMARY KEY,
    kind             TEXT    NOT NULL,
    code             TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    -- Lower case, without accents or punctuation: what the prefix search compares (computed in Java).
    name_key         TEXT    COLLATE "C" NOT NULL,
    zone             TEXT,
    region_code      TEXT,
    departement_code TEXT,
    epci_siren       TEXT,
    ept_siren        TEXT,
    epci_nature      TEXT,
    siren            TEXT,
    postcodes        TEXT[]  NOT NULL DEFAULT '{}',
    population       INT,
    member_communes  TEXT[]  NOT NULL DEFAULT '{}',
    former_codes     TEXT[]  NOT NULL DEFAULT '{}',
    millesime        INT     NOT NULL,
    retired          BOOLEAN NOT NULL DEFAULT false,
    replaced_by      TEXT[]  NOT NULL DEFAULT '{}',
    tension          TEXT,
    tension_source   TEXT,
    -- Hash of the published payload: a load publishes only territories whose payload changed.
    content_hash     TEXT    NOT NULL,
    version          BIGINT  NOT NULL DEFAULT 0
);
-- Byte order (COLLATE "C"): one index serves both the prefix LIKE and the stable ORDER BY name_key, id.
CREATE INDEX territory_name_key ON territory (name_key, id);
CREATE INDEX territory_kind_code ON territory (kind, code);
CREATE INDEX territory_siren ON territory (siren);
CREATE INDEX territory_epci ON territory (epci_siren);
CREATE INDEX territory_ept ON territory (ept_siren);
CREATE INDEX territory_departement ON territory (departement_code);
CREATE INDEX territory_postcodes ON territory USING gin (postcodes);
CREATE INDEX territory_former_codes ON territory USING gin (former_codes);

-- Communes déléguées / associées and arrondissements municipaux: kept for look-ups, not territories of their own.
CREATE TABLE commune_part (
    type        TEXT NOT NULL,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    parent_code TEXT NOT NULL,
    postcodes   TEXT[] NOT NULL DEFAULT '{}',
    millesime   INT  NOT NULL,
    PRIMARY KEY (type, code)
);
CREATE INDEX commune_part_parent ON commune_part (parent_code);

-- Each data year loaded: the start-up load is skipped when the same dataset was already applied.
CREATE TABLE reference_load (
    id             BIGSERIAL PRIMARY KEY,
    source         TEXT        NOT NULL,
    source_version TEXT        NOT NULL,
    millesime      INT         NOT NULL,
    checksum       TEXT        NOT NULL,
    loaded_at      TIMESTAMPTZ NOT NULL,
    created        INT         NOT NULL,
    changed        INT         NOT NULL,
    retired        INT         NOT NULL,
    unchanged      INT         NOT NULL,
    duration_ms    BIGINT      NOT NULL
);

-- R-31: employment basins / urban areas, named sets of EPCI defined by the UESL.
CREATE TABLE basin (
    id             TEXT PRIMARY KEY,          -- BASSIN:<slug>
    slug           TEXT   NOT NULL UNIQUE,
    name           TEXT   NOT NULL,
    wave           INT    NOT NULL,
    tension        TEXT,
    tension_source TEXT,
    protocol_id    TEXT,
    demo_data      BOOLEAN NOT NULL DEFAULT false,
    -- Version last published as BasinDefined (seeded basins are published at start-up).
    published_version BIGINT,
    version        BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE basin_epci (
    basin_id   TEXT NOT NULL REFERENCES basin (id) ON DELETE CASCADE,
    epci_siren TEXT NOT NULL,
    PRIMARY KEY (basin_id, epci_siren)
);
CREATE INDEX basin_epci_siren ON basin_epci (epci_siren);

-- R-32: framework protocols and their waves.
CREATE TABLE framework_protocol (
    id           TEXT PRIMARY KEY,
    title        TEXT   NOT NULL,
    signed_on    DATE   NOT NULL,
    period_start DATE   NOT NULL,
    period_end   DATE   NOT NULL,
    parties      TEXT[] NOT NULL,
    demo_data    BOOLEAN NOT NULL DEFAULT false,
    version      BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE protocol_wave (
    protocol_id TEXT NOT NULL REFERENCES framework_protocol (id) ON DELETE CASCADE,
    wave        INT  NOT NULL,
    label       TEXT NOT NULL,
    starts_on   DATE NOT NULL,
    PRIMARY KEY (protocol_id, wave)
);

-- R-32: one conférence territoriale per basin (and protocol).
CREATE TABLE territorial_conference (
    id           TEXT PRIMARY KEY,
    basin_id     TEXT   NOT NULL REFERENCES basin (id),
    protocol_id  TEXT   NOT NULL REFERENCES framework_protocol (id),
    deadline     DATE   NOT NULL,
    installed_on DATE,
    version      BIGINT NOT NULL DEFAULT 0,
    UNIQUE (basin_id, protocol_id)
);
CREATE TABLE conference_member (
    conference_id TEXT NOT NULL REFERENCES territorial_conference (id) ON DELETE CASCADE,
    organisation  TEXT NOT NULL,
    college       TEXT NOT NULL,
    PRIMARY KEY (conference_id, organisation)
);
-- Exactly once per missed deadline, whatever the number of replicas: the row and its event commit together.
CREATE TABLE conference_overdue_notice (
    conference_id TEXT        NOT NULL REFERENCES territorial_conference (id),
    deadline      DATE        NOT NULL,
    raised_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (conference_id, deadline)
);

-- R-33: programming work the conference is associated with.
CREATE TABLE programming_work (
    id             UUID PRIMARY KEY,
    conference_id  TEXT   NOT NULL REFERENCES territorial_conference (id),
    document_type  TEXT   NOT NULL,
    title          TEXT   NOT NULL,
    authority_id   TEXT   NOT NULL,
    authority_name TEXT   NOT NULL,
    period_start   DATE,
    period_end     DATE,
    associated_on  DATE   NOT NULL,
    status         TEXT   NOT NULL,
    version        BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX programming_work_conference ON programming_work (conference_id);

-- R-34: CILs and their subsidiaries, presence on territories, regional conferences, délégués.
CREATE TABLE cil (
    id            TEXT PRIMARY KEY,    -- SIREN
    name          TEXT   NOT NULL,
    parent_cil_id TEXT REFERENCES cil (id),
    version       BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE cil_presence (
    id           UUID PRIMARY KEY,
    cil_id       TEXT   NOT NULL REFERENCES cil (id),
    territory_id TEXT   NOT NULL,
    since        DATE   NOT NULL,
    until        DATE,
    version      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX cil_presence_cil ON cil_presence (cil_id);
CREATE INDEX cil_presence_territory ON cil_presence (territory_id);
CREATE TABLE regional_conference (
    region_code TEXT PRIMARY KEY,
    version     BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE regional_conference_member (
    region_code TEXT NOT NULL REFERENCES regional_conference (region_code) ON DELETE CASCADE,
    cil_id      TEXT NOT NULL REFERENCES cil (id),
    PRIMARY KEY (region_code, cil_id)
);
CREATE TABLE delegue (
    region_code TEXT PRIMARY KEY,
    subject     TEXT   NOT NULL,
    username    TEXT   NOT NULL,
    since       DATE   NOT NULL,
    version     BIGINT NOT NULL DEFAULT 0
);

-- Which territories and basins a signed convention covers (from ConventionSigned).
CREATE TABLE convention_coverage (
    convention_id TEXT NOT NULL,
    territory_id  TEXT NOT NULL,
    kind          TEXT,
    signed_on     DATE,
    PRIMARY KEY (convention_id, territory_id)
);
CREATE INDEX convention_coverage_territory ON convention_coverage (territory_id);

-- Observatory of employees' housing needs: read models, needs studies, indicators, observations.

-- Territory reference, rebuilt from territories.reference.v1 (TerritoryRegistered).
CREATE TABLE territory (
    territory_id     TEXT PRIMARY KEY,
    kind             TEXT        NOT NULL,
    code             TEXT        NOT NULL,
    name             TEXT,
    region_code      TEXT,
    departement_code TEXT,
    epci_siren       TEXT,
    retired          BOOLEAN     NOT NULL DEFAULT false,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX territory_epci ON territory (epci_siren) WHERE epci_siren IS NOT NULL;

-- Employment basins (BasinDefined): which EPCI each covers.
CREATE TABLE basin_epci (
    basin_id TEXT NOT NULL,
    epci_id  TEXT NOT NULL,
    PRIMARY KEY (basin_id, epci_id)
);
CREATE INDEX basin_epci_epci ON basin_epci (epci_id);

-- Closure of the hierarchy (commune -> EPCI -> departement -> region, EPCI -> basin), self included, so an
-- aggregate of any territory is one indexed join rather than a recursive walk.
CREATE TABLE territory_ancestor (
    ancestor_id  TEXT NOT NULL,
    territory_id TEXT NOT NULL,
    PRIMARY KEY (ancestor_id, territory_id)
);
CREATE INDEX territory_ancestor_territory ON territory_ancestor (territory_id);

-- CILs present on each territory (CilPresenceChanged), for R-40.
CREATE TABLE cil_presence (
    cil_id       TEXT    NOT NULL,
    territory_id TEXT    NOT NULL,
    present      BOOLEAN NOT NULL,
    since        DATE,
    until        DATE,
    PRIMARY KEY (cil_id, territory_id)
);
CREATE INDEX cil_presence_territory ON cil_presence (territory_id);

-- Signed conventions, their objectives and achievements (conventions.events.v1), for R-44.
CREATE TABLE convention (
    convention_id         TEXT PRIMARY KEY,
    version               INT    NOT NULL,
    kind                  TEXT,
    territory_id          TEXT   NOT NULL,
    covered_territory_ids TEXT[] NOT NULL DEFAULT '{}',
    signed_on             DATE
);
CREATE TABLE convention_objective (
    convention_id      TEXT    NOT NULL REFERENCES convention ON DELETE CASCADE,
    objective_id       TEXT    NOT NULL,
    indicator          TEXT    NOT NULL,
    public_prioritaire TEXT,
    year               INT     NOT NULL,
    target             NUMERIC NOT NULL,
    PRIMARY KEY (convention_id, objective_id)
);
CREATE TABLE convention_achievement (
    achievement_id TEXT PRIMARY KEY, -- the achievement id, else the event id
    convention_id TEXT    NOT NULL,
    objective_id  TEXT    NOT NULL,
    value         NUMERIC NOT NULL
);
CREATE INDEX convention_achievement_objective ON convention_achievement (convention_id, objective_id);

-- Catalogue of indicators (R-43): code, unit, definition, and how values combine across territories.
CREATE TABLE indicator (
    code        TEXT PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,59}$'),
    label       TEXT        NOT NULL,
    unit        TEXT        NOT NULL,
    definition  TEXT        NOT NULL,
    aggregation TEXT        NOT NULL CHECK (aggregation IN ('SUM', 'AVERAGE')),
    version     INT         NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO indicator (code, label, unit, definition, aggregation) VALUES
('DEMANDES_LOGEMENT_SALARIES', 'Demandes de logement des salariés', 'demandes',
 'Housing requests filed by employees with the CILs during the period', 'SUM'),
('JEUNES_SALARIES_EMBAUCHES', 'Jeunes salariés embauchés', 'salariés',
 'Employees under 30 hired by the companies of the territory during the period', 'SUM'),
('MOBILITES_PROFESSIONNELLES', 'Mobilités professionnelles', 'salariés',
 'Employees moving to the territory for a job during the period', 'SUM'),
('DEMANDES_LOGEMENT_SOCIAL_SALARIES', 'Demandes de logement social de salariés', 'demandes',
 'Social-housing applications pending from employees at the end of the period', 'SUM'),
('NIVEAU_LOYER', 'Niveau de loyer', 'EUR/m2',
 'Average monthly rent per square metre of dwellings let during the period', 'AVERAGE'),
('CONSTRUCTION_NEUVE', 'Construction neuve', 'logements',
 'Dwellings started for the priority public during the period', 'SUM'),
('ACCES_PARC_SOCIAL', 'Accès au parc social', 'ménages',
 'Employee households housed in social housing during the period', 'SUM'),
('ACCES_PARC_PRIVE', 'Accès au parc privé', 'ménages',
 'Employee households housed in private rental housing during the period', 'SUM');

-- Needs studies (R-40..R-42): the aggregate as JSON, with the columns that filters and row-level rules use.
CREATE TABLE needs_study (
    id                UUID PRIMARY KEY,
    title             TEXT        NOT NULL,
    territory_id      TEXT        NOT NULL,
    region_code       TEXT,
    status            TEXT        NOT NULL,
    launching_cil_ids TEXT[]      NOT NULL,
    financer_ids      TEXT[]      NOT NULL DEFAULT '{}',
    body              JSONB       NOT NULL,
    version           BIGINT      NOT NULL,
    created_by        TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX needs_study_territory ON needs_study (territory_id, created_at, id);
CREATE INDEX needs_study_cils ON needs_study USING gin (launching_cil_ids);

CREATE TABLE needs_study_report (
    study_id     UUID PRIMARY KEY REFERENCES needs_study ON DELETE CASCADE,
    file_name    TEXT        NOT NULL,
    media_type   TEXT        NOT NULL,
    content      BYTEA       NOT NULL,
    uploaded_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Observations (R-43). Every observation belongs to a batch (a CSV import or a single write) that records who
-- produced it; the row itself stays narrow because there are tens of millions of them.
CREATE SEQUENCE observation_batch_seq;
CREATE TABLE observation_batch (
    batch_no      BIGINT PRIMARY KEY,
    import_id     UUID UNIQUE,
    kind          TEXT        NOT NULL CHECK (kind IN ('IMPORT', 'SINGLE')),
    producer      TEXT        NOT NULL,
    created_by    TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    visibility    TEXT        NOT NULL,
    rows_read     BIGINT      NOT NULL DEFAULT 0,
    rows_imported BIGINT      NOT NULL DEFAULT 0,
    rows_rejected BIGINT      NOT NULL DEFAULT 0,
    version       BIGINT      NOT NULL DEFAULT 0
);

CREATE TABLE observation_rejection (
    batch_no BIGINT NOT NULL REFERENCES observation_batch ON DELETE CASCADE,
    line     BIGINT NOT NULL,
    reason   TEXT   NOT NULL,
    content  TEXT,
    PRIMARY KEY (batch_no, line)
);

CREATE SEQUENCE observation_id_seq CACHE 1000;
-- Partitioned by year of the period: queries name a period range (pruning), and old years can be detached.
CREATE TABLE observation (
    id                 BIGINT        NOT NULL DEFAULT nextval('observation_id_seq'),
    batch_no           BIGINT        NOT NULL,
    territory_id       TEXT          NOT NULL,
    indicator          TEXT          NOT NULL,
    public_prioritaire TEXT          NOT NULL,
    period_type        "char"        NOT NULL CHECK (period_type IN ('M', 'Y')),
    period_start       DATE          NOT NULL,
    value              NUMERIC(18, 4) NOT NULL,
    source             TEXT          NOT NULL,
    visibility         TEXT          NOT NULL CHECK (visibility IN ('DRAFT', 'SHARED', 'PUBLIC')),
    version            INT           NOT NULL DEFAULT 0,
    PRIMARY KEY (id, period_start)
) PARTITION BY RANGE (period_start);

DO $$
BEGIN
    FOR y IN 2000..2040 LOOP
        EXECUTE format('CREATE TABLE observation_y%s PARTITION OF observation FOR VALUES FROM (%L) TO (%L)',
                       y, make_date(y, 1, 1), make_date(y + 1, 1, 1));
    END LOOP;
END $$;
CREATE TABLE observation_other PARTITION OF observation DEFAULT;

-- One value per territory, indicator, public, period and source. The same index serves the aggregates
-- (indicator and territory first, then public and period; value and visibility included: index-only scans).
CREATE UNIQUE INDEX observation_key ON observation
    (indicator, territory_id, public_prioritaire, period_start, period_type, source) INCLUDE (value, visibility);
-- Batches are written contiguously: a BRIN index finds a batch for almost no write cost.
CREATE INDEX observation_batch_brin ON observation USING brin (batch_no);

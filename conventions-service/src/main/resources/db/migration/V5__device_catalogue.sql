-- R-04, R-09, R-10: the UESL's device catalogue (dispositifs), reference data the UESL maintains through the API
-- (each change moves rev, is audited and published as DeviceCatalogueChanged). Seeded with the devices the seeds
-- name; codes are those of the closed list it replaces, so existing conventions and templates keep their devices.
-- Additive: a new table, read by the new code only (safe for a rolling update).
CREATE TABLE device (
    code          TEXT PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,63}$'),
    label         TEXT        NOT NULL,
    run_by        TEXT,
    contingent    BOOLEAN     NOT NULL DEFAULT false,
    product_codes TEXT[]      NOT NULL DEFAULT '{}',
    rev           BIGINT      NOT NULL DEFAULT 0,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by    TEXT        NOT NULL DEFAULT 'migration'
);

INSERT INTO device (code, label, run_by, contingent, product_codes) VALUES
    ('MISE_A_DISPOSITION_FONCIER', 'Mise à disposition de fonciers', NULL, false, '{}'),
    ('CONSTRUCTION_PLUS_PLAI_PLS', 'Construction à loyers PLUS/PLAI ou intermédiaires PLS', NULL, false, '{}'),
    ('PETITS_LOGEMENTS_JEUNES', 'Petits logements à loyers accessibles aux jeunes', NULL, false, '{}'),
    ('INTERMEDIATION_LOCATIVE', 'Intermédiation locative', NULL, false, '{}'),
    ('GRL', 'Garantie des risques locatifs', 'APAGL', false, '{}'),
    ('EMPLOIS_PERSONNES_PHYSIQUES', 'Emplois orientés vers les personnes physiques', NULL, false, '{}'),
    ('LOGEMENTS_FONCIERE_LOGEMENT', 'Programmes de logements de Foncière Logement', 'FONCIERE_LOGEMENT', false, '{}'),
    ('PRODUCTION_LOGEMENT_SOCIAL', 'Production de logements sociaux', NULL, false, '{}'),
    ('LOGEMENT_PRIVE_INTERMEDIAIRE', 'Logements privés intermédiaires', NULL, false, '{}'),
    ('ACCESSION_SOCIALE_LOCATION_ACCESSION', 'Accession sociale à la propriété et location-accession', NULL, false, '{}'),
    ('OPERATIONS_INNOVANTES', 'Opérations innovantes', NULL, false, '{}'),
    ('ACCUEIL_SPECIFIQUE', 'Accueil spécifique', NULL, false, '{}'),
    ('ACCOMPAGNEMENT_ENTREPRISES', 'Accompagnement des entreprises', NULL, false, '{}'),
    ('PASS_FONCIER', 'PASS-FONCIER', NULL, true, '{PASS_FONCIER}');

-- R-10: the sum of commitments reads conventions by status (from the negotiation on).
CREATE INDEX convention_status ON convention (status);

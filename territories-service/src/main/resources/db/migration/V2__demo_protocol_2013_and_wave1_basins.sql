-- DEMO DATA (documented in the module README): the 2013 framework protocol and its twelve wave-1 basins.
-- The protocol's parties, signature date and period come from the seed document; the wave start dates and the
-- EPCI making up each basin are illustrative (no official basin dataset can be shipped), as are the tensions.
INSERT INTO framework_protocol (id, title, signed_on, period_start, period_end, parties, demo_data) VALUES
    ('protocole-cadre-2013', 'Protocole-cadre de partenariat associations d''élus - UESL', DATE '2013-06-27',
     DATE '2013-01-01', DATE '2015-12-31', ARRAY['AdCF', 'AMGVF', 'ACUF', 'UESL'], true);
INSERT INTO protocol_wave (protocol_id, wave, label, starts_on) VALUES
    ('protocole-cadre-2013', 1, 'Aires urbaines métropolitaines en tension (2013)', DATE '2013-01-01'),
    ('protocole-cadre-2013', 2, 'Autres grandes aires urbaines', DATE '2014-01-01');

INSERT INTO basin (id, slug, name, wave, tension, tension_source, protocol_id, demo_data) VALUES
    ('BASSIN:ile-de-france', 'ile-de-france', 'Île-de-France', 1, 'Abis', 'Demo data: indicative zonage ABC', 'protocole-cadre-2013', true),
    ('BASSIN:bordeaux', 'bordeaux', 'Bordeaux', 1, 'B1', 'Demo data: indicative zonage ABC', 'protocole-cadre-2013', true),
    ('BASSIN:grenoble', 'grenoble', 'Grenoble', 1, 'B1', 'Demo data: indicative zonage ABC', 'protocole-cadre-2013', true),
    ('BASSIN:lille', 'lille', 'Lille', 1, 'A', 'Demo data: indicative zonage ABC', 'protocole-cadre-2013', true),
    ('BASSIN:lyon', 'lyon', 'Lyon', 1, 'A', 'Demo data: indicative zonage ABC', 'protocole-cadre-2013', true),
    ('BASSIN:marseille', 'marseille', 'Marseille', 1, 'A', 'Demo data: indicative zonage ABC', 'protocole-cadre-2013', true),
    ('BASSIN:montpellier', 'montpellier', 'Montpellier', 1, 'A', 'Demo data: indicative zonage ABC', 'protocole-cadre-2013', true),
    ('BASSIN:nantes', 'nantes', 'Nantes', 1, 'B1', 'Demo data: indicative zonage ABC', 'protocole-cadre-2013', true),
    ('BASSIN:nice', 'nice', 'Nice', 1, 'A', 'Demo data: indicative zonage ABC', 'protocole-cadre-2013', true),
    ('BASSIN:rennes', 'rennes', 'Rennes', 1, 'B1', 'Demo data: indicative zonage ABC', 'protocole-cadre-2013', true),
    ('BASSIN:strasbourg', 'strasbourg', 'Strasbourg', 1, 'B1', 'Demo data: indicative zonage ABC', 'protocole-cadre-2013', true),
    ('BASSIN:toulouse', 'toulouse', 'Toulouse', 1, 'B1', 'Demo data: indicative zonage ABC', 'protocole-cadre-2013', true);

-- EPCI SIRENs of the 2026 reference (millésime of the shipped dataset).
INSERT INTO basin_epci (basin_id, epci_siren) VALUES
    ('BASSIN:ile-de-france', '200054781'),  -- Métropole du Grand Paris
    ('BASSIN:ile-de-france', '200059889'),  -- CU Grand Paris Seine et Oise
    ('BASSIN:bordeaux', '243300316'),       -- Bordeaux Métropole
    ('BASSIN:grenoble', '200040715'),       -- Grenoble-Alpes-Métropole
    ('BASSIN:lille', '200093201'),          -- Métropole Européenne de Lille
    ('BASSIN:lyon', '200046977'),           -- Métropole de Lyon (MET69)
    ('BASSIN:marseille', '200054807'),      -- Métropole d'Aix-Marseille-Provence
    ('BASSIN:montpellier', '243400017'),    -- Montpellier Méditerranée Métropole
    ('BASSIN:nantes', '244400404'),         -- Nantes Métropole
    ('BASSIN:nice', '200030195'),           -- Métropole Nice Côte d'Azur
    ('BASSIN:rennes', '243500139'),         -- Rennes Métropole
    ('BASSIN:strasbourg', '246700488'),     -- Eurométropole de Strasbourg
    ('BASSIN:toulouse', '243100518');       -- Toulouse Métropole

-- Issue 15, point 8: the convention document. The UESL maintains one document template per convention kind
-- (versioned, each version immutable once published); every generated PDF is kept with its SHA-256.
-- New tables only: safe for a rolling update (the previous release never reads them).

CREATE TABLE document_template (
    kind           TEXT PRIMARY KEY,
    latest_version INT         NOT NULL,
    version        BIGINT      NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE document_template_version (
    kind         TEXT        NOT NULL REFERENCES document_template (kind),
    version      INT         NOT NULL,
    document     JSONB       NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    published_by TEXT        NOT NULL,
    PRIMARY KEY (kind, version)
);

-- One row per generated document: at submission for signature, at signature, at each amendment (R-14).
CREATE TABLE convention_document (
    convention_id      TEXT        NOT NULL REFERENCES convention (id),
    number             INT         NOT NULL,
    convention_version INT         NOT NULL,
    stage              TEXT        NOT NULL,
    status             TEXT        NOT NULL,
    template_kind      TEXT        NOT NULL,
    template_version   INT         NOT NULL,
    reason             TEXT,
    sha256             TEXT        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes         INT         NOT NULL,
    content            BYTEA       NOT NULL,
    generated_at       TIMESTAMPTZ NOT NULL,
    generated_by       TEXT        NOT NULL,
    PRIMARY KEY (convention_id, number),
    FOREIGN KEY (template_kind, template_version) REFERENCES document_template_version (kind, version)
);

-- The seeded defaults (version 1 of each kind), from note 3554-10 bis (2011 charters) and the 2013 protocole-cadre.
INSERT INTO document_template (kind, latest_version) VALUES ('TERRITORIALE', 1), ('CADRE_DE_TERRITOIRE', 1);

INSERT INTO document_template_version (kind, version, document, published_at, published_by) VALUES
('TERRITORIALE', 1, $json$
{
  "kind": "TERRITORIALE",
  "version": 1,
  "heading": "Charte territoriale d'Action Logement",
  "reference": "Convention territoriale conclue selon la note de procédure 3554-10 bis sur la déclinaison territoriale des politiques d'Action Logement",
  "preamble": [
    "La présente charte établit une relation de partenariat entre la collectivité et les opérateurs d'Action Logement sur un territoire stratégique au regard du lien entre l'emploi et le logement.",
    "Elle porte sur les priorités de la collectivité et d'Action Logement, en termes d'actions visant à favoriser l'accès au logement des publics prioritaires d'Action Logement : jeunes salariés ; salariés en mobilité ; salariés à statut précaire et/ou à revenus modestes ; accession sociale des salariés à revenus intermédiaires.",
    "Elle a été négociée par l'UESL après concertation des acteurs d'Action Logement en conférence régionale."
  ],
  "headings": {
    "parties": "Les parties",
    "content": "Contenu de la charte",
    "devices": "Dispositifs d'Action Logement mobilisés",
    "objectives": "Objectifs chiffrés",
    "actions": "Ce que chaque partie met en œuvre pour les publics prioritaires",
    "partners": "Autres partenaires de la charte",
    "commitments": "Engagements financiers et enveloppes contingentées",
    "reservationCosts": "Coût des réservations de logements",
    "communication": "Communication autour de la charte",
    "signatures": "Signatures"
  },
  "sectionTitles": {
    "CIL_INTERVENTIONS_OFFRE": "Interventions des CIL pour développer l'offre de logements sociaux et privés pour nos publics prioritaires",
    "VALORISATION_EMPLOI_MOBILITE": "Valorisation d'Action Logement au service de l'emploi et de la mobilité professionnelle des salariés",
    "ENGAGEMENTS_COLLECTIVITE_OFFRE": "Engagements de la collectivité : développement de l'offre de logements au bénéfice des publics prioritaires",
    "ENGAGEMENTS_COLLECTIVITE_INSTANCES": "Engagements de la collectivité : participation de représentants d'Action Logement aux instances de l'habitat"
  },
  "closing": [
    "Les parties s'engagent à communiquer les études de besoins et à respecter les règles de publicité des financements d'Action Logement tout au long de la charte.",
    "Fait en autant d'exemplaires originaux que de parties."
  ]
}$json$::jsonb, now(), 'system'),
('CADRE_DE_TERRITOIRE', 1, $json$
{
  "kind": "CADRE_DE_TERRITOIRE",
  "version": 1,
  "heading": "Convention-cadre de territoire d'Action Logement",
  "reference": "Convention conclue dans le cadre du protocole-cadre de partenariat signé le 27 juin 2013 entre l'UESL et les associations d'élus (AdCF, ACUF, AMGVF)",
  "preamble": [
    "Les parties engagent une coopération opérationnelle sur le bassin d'emploi, en lien avec la conférence territoriale d'Action Logement installée sur ce bassin.",
    "La conférence territoriale est associée aux travaux de programmation de l'habitat afin d'intégrer les besoins en logement des entreprises et des salariés ; les parties partagent les résultats de l'observation de ces besoins au niveau local.",
    "Les objectifs partagés en matière de logement des salariés portent sur les dispositifs existants ou en cours de développement : production de logements sociaux et de logements privés intermédiaires, accession sociale à la propriété et location-accession, opérations innovantes, accueil spécifique, accompagnement des entreprises."
  ],
  "headings": {
    "parties": "Les parties",
    "content": "Contenu de la convention-cadre",
    "devices": "Dispositifs mobilisés",
    "objectives": "Objectifs partagés en matière de logement des salariés",
    "actions": "Actions des parties",
    "partners": "Autres partenaires",
    "commitments": "Engagements financiers",
    "reservationCosts": "Coût des réservations de logements",
    "communication": "Communication et observation des besoins",
    "signatures": "Signatures"
  },
  "sectionTitles": {
    "CIL_INTERVENTIONS_OFFRE": "Interventions des CIL pour développer l'offre de logements",
    "VALORISATION_EMPLOI_MOBILITE": "Logement des salariés, emploi et mobilité professionnelle",
    "ENGAGEMENTS_COLLECTIVITE_OFFRE": "Engagements de la collectivité : politique locale de l'habitat",
    "ENGAGEMENTS_COLLECTIVITE_INSTANCES": "Association de la conférence territoriale à la programmation de l'habitat"
  },
  "closing": [
    "La présente convention-cadre s'inscrit dans la période de coopération 2013/2015 ouverte par le protocole-cadre.",
    "Fait en autant d'exemplaires originaux que de parties."
  ]
}$json$::jsonb, now(), 'system');

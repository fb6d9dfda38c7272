-- R-24: each side's signature (the partner: CIL, subsidiary or national body; the local authority), with who
-- recorded it, when, and on whose behalf. The agreement is SIGNED when the second arrives. Agreements signed before
-- this migration keep their signed_on and have no rows here.
CREATE TABLE agreement_signature (
    agreement_id UUID        NOT NULL REFERENCES agreement (id) ON DELETE CASCADE,
    position     INT         NOT NULL,
    side         TEXT        NOT NULL,
    on_behalf_of TEXT        NOT NULL,
    signed_on    DATE        NOT NULL,
    signed_by    TEXT        NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agreement_id, position)
);

-- R-25: the UESL's recorded choice to stay out of (or join) an agreement of Foncière Logement or APAGL; every
-- decision is kept, the last one applies.
CREATE TABLE agreement_uesl_decision (
    agreement_id UUID        NOT NULL REFERENCES agreement (id) ON DELETE CASCADE,
    position     INT         NOT NULL,
    decision_id  UUID        NOT NULL UNIQUE,
    stays_out    BOOLEAN     NOT NULL,
    decided_on   DATE        NOT NULL,
    decided_by   TEXT        NOT NULL,
    reasons      TEXT        NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agreement_id, position)
);

-- The convention's row-level visibility, as conventions-service decides it (docs/security.md): its région for the
-- délégués and its parties' keys (CIL:<siren>, COLLECTIVITE:<id>, ...) for CIL and authority users. NULL party_keys
-- means not known: the row came from a ConventionSigned/ConventionAmended written before the events carried them,
-- and only the UESL and admins see its comparison until the convention's next event fills them.
-- Additive and safe during a rolling update: the previous version neither reads nor writes these columns.
ALTER TABLE convention ADD COLUMN region_code TEXT;
ALTER TABLE convention ADD COLUMN party_keys TEXT[];

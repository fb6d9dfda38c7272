-- R-01: a convention binds a large agglomeration; the read model keeps the EPCI's nature (TerritoryRegistered's
-- epciNature: METRO, MET69, CU, CA, CC, EPT) to tell a métropole, communauté urbaine or d'agglomération from a
-- communauté de communes. Nullable and without default: safe while an older instance still writes rows without it;
-- the consumer's upsert sets it on the next TerritoryRegistered of each EPCI (a replayed record writes the same value).
-- An EPCI whose nature is still unknown is refused by R-01 until its TerritoryRegistered is received again.
ALTER TABLE rm_territory ADD COLUMN epci_nature TEXT;

-- Hibernate inserts a batch and reads its number back (IDENTITY): the column takes its number from the sequence.
-- Additive and safe during a rolling update: the previous version still passes nextval() explicitly.
ALTER TABLE observation_batch ALTER COLUMN batch_no SET DEFAULT nextval('observation_batch_seq');

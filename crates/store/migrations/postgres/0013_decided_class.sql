-- A household's class of a year is what its decision recognised; when a (correcting) decision
-- recognised another class than the survey's, the survey's is kept here.
ALTER TABLE assessment ADD COLUMN surveyed_class TEXT;

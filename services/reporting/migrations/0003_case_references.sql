-- A partner organisation's own reference for a case (its file number), shown on the page and in exports only to
-- that organisation's accounts.
ALTER TABLE involvements ADD COLUMN case_reference text;

-- An organisation's name (never a person's), shown in mails and on the coordinator page.
ALTER TABLE organisations ADD COLUMN name text;

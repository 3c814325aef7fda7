-- The occupation aimed for, coded by KldB 2010 (five digits), when the partner gave it: a coarse attribute like the
-- target profession, kept after an erasure.
ALTER TABLE participants ADD COLUMN occupation text;

-- A recognition partnership (§16d(3) AufenthG) needs German at A2 and the procedure applied for after entry: the case
-- keeps recruitment's latest language level and residence (coarse codes), and the partnership's employer.
ALTER TABLE cases
    ADD COLUMN language_level       text,
    ADD COLUMN residence            text,
    ADD COLUMN partnership_employer text;

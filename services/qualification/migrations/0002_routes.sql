-- The route a plan follows and the profession that governs it (issue 11): the reference profession of the
-- application or the profession trained for, once recognition named one; the day of the fact that closes a route
-- settled by a fact (statement of comparability, no recognition needed, training completed). Exams sat in parts
-- (a nurse's knowledge test) count attempts per part; '' is the part of an exam sat whole. Coarse codes and dates.
ALTER TABLE participants
    ADD COLUMN reference_profession text,
    ADD COLUMN route                text,
    ADD COLUMN route_closed_on      date;

ALTER TABLE exams ADD COLUMN part text NOT NULL DEFAULT '';
ALTER TABLE exams DROP CONSTRAINT exams_pkey, ADD PRIMARY KEY (participant_id, exam, part);

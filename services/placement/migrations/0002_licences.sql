-- The participant's latest licence to practise, as recognition reported it (a Berufserlaubnis is valid until a
-- day and may be reported expired; a later grant replaces it), and the first day an employment went on without
-- the Berufserlaubnis it relied on. Coarse codes and dates only.
ALTER TABLE placements
    ADD COLUMN licence             text,
    ADD COLUMN licence_valid_until date,
    ADD COLUMN licence_expired     boolean NOT NULL DEFAULT false;

ALTER TABLE offers ADD COLUMN permit_expired_on date;

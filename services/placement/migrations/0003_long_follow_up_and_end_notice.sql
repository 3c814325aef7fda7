-- Issue 12. What recruitment says of the participant that placement needs: the district they live in (official
-- five-digit Kreisschlüssel), whether they are an EU/EEA/Swiss citizen (no §4a(5) AufenthG notice then; NULL: not
-- known, treated as not) and the day they left the programme while the case goes on (completed, or dropped out
-- while employed). An employment keeps the district of its start and, once ended, the employer's notice to the
-- foreigners' authority: the day it learnt of the end, the notice's last day when one is needed, the day it was
-- given. A retention check keeps the district, whether it is still the district of the start, and whether it came
-- after the programme. Coarse codes and dates only.
ALTER TABLE placements
    ADD COLUMN district          text,
    ADD COLUMN eu_citizen        boolean,
    ADD COLUMN left_programme_on date;

ALTER TABLE offers
    ADD COLUMN start_district text,
    ADD COLUMN learned_on     date,
    ADD COLUMN notice_due_on  date,
    ADD COLUMN notified_on    date;

ALTER TABLE retention_checks
    ADD COLUMN district          text,
    ADD COLUMN still_in_district boolean,
    ADD COLUMN after_programme   boolean NOT NULL DEFAULT false;

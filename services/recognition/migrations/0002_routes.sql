-- The route a case follows (shared/contracts/routes.py) and what it needs to know to apply its rules: the country
-- of training (EU/EEA/CH or not), the occupation (KldB 2010), qualification's completion and final exam failure,
-- the missing documents and the day they are due, the profession a vocational training is for. Coarse codes and
-- dates only.
ALTER TABLE cases
    ADD COLUMN route               text,
    ADD COLUMN country_of_training text,
    ADD COLUMN occupation          text,
    ADD COLUMN qualified_on        date,
    ADD COLUMN finally_failed      text,
    ADD COLUMN finally_failed_on   date,
    ADD COLUMN documents_due_on    date,
    ADD COLUMN missing_documents   text[] NOT NULL DEFAULT '{}',
    ADD COLUMN training_profession text;

-- Applications submitted before routes were known take theirs from the reference profession, as
-- `application_route` does; the legal basis was not kept, so for any other profession a partial equivalence says
-- non-regulated and anything else regulated. Their country of training is not known: the stricter third-country
-- rules apply (`trained_in_eu`).
UPDATE cases SET route = CASE
        WHEN reference_profession = 'doctor' THEN 'doctor'
        WHEN reference_profession = 'nursing_professional' THEN 'nurse'
        WHEN reference_profession = 'nursing_assistant' THEN 'regulated'
        WHEN reference_profession = 'home_care' THEN 'non_regulated'
        WHEN outcome = 'partial_equivalence' THEN 'non_regulated'
        ELSE 'regulated'
    END
WHERE reference_profession IS NOT NULL;

-- A participant who dropped out may come back (issue 12, ParticipantReactivated): a withdrawal keeps the state the
-- case was closed in and when, so a reactivation reopens it there and sets again the due dates the close dropped;
-- the day the latest application was submitted, from which its receipt due date is counted again (not known for
-- applications submitted before: the runtime's timers are not a service's to read, so theirs is not set again).
ALTER TABLE cases
    ADD COLUMN submitted_on date,
    ADD COLUMN closed_from  text,
    ADD COLUMN closed_at    timestamptz;

-- Cases closed before: the state they were closed in was not kept. The facts give the latest step taken; where they
-- cannot tell two states apart the earlier one is taken, whose next command the partner can still send (a receipt
-- confirmed with nothing missing looks submitted, a training completed looks in training, counselling held looks
-- opened). A closed case took no command, so it closed when it was last changed, or (a later fact of
-- qualification changed it) earlier: a due date of that span counts as raised before the close and is not set again.
UPDATE cases SET closed_at = updated_at, closed_from = CASE
        WHEN licence IS NOT NULL AND licence <> 'berufserlaubnis' THEN 'licensed'
        WHEN route = 'statement_of_comparability' THEN 'comparability_stated'
        WHEN route = 'no_recognition_needed' THEN 'not_needed'
        WHEN route = 'vocational_training' THEN 'in_training'
        WHEN measure IS NOT NULL THEN 'measure_chosen'
        WHEN outcome IS NOT NULL THEN 'decided'
        WHEN decision_due_on IS NOT NULL THEN 'complete'
        WHEN documents_due_on IS NOT NULL OR missing_documents <> '{}' THEN 'receipt_confirmed'
        WHEN reference_profession IS NOT NULL THEN 'submitted'
        ELSE 'opened'
    END
WHERE state = 'closed';

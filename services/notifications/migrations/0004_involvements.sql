-- Issue 12: the organisations around a participant are parties to the case. Copied from recruitment's events
-- (ParticipantRecruited, OrganisationInvolved, OrganisationReleased, LeadHandedOver); one row per organisation and
-- role it plays. Deleted on erasure.
CREATE TABLE involvements (
    participant_id uuid NOT NULL,
    org_id         text NOT NULL,
    role           text NOT NULL,
    PRIMARY KEY (participant_id, org_id, role)
);

-- lead_org: the organisation leading the case (the registering one until it hands the lead over).
-- paused_on: set from ParticipationPaused until the pause ends; the programme's reminders are not mailed meanwhile.
ALTER TABLE participants ADD COLUMN lead_org text, ADD COLUMN paused_on date;

-- Participants recruited before: their registering organisation leads, in the role events published before
-- `partner_role` existed default to (counselling_centre).
INSERT INTO involvements (participant_id, org_id, role)
SELECT participant_id, partner_org, 'counselling_centre' FROM participants
WHERE recruited AND erased_on IS NULL AND partner_org IS NOT NULL
ON CONFLICT DO NOTHING;
UPDATE participants SET lead_org = partner_org WHERE recruited AND erased_on IS NULL AND partner_org IS NOT NULL;

-- Issue 15: which organisations are involved with which participant, for the check that a partner sends commands
-- only about its own participants (shared/partners.py). Copied from recruitment's events (ParticipantRecruited,
-- OrganisationInvolved, OrganisationReleased, ParticipantErased) by every stage that takes partner commands; the
-- recruitment service checks its own `involvements` instead. A stage that kept such a copy already starts from it.
CREATE TABLE partner_involvements (
    participant_id uuid NOT NULL,
    org_id         text NOT NULL,
    role           text NOT NULL,
    PRIMARY KEY (participant_id, org_id, role)
);

DO $$
BEGIN
    IF to_regclass('involvements') IS NOT NULL THEN
        INSERT INTO partner_involvements (participant_id, org_id, role)
        SELECT participant_id, org_id, role FROM involvements
        ON CONFLICT DO NOTHING;
    END IF;
END
$$;

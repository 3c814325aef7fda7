-- Issue 12: the life cycle (pause, completion, drop-out, return), consent with its evidence, the district and EU
-- citizenship, and the organisations around a participant.

-- The profile's new coarse attributes; the registering organisation's role and the organisation leading the case
-- (the registering one until it hands the lead over). Existing participants were registered by counselling centres.
ALTER TABLE participants
    ADD COLUMN district text,
    ADD COLUMN eu_citizen boolean,
    ADD COLUMN partner_role text NOT NULL DEFAULT 'counselling_centre',
    ADD COLUMN lead_org text;
UPDATE participants SET lead_org = partner_org;
ALTER TABLE participants ALTER COLUMN lead_org SET NOT NULL;

-- The life cycle: the pause under way (cleared on return), and how the participation ended (cleared on reactivation;
-- not known for participants withdrawn before).
ALTER TABLE participants
    ADD COLUMN pause_reason text,
    ADD COLUMN paused_on date,
    ADD COLUMN expected_return_on date,
    ADD COLUMN ended_on date,
    ADD COLUMN result text,
    ADD COLUMN withdrawal_reason text,
    ADD COLUMN dropped_out_in text;

-- Consent with its evidence, one row per scope: the latest grant (day, form version shown, how it was given) and its
-- revocation, if revoked. participants.consents stays the set held now, as ConsentChanged states it. Consents given
-- before the evidence was kept count from the day of registration, without a form version or method.
CREATE TABLE consents (
    participant_id uuid NOT NULL REFERENCES participants ON DELETE CASCADE,
    scope          text NOT NULL,
    given_on       date NOT NULL,
    form_version   text,
    method         text,
    revoked_on     date,
    PRIMARY KEY (participant_id, scope)
);
INSERT INTO consents (participant_id, scope, given_on)
    SELECT participant_id, unnest(consents), (recruited_at AT TIME ZONE 'Europe/Berlin')::date
    FROM participants WHERE status <> 'erased';

-- The organisation registry: organisations are not personal data and stay after a participant's erasure.
CREATE TABLE organisations (
    org_id        text PRIMARY KEY,
    org_kind      text NOT NULL,
    region        text NOT NULL,
    district      text,
    size_class    text,
    registered_at timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- The organisations involved in a participant's case, by role. org_id is no foreign key: the registering partner
-- is involved without being registered as an organisation (partners registered candidates before the registry).
CREATE TABLE involvements (
    participant_id uuid NOT NULL REFERENCES participants ON DELETE CASCADE,
    org_id         text NOT NULL,
    role           text NOT NULL,
    involved_on    date NOT NULL,
    PRIMARY KEY (participant_id, org_id, role)
);
CREATE INDEX involvements_by_org ON involvements (org_id);
INSERT INTO involvements (participant_id, org_id, role, involved_on)
    SELECT participant_id, partner_org, 'counselling_centre', (recruited_at AT TIME ZONE 'Europe/Berlin')::date
    FROM participants WHERE status <> 'erased';

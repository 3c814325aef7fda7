-- Counselling (issue 12): anonymous first contacts and the counselling sessions of registered participants, with
-- coarse attributes only, never the content of a conversation. An erasure unlinks the rows (participant_id NULL)
-- and keeps them, so the counts survive it.
CREATE TABLE first_contacts (
    contact_id           uuid PRIMARY KEY,
    held_on              date NOT NULL,
    org_id               text NOT NULL,
    counselling_type     text NOT NULL,
    counselling_language text NOT NULL,
    interpreter_used     boolean NOT NULL,
    outcome              text NOT NULL,
    route_recommended    text,
    referred_to          text,
    follow_up_on         date,
    region               text NOT NULL,
    district             text,
    profession           text,
    country_of_training  text,
    counselled_org       text,
    participant_id       uuid,  -- linked to; NULL before the link and after the participant's erasure
    linked_on            date,  -- stays after an erasure: the contact counts as converted, and is not linked again
    recorded_at          timestamptz NOT NULL,
    updated_at           timestamptz
);
CREATE INDEX first_contacts_by_participant ON first_contacts (participant_id) WHERE participant_id IS NOT NULL;

CREATE TABLE counselling_sessions (
    session_id           uuid PRIMARY KEY,
    participant_id       uuid,  -- NULL after the participant's erasure
    held_on              date NOT NULL,
    org_id               text NOT NULL,
    counselling_type     text NOT NULL,
    counselling_language text NOT NULL,
    interpreter_used     boolean NOT NULL,
    outcome              text NOT NULL,
    route_recommended    text,
    referred_to          text,
    follow_up_on         date,
    recorded_at          timestamptz NOT NULL,
    -- One kind of counselling of a participant by one organisation a day is one session (counselling.SessionKey).
    UNIQUE (participant_id, held_on, org_id, counselling_type)
);

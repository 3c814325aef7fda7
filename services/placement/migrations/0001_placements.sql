-- Placement cases, their offers (a confirmed offer is the employment) and retention checks.
-- Pseudonymous ids and coarse codes only.
CREATE TABLE placements (
    participant_id   uuid PRIMARY KEY,
    status           text NOT NULL,
    current_offer_id uuid,
    opened_at        timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

CREATE TABLE offers (
    participant_id     uuid NOT NULL REFERENCES placements ON DELETE CASCADE,
    offer_id           uuid NOT NULL,
    status             text NOT NULL,
    employer_id        text NOT NULL,
    role_level         text NOT NULL,
    in_region          boolean NOT NULL,
    offered_on         date NOT NULL,
    contract_signed_on date,
    starts_on          date,
    started_on         date,
    retracted_on       date,
    retraction_reason  text,
    ended_on           date,
    end_reason         text,
    recorded_at        timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (participant_id, offer_id)
);

CREATE TABLE retention_checks (
    participant_id  uuid NOT NULL REFERENCES placements ON DELETE CASCADE,
    offer_id        uuid NOT NULL,
    months          int NOT NULL,
    due_on          date NOT NULL,
    still_employed  boolean NOT NULL,
    still_in_region boolean,
    checked_on      date NOT NULL,
    recorded_at     timestamptz NOT NULL,
    PRIMARY KEY (participant_id, offer_id, months)
);

-- One recognition case per participant: coarse codes and dates only, no personal data.
CREATE TABLE cases (
    participant_id       uuid PRIMARY KEY,
    state                text NOT NULL,
    target_profession    text NOT NULL,
    reference_profession text,
    track                text,
    decision_due_on      date,
    extended             boolean NOT NULL DEFAULT false,
    outcome              text,
    measures_offered     text[] NOT NULL DEFAULT '{}',
    measure              text,
    licence              text,
    valid_until          date,
    first_permit_on      date,
    opened_at            timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);

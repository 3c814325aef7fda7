-- Qualification plans: this stage's copy of other stages' facts, its measures, certificates and exams.
-- Pseudonymous ids and coarse codes only; ParticipantErased deletes every row of a participant.
CREATE TABLE participants (
    participant_id              uuid PRIMARY KEY,
    status                      text NOT NULL,           -- active | withdrawn
    target_profession           text,                    -- null until ParticipantRecruited arrived
    language_level              text,                    -- declared at recruitment or intake (CEFR)
    outcome                     text,                    -- recognition outcome, null until decided
    measures_offered            text[] NOT NULL DEFAULT '{}',
    decided_on                  date,
    chosen_compensation         text,
    language_target_reached_on  date,
    completed_on                date,
    updated_at                  timestamptz NOT NULL
);

CREATE TABLE measures (
    measure_id       uuid PRIMARY KEY,
    participant_id   uuid NOT NULL REFERENCES participants ON DELETE CASCADE,
    seq              bigserial,
    kind             text NOT NULL,
    status           text NOT NULL,
    provider_id      text NOT NULL,
    target_level     text,
    language_domain  text,
    starts_on        date,
    enrolled_on      date,
    expected_end_on  date,
    ended_on         date,
    planned_by       text NOT NULL,                      -- rules | partner
    updated_at       timestamptz NOT NULL
);
CREATE INDEX measures_participant ON measures (participant_id, seq);

CREATE TABLE certificates (
    id               bigserial PRIMARY KEY,
    participant_id   uuid NOT NULL REFERENCES participants ON DELETE CASCADE,
    certificate      text NOT NULL,
    level            text NOT NULL,
    language_domain  text NOT NULL,
    obtained_on      date NOT NULL
);
CREATE INDEX certificates_participant ON certificates (participant_id);

CREATE TABLE exams (
    participant_id  uuid NOT NULL REFERENCES participants ON DELETE CASCADE,
    exam            text NOT NULL,
    attempts        int NOT NULL,
    passed          boolean NOT NULL,
    last_taken_on   date NOT NULL,
    PRIMARY KEY (participant_id, exam)
);

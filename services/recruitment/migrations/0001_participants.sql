-- Participants and their personal data: the only personal data of the whole system lives here.
CREATE TABLE participants (
    participant_id      uuid PRIMARY KEY,
    status              text NOT NULL,
    partner_org         text NOT NULL,
    region              text NOT NULL,
    target_profession   text NOT NULL,
    country_of_training text NOT NULL,
    language_level      text NOT NULL,
    residence           text NOT NULL,
    referral_source     text NOT NULL,
    consents            text[] NOT NULL,
    personal            jsonb,
    registered_by       text NOT NULL,
    recruited_at        timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);

-- Notifications: the directory, what routing knows of participants, the milestones and the deliveries (the audit).

-- Coordinators and partner organisations; addresses and names stay in this table and in mails.
CREATE TABLE recipients (
    recipient_id   text PRIMARY KEY,
    recipient_kind text NOT NULL,
    email          text NOT NULL,
    display_name   text NOT NULL,
    language       text NOT NULL,
    regions        text[] NOT NULL DEFAULT '{}',
    milestones     text[] NOT NULL DEFAULT '{}',
    partner_org    text,
    consent_scope  text,
    origin         text NOT NULL,  -- command or file: who applied the latest change
    registered_at  timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);

-- Copied from recruitment's events. A row with recruited = false is a stub: it exists so that every handler can
-- lock the participant first, and so an opt-out can arrive before the participant is known.
-- On erasure only the pseudonym and erased_on remain, so that late milestones are suppressed, not mailed.
CREATE TABLE participants (
    participant_id uuid PRIMARY KEY,
    recruited      boolean NOT NULL DEFAULT false,
    region         text,
    partner_org    text,
    consents       text[] NOT NULL DEFAULT '{}',
    opted_out_on   date,
    erased_on      date,
    updated_at     timestamptz NOT NULL
);

-- Every milestone event handled, with the coarse facts its mail shows; routed_at is NULL while it is parked
-- (the participant is not known yet). Deleted on erasure.
CREATE TABLE milestones (
    ce_id          text PRIMARY KEY,
    ce_type        text NOT NULL,
    milestone      text NOT NULL,
    participant_id uuid NOT NULL,
    facts          jsonb NOT NULL,
    received_at    timestamptz NOT NULL,
    routed_at      timestamptz
);
CREATE INDEX milestones_of_participant ON milestones (participant_id, received_at);

-- The audit: who was (or was deliberately not) told what, when, and how it went. One row per milestone event and
-- recipient, so a redelivered event mails nobody twice. recipient_id is NULL for "nobody" (e.g. opted out);
-- participant_id is cleared on erasure, the rest holds no personal data of the participant.
CREATE TABLE deliveries (
    delivery_id     uuid PRIMARY KEY,
    seq             bigserial NOT NULL,  -- the order deliveries were recorded in
    caused_by_id    text NOT NULL,
    caused_by_type  text NOT NULL,
    milestone       text NOT NULL,
    recipient_id    text,
    participant_id  uuid,
    email           text,  -- the recipient's address the mail went to
    status          text NOT NULL,  -- pending, sent, failed, suppressed, cancelled
    reason          text,  -- suppression reason, delivery failure, or why it was cancelled
    attempts        int NOT NULL DEFAULT 0,
    last_error      text,  -- short code of the last failed attempt, e.g. smtp_451, connection_refused
    recorded_at     timestamptz NOT NULL,
    next_attempt_at timestamptz,
    sent_at         timestamptz,
    finished_at     timestamptz
);
CREATE UNIQUE INDEX deliveries_once ON deliveries (caused_by_id, recipient_id) WHERE recipient_id IS NOT NULL;
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_of_participant ON deliveries (participant_id) WHERE participant_id IS NOT NULL;
CREATE INDEX deliveries_of_recipient ON deliveries (recipient_id, recorded_at);

-- Runtime tables every service schema has: outbox, inbox and timers.

CREATE TABLE outbox (
    id           bigserial PRIMARY KEY,
    ce_id        text NOT NULL UNIQUE,
    ce_type      text NOT NULL,
    topic        text NOT NULL,
    key          bytea NOT NULL,
    headers      jsonb NOT NULL,
    payload      bytea NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX outbox_pending ON outbox (id) WHERE published_at IS NULL;

-- Wake the relay when a transaction that wrote to the outbox commits.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_TABLE_SCHEMA || '_outbox', '');
    RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Every handled message, so a redelivery has no second effect.
CREATE TABLE inbox (
    message_id  text NOT NULL,
    consumer    text NOT NULL,
    topic       text NOT NULL,
    ce_type     text,
    outcome     text NOT NULL,
    handled_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);

-- Due dates: the sweep raises each overdue timer's event exactly once.
CREATE TABLE timers (
    timer_id        text PRIMARY KEY,
    participant_id  uuid NOT NULL,
    kind            text NOT NULL,
    due_at          timestamptz NOT NULL,
    data            jsonb NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    fired_at        timestamptz,
    cancelled_at    timestamptz
);
CREATE INDEX timers_due ON timers (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX timers_participant ON timers (participant_id);

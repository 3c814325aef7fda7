-- Issue 13: each recipient chooses per milestone how it hears of it (immediate, daily or weekly digest, none);
-- digests collect the milestones kept for them; mails name organisations, professions and the partner's own
-- case reference.

-- The choice per milestone ({"milestone": "delivery"}) and for the milestones it does not name (NULL: the default
-- of the recipient's kind, `default_delivery` in the contract).
ALTER TABLE recipients ADD COLUMN delivery jsonb NOT NULL DEFAULT '{}', ADD COLUMN default_delivery text;

-- The participant's target profession (ParticipantRecruited, IntakeRecorded): mails say it in words. Cleared on
-- erasure with the rest of the copy.
ALTER TABLE participants ADD COLUMN profession text;

-- An organisation's own reference for a participant's case (ParticipantRecruited for the registering one,
-- OrganisationInvolved for the others): shown only in mails to that organisation's mailboxes. Deleted on erasure.
CREATE TABLE case_references (
    participant_id uuid NOT NULL,
    org_id         text NOT NULL,
    case_reference text NOT NULL,
    PRIMARY KEY (participant_id, org_id)
);

-- Organisations' names as recruitment registers them (OrganisationRegistered): mails show names, not ids.
CREATE TABLE organisations (
    org_id     text PRIMARY KEY,
    name       text,
    updated_at timestamptz NOT NULL
);

-- A milestone kept for a recipient's digest (its delivery is daily_digest or weekly_digest): which milestone, about
-- whom, when it happened. The facts are the milestone's (table milestones), the participant's the copy's. `digest_start`
-- is set when a digest took it; undelivered items go with the participant's erasure or objection.
CREATE TABLE digest_items (
    ce_id          text NOT NULL,
    recipient_id   text NOT NULL,
    period         text NOT NULL,  -- day or week
    milestone      text NOT NULL,
    participant_id uuid,
    happened_at    timestamptz NOT NULL,
    kept_at        timestamptz NOT NULL,
    digest_start   date,
    PRIMARY KEY (ce_id, recipient_id)
);
CREATE INDEX digest_items_waiting ON digest_items (recipient_id, period, happened_at) WHERE digest_start IS NULL;
CREATE INDEX digest_items_of_participant ON digest_items (participant_id) WHERE participant_id IS NOT NULL;

-- One row per recipient and period, composed exactly once (the primary key): with the mail it queued (delivery_id,
-- NULL when the period had nothing to tell). The texts are kept until the mail is sent, so a re-send after a crash
-- is the same mail with the same Message-ID.
CREATE TABLE digests (
    recipient_id  text NOT NULL,
    period        text NOT NULL,
    period_start  date NOT NULL,
    composed_at   timestamptz NOT NULL,
    milestones    int NOT NULL,
    participants  int NOT NULL,
    delivery_id   uuid UNIQUE,
    subject       text,
    body_text     text,
    body_html     text,
    PRIMARY KEY (recipient_id, period, period_start)
);

-- A digest's mail is a delivery like any other, about no single milestone or participant.
ALTER TABLE deliveries ALTER COLUMN milestone DROP NOT NULL;

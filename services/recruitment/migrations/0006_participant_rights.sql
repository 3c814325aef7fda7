-- Issue 15: the participant's rights. Every row here that names a participant goes with the participant's erasure
-- (holds, corrections) or loses the pseudonym (access requests); the retention runs hold counts only.

-- Audit holds keep a participant from the retention schedule's anonymisation up to and including `until` (a funder's
-- audit period, a legal claim: DSGVO Art. 17(3)(b), (e)); one per reason, released by deleting it.
CREATE TABLE audit_holds (
    participant_id uuid NOT NULL REFERENCES participants ON DELETE CASCADE,
    reason         text NOT NULL,
    until          date NOT NULL,
    placed_on      date NOT NULL,
    PRIMARY KEY (participant_id, reason)
);

-- Access requests of the case's lead (DSGVO Art. 15, 20), pending until an operator produced the document
-- (`journey rights access`). An erasure keeps the row without the pseudonym: that a request was served stays provable.
CREATE TABLE access_requests (
    request_id     uuid PRIMARY KEY,
    participant_id uuid,  -- NULL after the participant's erasure
    requested_by   text NOT NULL,
    requested_on   date NOT NULL,
    recorded_at    timestamptz NOT NULL,
    provided_at    timestamptz,
    provided_by    text  -- who produced it (the operator's login name, as the CLI saw it)
);
CREATE INDEX access_requests_pending ON access_requests (recorded_at) WHERE provided_at IS NULL;
CREATE INDEX access_requests_of_participant ON access_requests (participant_id) WHERE participant_id IS NOT NULL;

-- Corrections of personal data (DSGVO Art. 16): which parts, by whom, when; never the values. Deleted on erasure.
CREATE TABLE corrections (
    participant_id uuid NOT NULL REFERENCES participants ON DELETE CASCADE,
    correction_id  text NOT NULL,  -- the command's message id: a redelivery records nothing twice
    corrected_by   text NOT NULL,
    corrected_on   date NOT NULL,
    fields         text[] NOT NULL,
    recorded_at    timestamptz NOT NULL,
    PRIMARY KEY (participant_id, correction_id)
);

-- Runs of the retention schedule (daily, or asked for by an operator with `journey rights retention-run`): counts
-- only. A row with started_at NULL is an operator's request the service has not taken up yet.
CREATE TABLE retention_runs (
    run_id          uuid PRIMARY KEY,
    requested_by    text NOT NULL,  -- schedule, or operator
    dry_run         boolean NOT NULL DEFAULT false,
    requested_at    timestamptz NOT NULL,
    started_at      timestamptz,
    finished_at     timestamptz,
    cut_off         date,
    retention_years int,
    anonymised      int NOT NULL DEFAULT 0,
    held            int NOT NULL DEFAULT 0,
    failure         text
);
CREATE INDEX retention_runs_requested ON retention_runs (requested_at) WHERE started_at IS NULL;
CREATE INDEX retention_runs_started ON retention_runs (started_at);

-- The schedule finds participations that ended long ago without reading every participant.
CREATE INDEX participants_ended ON participants (ended_on) WHERE status IN ('completed', 'withdrawn');

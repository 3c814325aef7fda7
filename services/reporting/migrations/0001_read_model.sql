-- The reporting read model: pseudonymous ids and coarse codes only, never a name, contact or birth date.
-- Facts of the other stages arrive in no cross-topic order: each table is written on its own (no foreign keys),
-- and the figures join what is there.

-- A participant's coarse attributes and life cycle (recruitment's facts, in their order).
CREATE TABLE participants (
    participant_id      uuid PRIMARY KEY,
    recruited_on        date NOT NULL,
    region              text NOT NULL,
    district            text,
    profession          text NOT NULL,
    occupation          text,
    country_of_training text NOT NULL,
    country_group       text NOT NULL,
    referral_source     text NOT NULL,
    lead_org            text NOT NULL,
    status              text NOT NULL DEFAULT 'active',
    paused_on           date,
    expected_return_on  date,
    exit_on             date,
    exit_kind           text,
    exit_result         text,
    last_progress_on    date NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX participants_region ON participants (region, recruited_on);

-- Every organisation a participant's case involves (or involved), in each role.
CREATE TABLE involvements (
    participant_id uuid NOT NULL,
    org_id         text NOT NULL,
    role           text NOT NULL,
    involved_on    date,
    released_on    date,
    PRIMARY KEY (participant_id, org_id, role)
);
CREATE INDEX involvements_org ON involvements (org_id, participant_id);

-- The dated milestones of the path and the open deadlines, one row per participant, written by whichever
-- stage's fact comes first. Each column is written by one stage's topic only (ordered per participant there).
CREATE TABLE paths (
    participant_id        uuid PRIMARY KEY,
    route                 text,
    application_on        date,
    receipt_due_on        date,
    receipt_on            date,
    documents_due_on      date,
    complete_on           date,
    decision_due_on       date,
    decided_on            date,
    decision_outcome      text,
    comparability_on      date,
    not_needed_on         date,
    training_started_on   date,
    training_completed_on date,
    licence_on            date,
    licence_kind          text,
    expiring_until        date,
    enrolled_on           date,
    qualified_on          date,
    finally_failed_on     date,
    offered_on            date,
    confirmed_on          date,
    first_started_on      date,
    last_started_on       date,
    last_ended_on         date,
    notice_due_on         date,
    notice_on             date,
    last_progress_on      date,
    updated_at            timestamptz NOT NULL
);

-- Retention follow-ups of the current employment.
CREATE TABLE retention (
    participant_id uuid NOT NULL,
    months         int NOT NULL,
    due_on         date,
    overdue        boolean NOT NULL DEFAULT false,
    checked_on     date,
    still_employed boolean,
    PRIMARY KEY (participant_id, months)
);

-- ESF+ common indicators at entry: joined only for counts.
CREATE TABLE entry_indicators (
    participant_id       uuid PRIMARY KEY,
    recorded_on          date NOT NULL,
    gender               text NOT NULL,
    age_band             text NOT NULL,
    education_level      text NOT NULL,
    labour_market_status text NOT NULL
);

-- Counselling contacts: sessions of registered participants (their attributes come from `participants`) and
-- anonymous first contacts (their own region, district, profession and country; a link names the participant).
CREATE TABLE counselling (
    record_id        text PRIMARY KEY,
    participant_id   uuid,
    contact_id       uuid,
    first_contact    boolean NOT NULL,
    held_on          date NOT NULL,
    counselling_type text NOT NULL,
    org_id           text,
    region           text,
    district         text,
    profession       text,
    country_group    text
);
CREATE INDEX counselling_participant ON counselling (participant_id);
CREATE INDEX counselling_held ON counselling (held_on);

CREATE TABLE organisations (
    org_id     text PRIMARY KEY,
    name       text,
    org_kind   text NOT NULL,
    region     text NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Pseudonyms erased: a late fact from another stage's topic must not bring a participant back. The id alone.
CREATE TABLE erased (
    participant_id uuid PRIMARY KEY,
    erased_on      date NOT NULL
);

CREATE TABLE funding_periods (
    period_id    text PRIMARY KEY,
    name         text NOT NULL,
    starts_on    date NOT NULL,
    ends_on      date NOT NULL,
    closed_on    date,
    participants int,
    updated_at   timestamptz NOT NULL
);

-- A closed period's figures as anonymous counts: no participant id, one row per figure, key and combination of
-- the coarse dimensions ('' for "any organisation": those rows count each participant once).
CREATE TABLE period_figures (
    period_id     text NOT NULL REFERENCES funding_periods,
    figure        text NOT NULL,
    key           text NOT NULL,
    region        text NOT NULL,
    district      text NOT NULL,
    profession    text NOT NULL,
    country_group text NOT NULL,
    org_id        text NOT NULL,
    value         int NOT NULL,
    PRIMARY KEY (period_id, figure, key, region, district, profession, country_group, org_id)
);

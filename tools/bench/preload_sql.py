"""The preload's SQL: one batch of past journeys (`batch`) written into every service's tables, server-side.

Each statement joins the batch with the walks' shapes (temporary tables `pl_*` that tools/bench/preload.py fills
from tools/bench/preload_shapes.py) and inserts what those journeys left behind: `b.p` is the day the walk was
played, offsets are days from it, `b.jit` the time of day a participant's facts were recorded. Ids are derived
from the participant, so a journey always gets the same ones.
"""

from __future__ import annotations


def uid(n: str, seed: str) -> str:
    """A uuid whose first twelve hex digits are the journey's number `n` (the rest from md5 of `seed`): unique, the
    same on every run, and a batch's keys are adjacent, so its rows go into a few index pages instead of pages all
    over each index (one batch's 467,000 deliveries at 100,000 journeys: 29 s with random ids, 10 s with these)."""
    return f"(lpad(to_hex({n}), 12, '0') || right(md5({seed}), 20))::uuid"


PRELOADED = "recruitment.participants WHERE region ~ '^DE-P[0-9]{2}$'"
"""The journeys preloaded so far: their regions (`DE-P00`..`DE-P15`) are neither the bench's (`DE-` and a digit)
nor the tests' (letters only)."""

LOADED = f"""SELECT ('x' || translate(left(participant_id::text, 13), '-', ''))::bit(48)::bigint / $1 AS batch,
    count(*) AS journeys FROM {PRELOADED} GROUP BY 1"""
"""How many journeys of each batch ($1 journeys from $1 * batch) are there (the journey's number is in its id)."""

REGIONS, ORGANISATIONS, YEARS_DAYS = 16, 512, 1826

BATCH = f"""
CREATE TEMP TABLE batch ON COMMIT DROP AS
WITH j AS (
    SELECT n, {uid("n", "'preload:' || n")} AS pid, w.walk,
        w.employer IS NOT NULL AND w.result IS NOT NULL AS completes,
        'DE-P' || lpad((n % {REGIONS})::text, 2, '0') AS region,
        'preload-org-' || lpad((n % {ORGANISATIONS})::text, 3, '0') AS org,
        current_date - 1 - (n::bigint * 7919 % {YEARS_DAYS})::int AS p,
        make_interval(secs => 28800 + (n::bigint * 104729 % 36000)) AS jit,
        w.last
    FROM generate_series($1::int, $2::int - 1) AS n
    JOIN pl_walks w ON n * 37 % 100 >= w.lo AND n * 37 % 100 < w.hi
), fresh AS (
    SELECT * FROM j WHERE NOT EXISTS (SELECT FROM recruitment.participants r WHERE r.participant_id = j.pid)
)
SELECT j.*, c.checks, CASE WHEN j.completes AND c.checks > 0 THEN c.first_due + 4 END AS completed_on,
    greatest(j.p + j.last, c.last_due + 3) AS last_on
FROM fresh j CROSS JOIN LATERAL (
    SELECT count(*)::int AS checks, min(due) AS first_due, max(due) AS last_due
    FROM (SELECT ((j.p - 1) + make_interval(months => m))::date AS due FROM unnest(ARRAY[6, 12, 24, 36]) AS m) d
    WHERE j.completes AND d.due + 4 < current_date
) c"""
"""Journeys $1 <= n < $2: walk (the mix), region, organisation, the day played (spread over five years up to
yesterday), retention checks recorded so far (due dates passed) and the completion at the six-month check."""

CHECKS = """(SELECT i, months, ((b.p - 1) + make_interval(months => months))::date AS due_on
    FROM (VALUES (1, 6), (2, 12), (3, 24), (4, 36)) AS v(i, months))"""
TS = "b.jit +"  # a day (date) to the time the participant's facts of that day were recorded
OFFER = uid("b.n", "b.pid || ':offer'")  # the employment's offer

MILESTONES = f"""
CREATE TEMP TABLE b_milestones ON COMMIT DROP AS
SELECT b.n, b.pid, b.region, b.org, m.k, m.milestone, m.ce_type, {TS} (b.p + coalesce(m.off, w.entered)) AS at
FROM batch b JOIN pl_walks w USING (walk) JOIN pl_milestones m USING (walk)
UNION ALL
SELECT b.n, b.pid, b.region, b.org, 100 + c.i, 'retention_check_recorded',
    'journey.placement.RetentionCheckRecorded.v1', {TS} (c.due_on + 3)
FROM batch b CROSS JOIN LATERAL {CHECKS} c WHERE c.i <= b.checks
UNION ALL
SELECT b.n, b.pid, b.region, b.org, 200, 'participation_completed', 'journey.recruitment.ParticipationCompleted.v1',
    {TS} b.completed_on
FROM batch b WHERE b.completed_on IS NOT NULL"""
"""Every milestone of the batch's journeys: the walk's, each retention check recorded, the completion."""


def messages(inbox_days: int) -> str:
    """The messages of the batch's journeys that finished inside the inbox's retention, all dated on their last
    day (one second apart): the traffic of that window, as many journeys' messages as finish in it (a real
    programme's journeys still under way are not preloaded)."""
    return f"""
CREATE TEMP TABLE b_messages ON COMMIT DROP AS
SELECT b.pid, s.k, s.ce_type, s.topic, s.source, s.is_event, {uid("b.n", "b.pid || ':message:' || s.k")}::text AS ce_id,
    {TS} (b.p - 1) + make_interval(secs => s.k) AS at
FROM batch b JOIN pl_messages s USING (walk)
WHERE b.p - 1 >= current_date - {int(inbox_days)}"""


ORGS = f"""SELECT 'preload-org-' || lpad(k::text, 3, '0') AS org,
    'DE-P' || lpad((k % {REGIONS})::text, 2, '0') AS region, 'Beratungsstelle ' || lpad(k::text, 3, '0') AS name
    FROM generate_series(0, {ORGANISATIONS - 1}) AS k"""
SETUP = (
    f"""INSERT INTO recruitment.organisations (org_id, org_kind, region, registered_at, updated_at, name)
    SELECT org, 'counselling_centre', region, now(), now(), name FROM ({ORGS}) o ON CONFLICT DO NOTHING""",
    f"""INSERT INTO notifications.organisations (org_id, name, updated_at)
    SELECT org, name, now() FROM ({ORGS}) o ON CONFLICT DO NOTHING""",
    f"""INSERT INTO reporting.organisations (org_id, name, org_kind, region, updated_at)
    SELECT org, name, 'counselling_centre', region, now() FROM ({ORGS}) o ON CONFLICT DO NOTHING""",
    f"""INSERT INTO notifications.recipients (recipient_id, recipient_kind, email, display_name, language, regions,
        milestones, partner_org, origin, registered_at, updated_at, default_delivery)
    SELECT 'preload-coordinator-' || region, 'coordinator', 'preload-coordinator-' || region || '@example.org',
        'Koordination ' || region, 'de', ARRAY[region], $1::text[], NULL, 'command', now(), now(), 'immediate'
    FROM (SELECT DISTINCT region FROM ({ORGS}) o) r
    UNION ALL
    SELECT org, 'partner_organisation', org || '@example.org', name, 'de', '{{}}', $1::text[], org, 'command', now(),
        now(), 'immediate'
    FROM ({ORGS}) o
    ON CONFLICT (recipient_id) DO NOTHING""",
)
"""The programme's organisations (each leads the journeys of one region) in every service that keeps them, a
mailbox for each and a coordinator for each region ($1: every milestone), all mailed at once (as the deliveries
say); before the batches, so that concurrent batches never wait for each other on these rows."""

STATEMENTS: tuple[tuple[str, str], ...] = (
    (
        "recruitment.participants",
        f"""INSERT INTO recruitment.participants (participant_id, status, partner_org, region, target_profession,
            country_of_training, language_level, residence, referral_source, consents, personal, registered_by,
            recruited_at, updated_at, occupation, partner_role, lead_org, ended_on, result)
        SELECT b.pid, CASE WHEN b.completed_on IS NULL THEN 'active' ELSE 'completed' END, b.org, b.region,
            w.profession, w.country, w.level, 'abroad', 'counselling_abroad', '{{employer,language_provider}}',
            jsonb_build_object('email', 'participant-' || left(b.pid::text, 8) || '@example.org', 'phone', NULL,
                'birth_date', NULL, 'given_name', (ARRAY['Amara', 'Luis', 'Mei', 'Olek', 'Priya', 'Tunde', 'Sofia',
                'Jomo', 'Lina', 'Ravi'])[1 + b.n % 10], 'family_name', 'Example'),
            b.org, {TS} (b.p + w.entered), {TS} b.last_on, w.occupation, 'counselling_centre', b.org,
            b.completed_on, CASE WHEN b.completed_on IS NOT NULL THEN w.result END
        FROM batch b JOIN pl_walks w USING (walk)""",
    ),
    (
        "recruitment.consents",
        """INSERT INTO recruitment.consents (participant_id, scope, given_on, form_version, method)
        SELECT b.pid, s.scope, b.p + w.entered, 'consent-2026-01', 'written'
        FROM batch b JOIN pl_walks w USING (walk)
        CROSS JOIN (VALUES ('employer'), ('language_provider')) AS s(scope)""",
    ),
    (
        "recruitment.involvements",
        """INSERT INTO recruitment.involvements (participant_id, org_id, role, involved_on)
        SELECT b.pid, b.org, 'counselling_centre', b.p + w.entered FROM batch b JOIN pl_walks w USING (walk)""",
    ),
    (
        "recognition.cases",
        f"""INSERT INTO recognition.cases (participant_id, state, target_profession, reference_profession, track,
            decision_due_on, outcome, measures_offered, measure, licence, first_permit_on, opened_at, updated_at,
            route, country_of_training, occupation, qualified_on, finally_failed, finally_failed_on,
            training_profession, submitted_on, language_level, residence)
        SELECT b.pid, w.state, w.profession, w.r_reference, CASE WHEN w.last_submitted IS NOT NULL THEN 'standard' END,
            (b.p + w.last_submitted + 4 + make_interval(months => w.decision_months))::date, w.outcome, w.offered,
            w.measure, w.licence, b.p + w.first_permit_on, {TS} (b.p + w.entered), {TS} (b.p + w.last), w.route,
            w.country, w.occupation, b.p + w.qualified_on, w.finally_failed, b.p + w.finally_failed_on,
            w.training_profession, b.p + w.last_submitted, w.level, 'abroad'
        FROM batch b JOIN pl_walks w USING (walk)""",
    ),
    (
        "recognition.timers",
        f"""INSERT INTO recognition.timers (timer_id, participant_id, kind, due_at, data, created_at, cancelled_at)
        SELECT t.kind || ':' || b.pid || ':' || CASE WHEN t.licence THEN b.p + t.base ELSE d.due_on END, b.pid, t.kind,
            d.due_on::timestamptz,
            CASE WHEN t.licence THEN jsonb_build_object('licence', 'berufserlaubnis', 'valid_until', b.p + t.base)
                WHEN t.kind = 'receipt_due' THEN jsonb_build_object('track', 'standard', 'submitted_on', b.p + t.base,
                    'receipt_due_on', d.due_on)
                ELSE jsonb_build_object('decision_due_on', d.due_on) END,
            {TS} (b.p + t.created), {TS} (b.p + t.cancelled)
        FROM batch b JOIN pl_rtimers t USING (walk)
        CROSS JOIN LATERAL (SELECT (b.p + t.base + make_interval(months => t.months, days => -t.before))::date
            AS due_on) d""",
    ),
    (
        "qualification.participants",
        f"""INSERT INTO qualification.participants (participant_id, status, target_profession, language_level, outcome,
            measures_offered, decided_on, chosen_compensation, language_target_reached_on, completed_on, updated_at,
            reference_profession, route, route_closed_on)
        SELECT b.pid, 'active', w.profession, w.level, w.outcome, w.offered, b.p + w.last_decided, w.measure,
            b.p + w.language_on, b.p + w.qualified_on, {TS} (b.p + w.last), w.q_reference, w.route,
            CASE WHEN w.route_closed THEN b.p + w.qualified_on END
        FROM batch b JOIN pl_walks w USING (walk)""",
    ),
    (
        "qualification.measures",
        f"""INSERT INTO qualification.measures (measure_id, participant_id, kind, status, provider_id, target_level,
            language_domain, starts_on, enrolled_on, ended_on, planned_by, updated_at)
        SELECT {uid("b.n", "b.pid || ':measure:' || m.k")}, b.pid, m.kind, m.status, m.provider, m.level, m.domain,
            b.p + m.started, b.p + m.started, b.p + m.ended, m.planned_by, {TS} (b.p + m.ended)
        FROM batch b JOIN pl_measures m USING (walk) ORDER BY b.n, m.k""",
    ),
    (
        "qualification.certificates",
        """INSERT INTO qualification.certificates (participant_id, certificate, level, language_domain, obtained_on)
        SELECT b.pid, c.certificate, c.level, c.domain, b.p + c.obtained
        FROM batch b JOIN pl_certificates c USING (walk) ORDER BY b.n, c.k""",
    ),
    (
        "qualification.exams",
        """INSERT INTO qualification.exams (participant_id, exam, part, attempts, passed, last_taken_on)
        SELECT b.pid, e.exam, e.part, e.attempts, e.passed, b.p + e.taken FROM batch b JOIN pl_exams e USING (walk)""",
    ),
    (
        "placement.placements",
        f"""INSERT INTO placement.placements (participant_id, status, current_offer_id, opened_at, updated_at, licence,
            left_programme_on)
        SELECT b.pid, CASE WHEN w.employer IS NULL THEN 'searching' ELSE 'employed' END,
            CASE WHEN w.employer IS NOT NULL THEN {OFFER} END, {TS} (b.p + w.entered),
            {TS} b.last_on, w.licence, b.completed_on
        FROM batch b JOIN pl_walks w USING (walk)""",
    ),
    (
        "placement.offers",
        f"""INSERT INTO placement.offers (participant_id, offer_id, status, employer_id, role_level, in_region,
            offered_on, contract_signed_on, starts_on, started_on, recorded_at, updated_at)
        SELECT b.pid, {OFFER}, 'confirmed', w.employer, 'skilled_worker', true, b.p - 20,
            b.p - 10, b.p - 1, b.p - 1, {TS} (b.p - 20), {TS} (b.p - 1)
        FROM batch b JOIN pl_walks w USING (walk) WHERE w.employer IS NOT NULL""",
    ),
    (
        "placement.retention_checks",
        f"""INSERT INTO placement.retention_checks (participant_id, offer_id, months, due_on, still_employed,
            still_in_region, checked_on, recorded_at, after_programme)
        SELECT b.pid, {OFFER}, c.months, c.due_on, true, true, c.due_on + 3,
            {TS} (c.due_on + 3), c.months > 6
        FROM batch b CROSS JOIN LATERAL {CHECKS} c WHERE c.i <= b.checks""",
    ),
    (
        "placement.timers",
        f"""INSERT INTO placement.timers (timer_id, participant_id, kind, due_at, data, created_at, fired_at,
            cancelled_at)
        SELECT k.kind || ':' || b.pid || ':' || {OFFER} || ':' || c.months, b.pid, k.kind,
            (c.due_on + k.grace)::timestamptz,
            jsonb_build_object('due_on', c.due_on, 'months', c.months::text, 'offer_id', {OFFER}),
            {TS} (b.p - 1),
            CASE WHEN NOT k.overdue AND c.due_on::timestamptz < now() THEN c.due_on::timestamptz END,
            CASE WHEN k.overdue AND c.i <= b.checks THEN {TS} (c.due_on + 3) END
        FROM batch b JOIN pl_walks w USING (walk) CROSS JOIN LATERAL {CHECKS} c
        CROSS JOIN (VALUES ('retention_check_due', 0, false), ('retention_check_overdue', 28, true))
            AS k(kind, grace, overdue)
        WHERE w.employer IS NOT NULL""",
    ),
    (
        "notifications.participants",
        f"""INSERT INTO notifications.participants (participant_id, recruited, region, partner_org, consents,
            updated_at, lead_org, profession)
        SELECT b.pid, true, b.region, b.org, '{{employer,language_provider}}', {TS} (b.p + w.entered), b.org,
            w.profession
        FROM batch b JOIN pl_walks w USING (walk)""",
    ),
    (
        "notifications.involvements",
        """INSERT INTO notifications.involvements (participant_id, org_id, role)
        SELECT pid, org, 'counselling_centre' FROM batch""",
    ),
    (
        "notifications.milestones",
        f"""INSERT INTO notifications.milestones (ce_id, ce_type, milestone, participant_id, facts, received_at,
            addressed_at, occurred_at)
        SELECT {uid("m.n", "m.pid || ':milestone:' || m.k")}::text, m.ce_type, m.milestone, m.pid,
            jsonb_build_object('occurred_on', m.at::date, 'region', m.region, 'partner_org', m.org,
                'route', w.route, 'profession', w.profession),
            m.at, m.at, m.at
        FROM b_milestones m JOIN batch b USING (pid) JOIN pl_walks w USING (walk)""",
    ),
    (
        "notifications.deliveries",
        f"""INSERT INTO notifications.deliveries (delivery_id, caused_by_id, caused_by_type, milestone, recipient_id,
            participant_id, email, status, attempts, recorded_at, sent_at, finished_at)
        SELECT {uid("m.n", "m.pid || ':milestone:' || m.k || ':' || r.recipient")},
            {uid("m.n", "m.pid || ':milestone:' || m.k")}::text, m.ce_type, m.milestone, r.recipient, m.pid,
            r.recipient || '@example.org', 'sent', 1, m.at, m.at + interval '2 seconds', m.at + interval '2 seconds'
        FROM b_milestones m
        CROSS JOIN LATERAL (VALUES ('preload-coordinator-' || m.region), (m.org)) AS r(recipient)""",
    ),
    (
        "reporting.participants",
        f"""INSERT INTO reporting.participants (participant_id, recruited_on, region, profession, occupation,
            country_of_training, country_group, referral_source, lead_org, status, exit_on, exit_kind, exit_result,
            last_progress_on, updated_at)
        SELECT b.pid, b.p + w.entered, b.region, w.profession, w.occupation, w.country, 'third_country',
            'counselling_abroad', b.org, CASE WHEN b.completed_on IS NULL THEN 'active' ELSE 'completed' END,
            b.completed_on, CASE WHEN b.completed_on IS NOT NULL THEN 'completed' END,
            CASE WHEN b.completed_on IS NOT NULL THEN w.result END, coalesce(b.completed_on, b.p + w.entered),
            {TS} b.last_on
        FROM batch b JOIN pl_walks w USING (walk)""",
    ),
    (
        "reporting.involvements",
        """INSERT INTO reporting.involvements (participant_id, org_id, role, involved_on)
        SELECT b.pid, b.org, 'counselling_centre', b.p + w.entered FROM batch b JOIN pl_walks w USING (walk)""",
    ),
    (
        "reporting.paths",
        f"""INSERT INTO reporting.paths (participant_id, route, application_on, receipt_due_on, receipt_on,
            complete_on, decision_due_on, decided_on, decision_outcome, comparability_on, not_needed_on,
            training_started_on, training_completed_on, licence_on, licence_kind, enrolled_on, qualified_on,
            finally_failed_on, offered_on, confirmed_on, first_started_on, last_started_on, last_progress_on,
            updated_at)
        SELECT b.pid, w.route, b.p + w.first_submitted,
            (b.p + w.last_submitted + interval '1 month')::date, b.p + w.first_submitted + 2,
            b.p + w.first_submitted + 4,
            (b.p + w.last_submitted + 4 + make_interval(months => w.decision_months))::date,
            b.p + w.first_decided, w.outcome, b.p + w.comparability_on, b.p + w.not_needed_on,
            b.p + w.training_started, b.p + w.training_completed, b.p + w.first_licence_on, w.licence,
            b.p + w.enrolled_on, b.p + w.qualified_on, b.p + w.finally_failed_on, e.offered_on, e.offered_on + 10,
            e.offered_on + 19, e.offered_on + 19, b.last_on, {TS} b.last_on
        FROM batch b JOIN pl_walks w USING (walk)
        CROSS JOIN LATERAL (SELECT CASE WHEN w.employer IS NOT NULL THEN b.p - 20 END AS offered_on) e""",
    ),
    (
        "reporting.retention",
        f"""INSERT INTO reporting.retention (participant_id, months, due_on, checked_on, still_employed)
        SELECT b.pid, c.months, c.due_on, CASE WHEN c.i <= b.checks THEN c.due_on + 3 END,
            CASE WHEN c.i <= b.checks THEN true END
        FROM batch b JOIN pl_walks w USING (walk) CROSS JOIN LATERAL {CHECKS} c
        WHERE w.employer IS NOT NULL AND c.due_on::timestamptz < now()""",
    ),
)
"""(table, statement) for every table a finished journey leaves rows in; run in this order within one batch."""

SERVICES = ("recruitment", "recognition", "qualification", "placement", "notifications", "reporting")
SOURCES = ("recruitment", "recognition", "qualification", "placement")

HEADERS = """jsonb_build_array(jsonb_build_array('ce_id', {id}), jsonb_build_array('ce_type', {type}),
    jsonb_build_array('ce_source', '/journey/' || {source}), jsonb_build_array('ce_specversion', '1.0'),
    jsonb_build_array('ce_time', {at}), jsonb_build_array('ce_subject', {pid}::text),
    jsonb_build_array('content-type', 'application/json'))"""
PAYLOAD = """convert_to(jsonb_build_object('participant_id', {pid}, 'preloaded', true,
    'padding', repeat('-', 150))::text, 'UTF8')"""


def runtime_statements(inbox_days: int, outbox_days: int) -> tuple[tuple[str, str], ...]:
    """The inbox rows of the recent messages and the published outbox rows the relay has not purged yet, schema by
    schema (from `b_messages` and, for the mails' NotificationSent, `b_milestones`; dated as `messages` says)."""
    inbox_since = f"now() - make_interval(days => {int(inbox_days)})"
    outbox_since = f"now() - make_interval(days => {int(outbox_days)})"
    inboxes = tuple(
        (
            f"{s}.inbox",
            f"""INSERT INTO {s}.inbox (message_id, consumer, topic, ce_type, outcome, handled_at)
            SELECT m.ce_id, c.consumer, m.topic, m.ce_type, 'applied', m.at + interval '50 milliseconds'
            FROM b_messages m JOIN pl_consumers c USING (ce_type)
            WHERE c.schema = '{s}' AND m.at >= {inbox_since}""",
        )
        for s in SERVICES
    )
    values = {"id": "m.ce_id", "type": "m.ce_type", "source": "m.source", "at": "m.at", "pid": "m.pid"}
    outboxes = tuple(
        (
            f"{s}.outbox",
            f"""INSERT INTO {s}.outbox (ce_id, ce_type, topic, key, headers, payload, recorded_at, published_at)
            SELECT m.ce_id, m.ce_type, m.topic, convert_to(m.pid::text, 'UTF8'), {HEADERS.format(**values)},
                {PAYLOAD.format(pid="m.pid")}, m.at, m.at + interval '40 milliseconds'
            FROM b_messages m
            WHERE m.is_event AND m.source = '{s}' AND m.at >= {outbox_since}""",
        )
        for s in SOURCES
    )
    sent = {"id": "d.ce_id", "type": "d.ce_type", "source": "'notifications'", "at": "d.at", "pid": "d.pid"}
    notifications = (
        "notifications.outbox",
        f"""INSERT INTO notifications.outbox (ce_id, ce_type, topic, key, headers, payload, recorded_at, published_at)
        SELECT d.ce_id, d.ce_type, 'journey.notifications.events', convert_to(d.pid::text, 'UTF8'),
            {HEADERS.format(**sent)}, {PAYLOAD.format(pid="d.pid")}, d.at, d.at + interval '40 milliseconds'
        FROM (SELECT {uid("m.n", "m.pid || ':sent:' || m.k || ':' || r")}::text AS ce_id,
                'journey.notifications.NotificationSent.v1' AS ce_type, m.pid,
                {TS} (b.p - 1) + make_interval(secs => 100 + m.k) AS at
            FROM b_milestones m JOIN batch b USING (pid) CROSS JOIN generate_series(1, 2) AS r
            WHERE b.p - 1 >= current_date - {int(outbox_days)}) d""",
    )
    return (*inboxes, *outboxes, notifications)

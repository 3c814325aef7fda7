"""The drill's verdict: from the topics, the databases and the mailbox, was anything lost or duplicated?

Every count is about the run's own participants. Definitions (docs/performance.md, "Fault drill"):
- lost command: sent, but not on its topic, or with neither an event nor a rejection caused by it, or not in the
  stage's inbox;
- redelivered copy: the same (topic, ce_id) more than once on a topic (at-least-once transport; harmless, the
  inbox skips it);
- duplicated fact: one fact (per participant: event type and what identifies it, e.g. a measure id or an exam
  attempt) under two different ce_ids: a second effect, never acceptable;
- mails, per milestone event (participant, milestone, event id) x recipient: missing; re-sent (same Message-ID:
  the documented at-least-once window of services/notifications/delivery.py); duplicated (two Message-IDs: two
  deliveries). A participant may reach a milestone more than once (two applications, two licences); each time is
  its own event and its own mail.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import asyncpg

from services.reporting.app import SPEC as REPORTING
from shared.contracts.catalogue import milestone_of
from tools.bench.load import LoadGenerator
from tools.bench.mailsink import Mail
from tools.bench.topics import Record

STAGES = ("recruitment", "recognition", "qualification", "placement", "notifications")
# What tells two facts of the same type apart for one participant; other types happen once per participant.
FACT_FIELDS: dict[str, tuple[str, ...]] = {
    "MeasurePlanned": ("measure_id",),
    "EnrolledInMeasure": ("measure_id",),
    "MeasureCompleted": ("measure_id",),
    "MeasureDropped": ("measure_id",),
    "ExamPassed": ("exam", "part", "attempt"),
    "ExamFailed": ("exam", "part", "attempt"),
    "ProviderAssigned": ("measure_id", "provider_id"),
    "ApplicationSubmitted": ("submitted_on",),
    "ReceiptConfirmed": ("received_on",),
    "ApplicationCompleted": ("complete_on",),
    "RecognitionDecided": ("decided_on",),
    "CompensationMeasureChosen": ("measure",),
    "LicenceGranted": ("licence",),
    "LanguageCertificateObtained": ("certificate", "level", "language_domain", "obtained_on"),
    "RetentionCheckDue": ("months",),
    "RetentionCheckOverdue": ("months",),
    "RetentionCheckRecorded": ("months",),
    "OfferRecorded": ("offer_id",),
    "OfferRetracted": ("offer_id",),
    "NotificationSent": ("milestone", "caused_by_id", "recipient_id"),
    "NotificationFailed": ("milestone", "caused_by_id", "recipient_id"),
    "NotificationSuppressed": ("milestone", "caused_by_id", "recipient_id"),
    "MessageRejected": ("rejected_id",),
}


def fact_key(record: Record) -> tuple[Any, ...]:
    return (record.topic, record.name, *(str(record.body.get(f)) for f in FACT_FIELDS.get(record.name, ())))


def check_topics(load: LoadGenerator, records: list[Record]) -> dict[str, Any]:
    """Commands against their effects, redelivered copies and duplicated facts, finished journeys."""
    mine = load.participants
    records = [r for r in records if r.key in mine or str(r.body.get("participant_id")) in mine]
    commands = [r for r in records if r.topic.endswith(".commands")]
    facts = [r for r in records if not r.topic.endswith(".commands")]
    on_topic = Counter(r.ce_id for r in commands)
    caused: dict[str, set[str]] = defaultdict(set)
    for r in facts:
        caused[r.causation_id].add(r.topic.rsplit(".", 1)[1])
    lost, rejected, not_on_topic = [], [], []
    for ce_id, sent in load.stats.commands.items():
        if not on_topic[ce_id]:
            not_on_topic.append(ce_id)
        if "events" not in caused[ce_id] and "rejections" not in caused[ce_id]:
            lost.append(f"{sent.name} {ce_id} ({sent.participant})")
        elif "rejections" in caused[ce_id]:
            rejected.append(f"{sent.name} {ce_id}")
    copies = Counter((r.topic, r.ce_id) for r in facts)
    by_fact: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    participant_of = {}
    for r in facts:
        pid = r.key if r.key in mine else str(r.body.get("participant_id"))
        by_fact[(pid, *fact_key(r))].add(r.ce_id)
        participant_of[(r.topic, r.ce_id)] = pid
    duplicated = {k: v for k, v in by_fact.items() if len(v) > 1}
    ends = {pid: journey.walk.ends_with for pid, journey in load.play.journeys.items()}
    done = {participant_of[(r.topic, r.ce_id)] for r in facts if r.name == ends.get(participant_of[(r.topic, r.ce_id)])}
    return {
        "commands_sent": len(load.stats.commands),
        "command_copies_on_topic": sum(n - 1 for n in on_topic.values() if n > 1),
        "commands_not_on_topic": len(not_on_topic),
        "commands_lost": len(lost),
        "commands_rejected": len(rejected),
        "events_distinct": len(copies),
        "redelivered_copies_same_ce_id": sum(n - 1 for n in copies.values()),
        "duplicated_facts_different_ce_id": sum(len(v) - 1 for v in duplicated.values()),
        "journeys_started": len(mine),
        "journeys_completed": len(done & mine),
        "examples": {
            "lost": lost[:5],
            "rejected": rejected[:5],
            "not_on_topic": not_on_topic[:5],
            "duplicated": [f"{k[0]} {k[2]} {k[3:]}: {sorted(v)}" for k, v in list(duplicated.items())[:5]],
            "redelivered": [
                f"{t} {next(r.name for r in facts if r.ce_id == c)} {c} x{n}" for (t, c), n in copies.items() if n > 1
            ][:5],
            "incomplete": sorted(mine - done)[:5],
        },
        "milestone_facts": Counter(
            (participant_of[(r.topic, r.ce_id)], m.value, r.ce_id)
            for r in {(r.topic, r.ce_id): r for r in facts}.values()
            if (m := milestone_of(r.ce_type)) is not None
        ),
    }


def check_mailbox(
    mails: list[Mail],
    participants: set[str],
    recipient: str,
    milestone_facts: Counter[tuple[str, str, str]],
    sent: set[tuple[str, str, str, str]],
    origin: float = 0.0,
) -> dict[str, Any]:
    """Per milestone event x recipient exactly one mail; re-sent and duplicated copies told apart.

    Expected: the run's coordinator for every milestone reached, and whoever else the notifications service
    recorded a sent delivery for (recipients others registered for every region, e.g. from the example directory).
    """
    got: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    when: dict[tuple[str, str, str, str], list[float]] = defaultdict(list)
    for mail in mails:
        if mail.participant in participants:
            for rcpt in mail.recipients:
                got[(mail.participant, mail.milestone, mail.event_id, rcpt)].append(mail.message_id)
                when[(mail.participant, mail.milestone, mail.event_id, rcpt)].append(
                    round(mail.accepted_at - origin, 1)
                )
    expected = {(p, m, e, recipient) for (p, m, e) in milestone_facts} | sent
    missing = sorted(expected - set(got))
    unexpected = sorted(set(got) - expected)
    resent = {k: v for k, v in got.items() if len(v) > len(set(v))}
    twins = {k: v for k, v in got.items() if len(set(v)) > 1}
    return {
        "mails_expected": len(expected),
        "mails_expected_to_other_recipients": len({k for k in expected if k[3] != recipient}),
        "mails_accepted": sum(len(v) for v in got.values()),
        "mails_missing": len(missing),
        "mails_unexpected": len(unexpected),
        "mails_resent_same_message_id": sum(len(v) - len(set(v)) for v in resent.values()),
        "mails_duplicated_different_message_id": sum(len(set(v)) - 1 for v in twins.values()),
        "examples": {
            "missing": [" ".join(k) for k in missing[:5]],
            "unexpected": [" ".join(k) for k in unexpected[:5]],
            "resent": [f"{' '.join(k)}: {v[0]} accepted at {when[k]} s" for k, v in list(resent.items())[:5]],
            "duplicated": [f"{' '.join(k)}: {sorted(set(v))}" for k, v in list(twins.items())[:5]],
        },
    }


async def check_databases(
    database_url: str, load: LoadGenerator, records: list[Record], recipient_id: str
) -> dict[str, Any]:
    """Each schema's own view: state reached, inbox rows of the commands, outbox rows published, deliveries."""
    pids = sorted(load.participants)
    keys = [p.encode() for p in pids]
    on_topic = {r.ce_id for r in records}
    sent_by_stage: dict[str, list[str]] = defaultdict(list)
    for ce_id, sent in load.stats.commands.items():
        sent_by_stage[sent.topic.split(".")[1]].append(ce_id)
    conn = await asyncpg.connect(database_url)
    try:
        result: dict[str, Any] = {
            "recruitment_participants": await conn.fetchval(
                "SELECT count(*) FROM recruitment.participants WHERE participant_id = ANY($1::uuid[])", pids
            ),
            "recognition_case_states": {
                r[0]: r[1]
                for r in await conn.fetch(
                    "SELECT state, count(*) FROM recognition.cases WHERE participant_id = ANY($1::uuid[]) GROUP BY 1",
                    pids,
                )
            },
            "qualification_completed": await conn.fetchval(
                "SELECT count(*) FROM qualification.participants WHERE participant_id = ANY($1::uuid[])"
                " AND completed_on IS NOT NULL",
                pids,
            ),
            "placement_states": {
                r[0]: r[1]
                for r in await conn.fetch(
                    "SELECT status, count(*) FROM placement.placements WHERE participant_id = ANY($1::uuid[])"
                    " GROUP BY 1",
                    pids,
                )
            },
            "recognition_routes": {
                r[0]: r[1]
                for r in await conn.fetch(
                    "SELECT route, count(*) FROM recognition.cases WHERE participant_id = ANY($1::uuid[]) GROUP BY 1",
                    pids,
                )
            },
        }
        missing_inbox, outbox_rows, unpublished, outbox_not_on_topic = 0, 0, 0, []
        for stage in STAGES:
            handled = {
                r["message_id"]
                for r in await conn.fetch(
                    f"SELECT message_id FROM {stage}.inbox WHERE consumer = $1 AND message_id = ANY($2::text[])",
                    f"{stage}:journey.{stage}.commands",
                    sent_by_stage.get(stage, []),
                )
            }
            missing_inbox += len(set(sent_by_stage.get(stage, [])) - handled)
            rows = await conn.fetch(
                f"SELECT ce_id, ce_type, published_at FROM {stage}.outbox WHERE key = ANY($1::bytea[])", keys
            )
            outbox_rows += len(rows)
            unpublished += sum(1 for r in rows if r["published_at"] is None)
            outbox_not_on_topic += [
                f"{stage} {r['ce_type']} {r['ce_id']}"
                for r in rows
                if r["published_at"] is not None and r["ce_id"] not in on_topic
            ]
        deliveries = await conn.fetch(
            "SELECT participant_id::text AS p, milestone, caused_by_id AS e, recipient_id, status, count(*) AS n"
            " FROM notifications.deliveries WHERE participant_id = ANY($1::uuid[]) GROUP BY 1, 2, 3, 4, 5",
            pids,
        )
        ours = [d for d in deliveries if d["recipient_id"] == recipient_id]
        per_key: Counter[tuple[str, str, str]] = Counter()
        statuses: Counter[str] = Counter()
        for d in ours:
            per_key[(d["p"], d["milestone"], d["e"])] += d["n"]
            statuses[d["status"]] += d["n"]
        # The reporting read model: every event of the run it takes, applied once (its inbox), each participant once.
        routed = {t: {route.model.ce_type() for route in routes} for t, routes in REPORTING.consumes.items()}
        for_reporting = {r.ce_id: r.topic for r in records if r.ce_type in routed.get(r.topic, ())}
        applied = {
            (row["consumer"], row["message_id"])
            for row in await conn.fetch(
                "SELECT consumer, message_id FROM reporting.inbox WHERE message_id = ANY($1::text[])",
                sorted(for_reporting),
            )
        }
        result["reporting_events_not_applied"] = sum(
            1 for ce_id, topic in for_reporting.items() if (f"reporting:{topic}", ce_id) not in applied
        )
        result["reporting_events_expected"] = len(for_reporting)
        result["reporting_participants"] = await conn.fetchval(
            "SELECT count(*) FROM reporting.participants WHERE participant_id = ANY($1::uuid[])", pids
        )
        result.update(
            {
                "commands_missing_from_inbox": missing_inbox,
                "outbox_rows": outbox_rows,
                "outbox_unpublished": unpublished,
                "outbox_published_not_on_topic": len(outbox_not_on_topic),
                "deliveries_by_status": dict(statuses),
                "deliveries_more_than_one_per_milestone": sum(1 for n in per_key.values() if n > 1),
                "deliveries_to_other_recipients": sum(d["n"] for d in deliveries if d["recipient_id"] != recipient_id),
                "examples": {"outbox_not_on_topic": outbox_not_on_topic[:5]},
            }
        )
        return result
    finally:
        await conn.close()


async def sent_deliveries(database_url: str, participants: set[str]) -> set[tuple[str, str, str, str]]:
    """(participant, milestone, milestone event id, address) of every delivery the notifications service marked
    sent."""
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT participant_id::text AS p, milestone, caused_by_id AS e, lower(email) AS email"
            " FROM notifications.deliveries"
            " WHERE participant_id = ANY($1::uuid[]) AND status = 'sent'",
            sorted(participants),
        )
        return {(r["p"], r["milestone"], r["e"], r["email"]) for r in rows}
    finally:
        await conn.close()

"""`journey` against the real stack: a refused command is listed, explained, corrected and then applied; a
participant's timeline spans every topic and no other participant; lag, backlog and health answer in their shapes."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime

from shared.contracts.envelope import Envelope, encode
from shared.contracts.recognition import (
    ApplicationSubmitted,
    CompleteApplication,
    RecognitionCaseOpened,
    SubmitApplication,
)
from shared.contracts.recruitment import ParticipantRecruited, RegisterCandidate
from tests.integration.operators.conftest import journey
from tests.integration.recognition.journey import EVENTS, REJECTIONS, case_row, open_case, submit
from tests.support.factories import register_candidate
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess


async def test_a_refused_command_is_listed_explained_and_once_corrected_applied(
    infra: Infra, partner: Partner, recruitment_and_recognition: dict[str, ServiceProcess]
) -> None:
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        pid = await open_case(partner, events)
        command = submit(pid)
        key, headers, value = encode(command, Envelope.for_message(command, source="/partners/test"))
        body = {**json.loads(value), "legal_basis": "law-of-nowhere"}
        await partner.send_raw(command.topic(), json.dumps(body).encode(), key=key, headers=headers)
        [published] = await rejections.wait_for(for_participant(pid))
    rejection_id = published.headers["ce_id"]

    listed = await journey(infra, "rejections", "list", "--participant", str(pid), "--json")
    explained = await journey(infra, "rejections", "explain", rejection_id[:13], "--json")
    still_wrong = await journey(
        infra, "rejections", "resubmit", rejection_id, "--set", "legal_basis=nonsense", "--dry-run", "--json"
    )
    corrected = await journey(
        infra, "rejections", "resubmit", rejection_id, "--set", "legal_basis=pflbg", "--wait", "--json"
    )
    unknown = await journey(infra, "rejections", "explain", str(uuid.uuid4()))

    assert listed.code == 0, listed.err
    assert [(r["id"], r["reason"], r["ce_type"]) for r in listed.json] == [
        (rejection_id, "invalid_payload", SubmitApplication.ce_type())
    ]
    assert explained.code == 0, explained.err
    assert [e["location"] for e in explained.json["errors"]] == ["legal_basis"]
    assert explained.json["original"]["body"] == body and "Send the corrected message" in explained.json["what_to_do"]
    assert still_wrong.code == 1 and still_wrong.json["sent"] is False
    assert [loc for loc, _ in still_wrong.json["refused"]["errors"]] == ["legal_basis"]
    assert corrected.code == 0, corrected.err
    assert corrected.json["outcome"] == "applied" and corrected.json["correction"]["body"]["legal_basis"] == "pflbg"
    assert ApplicationSubmitted.ce_type() in [e["ce_type"] for e in corrected.json["events"]]
    row = await case_row(infra, pid)
    assert row is not None and row["state"] == "submitted"
    assert unknown.code == 2 and "no rejection" in unknown.err and "Traceback" not in unknown.err


async def test_a_participants_timeline_holds_its_messages_of_every_topic_in_order_and_nothing_of_another(
    infra: Infra, partner: Partner, recruitment_and_recognition: dict[str, ServiceProcess]
) -> None:
    seeded, other = register_candidate(), register_candidate()
    pid = seeded.participant_id
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        for candidate in (seeded, other):
            await partner.send(candidate)
        for someone in (pid, other.participant_id):
            await events.wait_for(for_participant(someone, RecognitionCaseOpened.ce_type()))
        await partner.send(CompleteApplication(participant_id=pid, complete_on=date.today()))  # refused: too early
        await partner.send(submit(pid))
        await events.wait_for(for_participant(pid, ApplicationSubmitted.ce_type()))
        await rejections.wait_for(for_participant(pid))

    ran = await journey(infra, "timeline", str(pid), "--json")

    assert ran.code == 0, ran.err
    types = [entry["type"] for entry in ran.json]
    assert [datetime.fromisoformat(e["when"]) for e in ran.json] == sorted(
        datetime.fromisoformat(e["when"]) for e in ran.json
    )

    def at(ce_type: str) -> int:
        return types.index(ce_type)

    rejected = "journey.recognition.MessageRejected.v1"
    assert at(RegisterCandidate.ce_type()) < at(ParticipantRecruited.ce_type()) < at(RecognitionCaseOpened.ce_type())
    assert at(RecognitionCaseOpened.ce_type()) < at(CompleteApplication.ce_type()) < at(rejected)
    assert at(SubmitApplication.ce_type()) < at(ApplicationSubmitted.ce_type())
    assert ran.json[at(rejected)]["summary"].startswith("not_allowed_in_state: ")
    assert {e["topic"] for e in ran.json} >= {
        "journey.recruitment.commands",
        "journey.recruitment.events",
        "journey.recognition.commands",
        "journey.recognition.events",
        "journey.recognition.rejections",
    }
    assert str(other.participant_id) not in ran.out


async def test_lag_backlog_and_health_answer_for_the_running_stack(
    infra: Infra, recruitment_and_recognition: dict[str, ServiceProcess]
) -> None:
    recognition = recruitment_and_recognition["recognition"]
    lag = await journey(infra, "lag", "--group", "journey-recognition", "--json")
    backlog = await journey(infra, "backlog", "--json")
    health = await journey(infra, "health", "--service", f"recognition=http://127.0.0.1:{recognition.port}", "--json")

    assert lag.code == 0, lag.err
    assert lag.json and {r["group"].split(".")[0] for r in lag.json} == {"journey-recognition"}
    assert all(set(r) == {"group", "topic", "partition", "committed", "end", "lag"} for r in lag.json)
    assert all(r["lag"] == max(r["end"] - (r["committed"] or 0), 0) for r in lag.json)
    assert backlog.code == 0, backlog.err
    outbox = {row["schema"]: row for row in backlog.json["outbox"]}
    assert {"recruitment", "recognition"} <= set(outbox)
    assert set(outbox["recognition"]) == {"schema", "pending", "oldest_pending_s", "set_aside"}
    assert "deliveries" in backlog.json
    checks = {check["name"]: check for check in health.json["checks"]}
    assert health.code == 1 and health.json["ready"] is False  # the other services are not running here
    assert checks["kafka"]["ready"] and checks["postgres"]["ready"] and checks["recognition"]["ready"]
    assert checks["recognition"]["detail"]["status"] == "ready"
    assert not checks["placement"]["ready"]

"""Registering a candidate, end to end through the real broker and database, with the hard cases."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import asyncpg

from shared.contracts.recruitment import ParticipantRecruited
from shared.contracts.rejections import RejectionReason
from tests.support.factories import register_candidate
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

EVENTS = "journey.recruitment.events"
COMMANDS = "journey.recruitment.commands"
REJECTIONS = "journey.recruitment.rejections"
RECRUITED = ParticipantRecruited.ce_type()


async def outbox_rows(infra: Infra, participant_id: uuid.UUID) -> int:
    conn = await asyncpg.connect(infra.database_url)
    try:
        return int(
            await conn.fetchval(
                "SELECT count(*) FROM recruitment.outbox WHERE key = $1 AND ce_type = $2",
                str(participant_id).encode(),
                RECRUITED,
            )
        )
    finally:
        await conn.close()


async def test_registered_candidate_yields_one_recruited_event_with_cloudevents_headers(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    cmd = register_candidate()
    async with Tap(infra.kafka, EVENTS) as events:
        command_id = await partner.send(cmd)
        [event] = await events.wait_for(for_participant(cmd.participant_id), settle_s=1.5)

    assert event.key == str(cmd.participant_id)
    assert event.headers["ce_specversion"] == "1.0"
    assert event.headers["ce_type"] == "journey.recruitment.ParticipantRecruited.v1"
    assert event.headers["ce_source"] == "/journey/recruitment"
    assert event.headers["ce_subject"] == str(cmd.participant_id)
    assert event.headers["content-type"] == "application/json"
    assert event.headers["ce_causationid"] == command_id
    uuid.UUID(event.headers["ce_id"])
    body = event.body
    assert body["participant_id"] == str(cmd.participant_id)
    assert body["isco_code"] == "2221"
    assert "personal" not in body and "Amara" not in event.value.decode()


async def test_the_same_command_delivered_twice_yields_one_event(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    cmd = register_candidate()
    async with Tap(infra.kafka, EVENTS) as events:
        ce_id = await partner.send(cmd)
        await partner.send(cmd, ce_id=ce_id)
        found = await events.wait_for(for_participant(cmd.participant_id), settle_s=3)

    assert len(found) == 1
    assert await outbox_rows(infra, cmd.participant_id) == 1


async def test_a_second_registration_of_the_same_participant_is_rejected_as_already_existing(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    cmd = register_candidate()
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        await partner.send(cmd)
        await events.wait_for(for_participant(cmd.participant_id))
        second = await partner.send(cmd)  # a new message id: not a redelivery
        [rejection] = await rejections.wait_for(for_participant(cmd.participant_id))

    assert rejection.body["reason"] == RejectionReason.ALREADY_EXISTS
    assert rejection.body["rejected_id"] == second
    assert await outbox_rows(infra, cmd.participant_id) == 1


async def test_crash_after_database_commit_before_offset_commit_still_yields_one_event(
    infra: Infra, partner: Partner, log_dir: Path
) -> None:
    cmd = register_candidate()
    crashing = ServiceProcess("recruitment", infra, log_dir, FAULT_INJECTION="crash_after_commit").start()
    async with Tap(infra.kafka, EVENTS) as events:
        await partner.send(cmd)
        assert crashing.wait_exit(60) == 86  # died after commit, before the offset was committed
        restarted = ServiceProcess("recruitment", infra, log_dir).start()
        try:
            found = await events.wait_for(for_participant(cmd.participant_id), settle_s=3, timeout_s=60)
            # The restarted instance saw the redelivered command and skipped it as a duplicate.
            await _wait_for_log(restarted, "duplicate_skipped", str(cmd.participant_id))
        finally:
            restarted.stop()

    assert len(found) == 1
    assert await outbox_rows(infra, cmd.participant_id) == 1


async def test_malformed_messages_are_rejected_with_reasons_and_the_next_valid_one_is_processed(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    pid = uuid.uuid4()
    key = str(pid).encode()
    valid = register_candidate(participant_id=pid)
    good_headers = [
        ("ce_specversion", b"1.0"),
        ("ce_id", b""),
        ("ce_source", b"/partners/test"),
        ("ce_type", valid.ce_type().encode()),
        ("ce_time", b"2025-03-10T08:00:00Z"),
        ("ce_subject", key),
        ("content-type", b"application/json"),
    ]

    def headers(ce_id: str, **changes: bytes) -> list[tuple[str, bytes]]:
        return [(n, ce_id.encode() if n == "ce_id" else changes.get(n, v)) for n, v in good_headers]

    body = valid.model_dump_json().encode()
    without_consents = json.dumps({k: v for k, v in json.loads(body).items() if k != "target_profession"}).encode()
    cases = {
        "not-json": (b"{not json", headers(f"bad-1-{pid}"), RejectionReason.UNDECODABLE),
        "no-headers": (body, [], RejectionReason.MISSING_ENVELOPE),
        "unknown-type": (
            body,
            headers(f"bad-3-{pid}", ce_type=b"journey.recruitment.Nonsense.v1"),
            RejectionReason.UNKNOWN_TYPE,
        ),
        "invalid": (without_consents, headers(f"bad-4-{pid}"), RejectionReason.INVALID_PAYLOAD),
    }
    async with Tap(infra.kafka, REJECTIONS) as rejections, Tap(infra.kafka, EVENTS) as events:
        for value, hdrs, _ in cases.values():
            await partner.send_raw(COMMANDS, value, key=key, headers=hdrs)
        await partner.send(valid)
        got = await rejections.wait_for(lambda r: r.key == str(pid), count=len(cases))
        [event] = await events.wait_for(for_participant(pid))

    reasons = sorted(r.body["reason"] for r in got)
    assert reasons == sorted(reason for _, _, reason in cases.values())
    invalid = next(r.body for r in got if r.body["reason"] == RejectionReason.INVALID_PAYLOAD)
    assert [e["location"] for e in invalid["errors"]] == ["target_profession"]
    for r in got:
        assert r.headers["ce_type"] == "journey.recruitment.MessageRejected.v1"
        original = r.body["original"]
        assert original["topic"] == COMMANDS
        assert original["value_base64"]
    assert event.body["participant_id"] == str(pid)


async def test_postgres_outage_delays_a_command_but_loses_and_rejects_nothing(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    cmd = register_candidate()
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        infra.control("pg-stop")
        try:
            await partner.send(cmd)
            await asyncio.sleep(4)
            assert await events.wait_for(for_participant(cmd.participant_id), timeout_s=1) == []
        finally:
            infra.control("pg-start")
        found = await events.wait_for(for_participant(cmd.participant_id), timeout_s=60, settle_s=2)
        refused = await rejections.wait_for(for_participant(cmd.participant_id), timeout_s=1)

    assert len(found) == 1
    assert refused == []
    assert recruitment.ready() or _eventually_ready(recruitment)


def _eventually_ready(service: ServiceProcess) -> bool:
    service.wait_ready(30)
    return True


async def _wait_for_log(service: ServiceProcess, event: str, participant: str, timeout_s: float = 30) -> None:
    for _ in range(int(timeout_s / 0.2)):
        for line in service.log_path.read_text(errors="replace").splitlines():
            if event in line and participant in line:
                return
        await asyncio.sleep(0.2)
    raise AssertionError(f"{event} for {participant} not in {service.log_path}:\n{service.tail()}")


async def test_every_log_line_written_while_handling_a_command_names_the_message_and_participant(
    infra: Infra, log_dir: Path, partner: Partner
) -> None:
    service = ServiceProcess("recruitment", infra, log_dir, LOG_LEVEL="DEBUG").start()
    try:
        cmd = register_candidate()
        async with Tap(infra.kafka, EVENTS) as events:
            command_id = await partner.send(cmd)
            await events.wait_for(for_participant(cmd.participant_id))
    finally:
        service.stop()

    lines = [json.loads(line) for line in service.log_path.read_text().splitlines() if line.startswith("{")]
    about = [line for line in lines if line.get("ce_id") == command_id]
    assert {line["event"] for line in about} >= {"Received", "message_applied", "Processed"}
    for line in about:
        assert line["service"] == "recruitment"
        assert line["participant_id"] == str(cmd.participant_id)
        assert line["topic"] == COMMANDS and isinstance(line["offset"], int)
    handled = [line for line in lines if line["event"] in {"Received", "Processed"}]
    assert all("ce_id" in line and "participant_id" in line for line in handled)

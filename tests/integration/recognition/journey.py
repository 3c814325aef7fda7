"""Test steps of a recognition case: recruitment's facts, partners' commands, reads of the recognition schema."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import asyncpg

from shared.contracts.enums import (
    CefrLevel,
    ConsentScope,
    Profession,
    RecognitionTrack,
    ReferralSource,
    Residence,
)
from shared.contracts.envelope import Message
from shared.contracts.qualification import ExamFinallyFailed, ExamKind, ExamPart, QualificationCompleted
from shared.contracts.recognition import (
    ApplicationCompleted,
    CompleteApplication,
    ConfirmReceipt,
    LegalBasis,
    RecognitionCaseOpened,
    SubmitApplication,
)
from shared.contracts.recruitment import ParticipantRecruited
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant

EVENTS = "journey.recognition.events"
REJECTIONS = "journey.recognition.rejections"


def name(record: Any) -> str:
    """`ApplicationCompleted` for `journey.recognition.ApplicationCompleted.v1`."""
    return str(record.ce_type.split(".")[2])


async def publish_fact(partner: Partner, event: Message) -> str:
    """Publish another stage's event as that stage's service would: its source, its topic, its envelope."""
    return await partner.send(event)


def recruited(
    profession: Profession = Profession.NURSING_PROFESSIONAL, residence: Residence = Residence.ABROAD
) -> ParticipantRecruited:
    return ParticipantRecruited(
        participant_id=uuid.uuid4(),
        target_profession=profession,
        isco_code=None,
        country_of_training="PH",
        language_level=CefrLevel.B1,
        residence=residence,
        region="DE-SL",
        referral_source=ReferralSource.COUNSELLING_ABROAD,
        partner_org="iq-saar-example",
        consents=frozenset({ConsentScope.RECOGNITION_AUTHORITY}),
    )


async def open_case(
    partner: Partner,
    events: Tap,
    profession: Profession = Profession.NURSING_PROFESSIONAL,
    residence: Residence = Residence.ABROAD,
) -> uuid.UUID:
    """A recruited participant whose recognition case is open (commands may follow: another topic, no order)."""
    fact = recruited(profession, residence)
    await publish_fact(partner, fact)
    await events.wait_for(for_participant(fact.participant_id, RecognitionCaseOpened.ce_type()))
    return fact.participant_id


# The law each reference profession's application names (shared/contracts/routes.py, LEGAL_BASES).
LEGAL_BASIS = {
    Profession.DOCTOR: LegalBasis.BAEO,
    Profession.NURSING_PROFESSIONAL: LegalBasis.PFLBG,
    Profession.NURSING_ASSISTANT: LegalBasis.LAND_BQFG,
}


def submit(
    pid: uuid.UUID,
    profession: Profession = Profession.NURSING_PROFESSIONAL,
    track: RecognitionTrack = RecognitionTrack.STANDARD,
    submitted_on: date | None = None,
) -> SubmitApplication:
    """Submitted today unless said otherwise: its receipt due date lies ahead and passes only when a test says so."""
    return SubmitApplication(
        participant_id=pid,
        authority="authority-saar-example",
        reference_profession=profession,
        legal_basis=LEGAL_BASIS.get(profession, LegalBasis.BQFG),
        track=track,
        submitted_on=submitted_on or date.today(),
        partnership_employer="care-home-example" if track is RecognitionTrack.RECOGNITION_PARTNERSHIP_16D else None,
    )


async def complete_case(
    partner: Partner,
    events: Tap,
    complete_on: date,
    *,
    profession: Profession = Profession.NURSING_PROFESSIONAL,
    track: RecognitionTrack = RecognitionTrack.STANDARD,
) -> tuple[uuid.UUID, date]:
    """A case whose file is complete on `complete_on`; returns the participant and the decision due date."""
    partnership = track is RecognitionTrack.RECOGNITION_PARTNERSHIP_16D  # §16d(3): applied for after entry
    pid = await open_case(partner, events, profession, Residence.IN_GERMANY if partnership else Residence.ABROAD)
    await partner.send(submit(pid, profession, track))
    await partner.send(ConfirmReceipt(participant_id=pid, received_on=complete_on))
    await partner.send(CompleteApplication(participant_id=pid, complete_on=complete_on))
    [completed] = await events.wait_for(for_participant(pid, ApplicationCompleted.ce_type()))
    return pid, date.fromisoformat(completed.body["decision_due_on"])


def qualification_completed(pid: uuid.UUID) -> QualificationCompleted:
    return QualificationCompleted(participant_id=pid, completed_on=date.today(), language_level=CefrLevel.B2)


def exam_finally_failed(pid: uuid.UUID, failed_on: date) -> ExamFinallyFailed:
    return ExamFinallyFailed(
        participant_id=pid,
        exam=ExamKind.KNOWLEDGE_TEST,
        part=ExamPart.PRACTICAL,
        attempts=2,
        failed_on=failed_on,
        measure_id=None,
    )


async def tell(partner: Partner, infra: Infra, event: Message) -> None:
    """Publish another stage's fact on its events topic and wait until recognition has applied it (Kafka orders no
    two topics: a command sent after it could otherwise overtake it)."""
    ce_id = await publish_fact(partner, event)
    await eventually(lambda: handled(infra, ce_id))


async def query(infra: Infra, sql: str, *args: object) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(infra.database_url)
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def case_row(infra: Infra, pid: uuid.UUID) -> asyncpg.Record | None:
    rows = await query(infra, "SELECT * FROM recognition.cases WHERE participant_id = $1", pid)
    return rows[0] if rows else None


async def timers(infra: Infra, pid: uuid.UUID, *kinds: str) -> list[asyncpg.Record]:
    """The participant's timers, pending or not; only those of `kinds` when given."""
    rows = await query(infra, "SELECT * FROM recognition.timers WHERE participant_id = $1 ORDER BY timer_id", pid)
    return [row for row in rows if not kinds or row["kind"] in kinds]


async def let_time_pass(infra: Infra, pid: uuid.UUID) -> None:
    """Move the participant's timers into the past, as if their due dates had come."""
    await query(
        infra, "UPDATE recognition.timers SET due_at = now() - interval '1 minute' WHERE participant_id = $1", pid
    )


async def eventually(check: Callable[[], Awaitable[bool]], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout_s}s: {check.__name__}")
        await asyncio.sleep(0.2)


async def handled(infra: Infra, ce_id: str) -> bool:
    """True once recognition has handled the message (applied, skipped as a duplicate or rejected)."""
    rows = await query(infra, "SELECT 1 FROM recognition.inbox WHERE message_id = $1", ce_id)
    return bool(rows)

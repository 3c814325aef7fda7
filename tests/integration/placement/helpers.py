"""Recruitment's and recognition's facts as their services would publish them, and reads of the placement schema."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer

from shared.contracts.enums import CefrLevel, ConsentScope, Profession, ReferralSource, Residence
from shared.contracts.envelope import Event
from shared.contracts.placement import ConfirmPlacement, RecordOffer, RoleLevel, StartEmployment
from shared.contracts.recruitment import (
    ErasureBasis,
    ParticipantErased,
    ParticipantReactivated,
    ParticipantRecruited,
    ParticipantStatus,
    ParticipantWithdrawn,
    ParticipationCompleted,
    ParticipationResult,
    WithdrawalReason,
)
from tests.support.kafka import Partner, Received


class PlacementRows:
    """Reads the placement schema the way an operator would."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def status(self, participant_id: uuid.UUID) -> str | None:
        value = await self.conn.fetchval(
            "SELECT status FROM placement.placements WHERE participant_id = $1", participant_id
        )
        return None if value is None else str(value)

    async def count(self, table: str, participant_id: uuid.UUID) -> int:
        """Rows of `table` about the participant (outbox rows are keyed by the participant id)."""
        outbox = table == "outbox"
        where, value = ("key", str(participant_id).encode()) if outbox else ("participant_id", participant_id)
        return int(await self.conn.fetchval(f"SELECT count(*) FROM placement.{table} WHERE {where} = $1", value))

    async def licence(self, participant_id: uuid.UUID) -> tuple[str | None, date | None, bool] | None:
        """The case's latest licence: kind, last day of validity, whether reported expired."""
        row = await self.conn.fetchrow(
            "SELECT licence, licence_valid_until, licence_expired FROM placement.placements WHERE participant_id = $1",
            participant_id,
        )
        return None if row is None else (row["licence"], row["licence_valid_until"], row["licence_expired"])

    async def permit_expired_on(self, participant_id: uuid.UUID, offer_id: uuid.UUID) -> date | None:
        value = await self.conn.fetchval(
            "SELECT permit_expired_on FROM placement.offers WHERE participant_id = $1 AND offer_id = $2",
            participant_id,
            offer_id,
        )
        assert value is None or isinstance(value, date)
        return value

    async def left_programme_on(self, participant_id: uuid.UUID) -> date | None:
        value = await self.conn.fetchval(
            "SELECT left_programme_on FROM placement.placements WHERE participant_id = $1", participant_id
        )
        assert value is None or isinstance(value, date)
        return value

    async def handled(self, ce_id: str) -> bool:
        """Whether the service has consumed the message (its id is in the inbox)."""
        return bool(await self.conn.fetchval("SELECT true FROM placement.inbox WHERE message_id = $1", ce_id))

    async def timers(self, participant_id: uuid.UUID) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            "SELECT timer_id, kind, due_at, fired_at, cancelled_at FROM placement.timers"
            " WHERE participant_id = $1 ORDER BY timer_id",
            participant_id,
        )

    async def eventually(self, read: Callable[[], Awaitable[Any]], expected: Any, timeout_s: float = 30) -> None:
        """Wait until `read()` returns `expected`; fail with the last value read."""
        deadline = time.monotonic() + timeout_s
        while (value := await read()) != expected:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {expected!r}, still {value!r} after {timeout_s}s")
            await asyncio.sleep(0.2)


class RecruitmentFacts:
    """Publishes on `journey.recruitment.events` with the recruitment service's envelope, then waits for placement."""

    def __init__(self, producer: AIOKafkaProducer, rows: PlacementRows) -> None:
        self._producer = producer
        self._rows = rows

    async def publish(self, event: Event, *, ce_id: str | None = None) -> str:
        return await Partner(self._producer).send(event, ce_id=ce_id)

    async def recruited(self, participant_id: uuid.UUID | None = None, **fields: Any) -> uuid.UUID:
        """A recruited participant whose placement case is open (commands and events travel on different topics)."""
        participant_id = participant_id or uuid.uuid4()
        await self.publish(recruited_event(participant_id, **fields))
        await self._rows.eventually(lambda: self._rows.status(participant_id), "searching")
        return participant_id

    async def withdrawn(self, participant_id: uuid.UUID) -> None:
        await self.publish(
            ParticipantWithdrawn(
                participant_id=participant_id, reason=WithdrawalReason.MOVED_AWAY, withdrawn_on=date(2031, 6, 1)
            )
        )

    async def completed(self, participant_id: uuid.UUID, completed_on: date = date(2031, 6, 30)) -> str:
        return await self.publish(
            ParticipationCompleted(
                participant_id=participant_id,
                result=ParticipationResult.EMPLOYED_RECOGNITION_PENDING,
                completed_on=completed_on,
            )
        )

    async def reactivated(self, participant_id: uuid.UUID) -> None:
        await self.publish(
            ParticipantReactivated(
                participant_id=participant_id,
                reactivated_on=date(2031, 9, 1),
                previous_status=ParticipantStatus.WITHDRAWN,
            )
        )

    async def erased(self, participant_id: uuid.UUID) -> None:
        await self.publish(
            ParticipantErased(
                participant_id=participant_id, basis=ErasureBasis.DATA_SUBJECT_REQUEST, erased_on=date(2031, 6, 1)
            )
        )


def recruited_event(participant_id: uuid.UUID, **fields: Any) -> ParticipantRecruited:
    """Recruitment's fact; `fields` such as `district` or `eu_citizen` (both unknown when left out)."""
    return ParticipantRecruited(
        participant_id=participant_id,
        target_profession=Profession.NURSING_PROFESSIONAL,
        isco_code="2221",
        country_of_training="PH",
        language_level=CefrLevel.B1,
        residence=Residence.ABROAD,
        region="DE-SL",
        referral_source=ReferralSource.COUNSELLING_ABROAD,
        partner_org="iq-saar-example",
        consents=frozenset({ConsentScope.EMPLOYER}),
        **fields,
    )


def record_offer(participant_id: uuid.UUID, offer_id: uuid.UUID | None = None) -> RecordOffer:
    return RecordOffer(
        participant_id=participant_id,
        offer_id=offer_id or uuid.uuid4(),
        employer_id="care-home-example",
        role_level=RoleLevel.SKILLED_WORKER,
        in_region=True,
        offered_on=date(2030, 11, 3),
    )


def confirm(
    participant_id: uuid.UUID, offer_id: uuid.UUID, role: RoleLevel = RoleLevel.ASSISTANT_PENDING_RECOGNITION
) -> ConfirmPlacement:
    return ConfirmPlacement(
        participant_id=participant_id,
        offer_id=offer_id,
        contract_signed_on=date(2030, 11, 14),
        starts_on=date(2031, 3, 1),
        role_level=role,
        in_region=True,
    )


async def employed(
    partner: Partner,
    participant_id: uuid.UUID,
    started_on: date,
    role: RoleLevel = RoleLevel.ASSISTANT_PENDING_RECOGNITION,
) -> uuid.UUID:
    """Offer, contract and start for a recruited participant; returns the offer id."""
    offer = record_offer(participant_id)
    await partner.send(offer)
    await partner.send(confirm(participant_id, offer.offer_id, role))
    await partner.send(StartEmployment(participant_id=participant_id, started_on=started_on))
    return offer.offer_id


def named(participant_id: uuid.UUID, name: str, **fields: Any) -> Callable[[Received], bool]:
    """The participant's records of one message type (by name) whose body has the given fields."""
    return lambda r: (
        r.key == str(participant_id)
        and r.ce_type.split(".")[2] == name
        and all(r.body.get(k) == v for k, v in fields.items())
    )


def by_check(timers: list[asyncpg.Record]) -> dict[tuple[str, int], asyncpg.Record]:
    """Retention timer rows by (kind, months); their ids are `kind:participant:offer:months`."""
    return {(t["kind"], int(t["timer_id"].rsplit(":", 1)[1])): t for t in timers if t["kind"].startswith("retention")}


def names(records: list[Received]) -> list[str]:
    return [r.ce_type.split(".")[2] for r in records]

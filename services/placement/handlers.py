"""Placement's use cases: one function per command on `journey.placement.commands`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

from services.placement import domain, retention, store
from services.placement.domain import Placement
from shared.contracts.placement import (
    ConfirmPlacement,
    EmploymentEnded,
    EmploymentStarted,
    EndEmployment,
    OfferRecorded,
    OfferRetracted,
    PlacementConfirmed,
    PlacementStatus,
    RecordOffer,
    RecordRetentionCheck,
    RetentionCheckRecorded,
    RetractOffer,
    StartEmployment,
)
from shared.contracts.rejections import RejectionReason
from shared.errors import Rejected
from shared.unit_of_work import UnitOfWork


async def record_offer(uow: UnitOfWork, cmd: RecordOffer) -> None:
    before = await _lock(uow, cmd.participant_id)
    with _refusals():
        after = domain.record_offer(before, cmd.offer_id)
    await store.insert_offer(uow.conn, cmd, uow.now)
    await store.save(uow.conn, cmd.participant_id, after, uow.now)
    await uow.emit(OfferRecorded.model_validate(cmd.model_dump()))


async def retract_offer(uow: UnitOfWork, cmd: RetractOffer) -> None:
    before = await _lock(uow, cmd.participant_id)
    with _refusals():
        after = domain.retract_offer(before, cmd.offer_id)
    await store.retract_offer(uow.conn, cmd, uow.now)
    await store.save(uow.conn, cmd.participant_id, after, uow.now)
    if cmd.offer_id == before.current_offer:
        await retention.cancel(uow, cmd.participant_id, cmd.offer_id)
    await uow.emit(
        OfferRetracted(
            participant_id=cmd.participant_id,
            offer_id=cmd.offer_id,
            retracted_on=cmd.retracted_on,
            reason=cmd.reason,
            status=PlacementStatus(after.status.value),
        )
    )


async def confirm_placement(uow: UnitOfWork, cmd: ConfirmPlacement) -> None:
    before = await _lock(uow, cmd.participant_id)
    with _refusals():
        after = domain.confirm_placement(before, cmd.offer_id)
    await store.confirm_offer(uow.conn, cmd, uow.now)
    await store.save(uow.conn, cmd.participant_id, after, uow.now)
    offer = await store.offer(uow.conn, cmd.participant_id, cmd.offer_id)
    await uow.emit(PlacementConfirmed.model_validate({**cmd.model_dump(), "employer_id": offer["employer_id"]}))


async def start_employment(uow: UnitOfWork, cmd: StartEmployment) -> None:
    before = await _lock(uow, cmd.participant_id)
    with _refusals():
        after = domain.start_employment(before, cmd.started_on)
    offer_id = _current(after)
    await store.save(uow.conn, cmd.participant_id, after, uow.now)
    await store.start_employment(uow.conn, cmd.participant_id, offer_id, cmd.started_on, uow.now)
    await retention.schedule(uow, cmd.participant_id, offer_id, cmd.started_on)
    offer = await store.offer(uow.conn, cmd.participant_id, offer_id)
    await uow.emit(
        EmploymentStarted(
            participant_id=cmd.participant_id,
            employer_id=offer["employer_id"],
            role_level=offer["role_level"],
            in_region=offer["in_region"],
            started_on=cmd.started_on,
        )
    )


async def record_retention_check(uow: UnitOfWork, cmd: RecordRetentionCheck) -> None:
    before = await _lock(uow, cmd.participant_id)
    with _refusals():
        domain.record_retention_check(before, cmd.months, cmd.checked_on)
    offer_id, started_on = _current(before), before.started_on
    assert started_on is not None
    due_on = domain.retention_due_on(started_on, cmd.months)
    await store.insert_check(uow.conn, cmd, offer_id, due_on, uow.now)
    await retention.cancel(uow, cmd.participant_id, offer_id, (cmd.months,))
    await uow.emit(RetentionCheckRecorded.model_validate(cmd.model_dump()))


async def end_employment(uow: UnitOfWork, cmd: EndEmployment) -> None:
    before = await _lock(uow, cmd.participant_id)
    with _refusals():
        after = domain.end_employment(before, cmd.ended_on)
    await store.save(uow.conn, cmd.participant_id, after, uow.now)
    await store.end_employment(uow.conn, cmd, _current(before), uow.now)
    await retention.cancel(uow, cmd.participant_id, before.current_offer)
    await uow.emit(
        EmploymentEnded(
            participant_id=cmd.participant_id,
            ended_on=cmd.ended_on,
            reason=cmd.reason,
            authority_notice_due_on=domain.authority_notice_due_on(cmd.ended_on),
        )
    )


async def _lock(uow: UnitOfWork, participant_id: UUID) -> Placement:
    placement = await store.lock(uow.conn, participant_id)
    if placement is None:
        raise Rejected(RejectionReason.UNKNOWN_PARTICIPANT, f"placement has no case for participant {participant_id}")
    return placement


def _current(placement: Placement) -> UUID:
    if placement.current_offer is None:
        raise AssertionError("a placed or employed case has a confirmed offer")
    return placement.current_offer


@contextmanager
def _refusals() -> Iterator[None]:
    """Translate placement's domain errors into the rejection the sender receives."""
    try:
        yield
    except domain.Duplicate as error:
        raise Rejected(RejectionReason.ALREADY_EXISTS, str(error)) from None
    except domain.PlacementError as error:
        raise Rejected(RejectionReason.NOT_ALLOWED_IN_STATE, str(error)) from None

"""Placement's use cases: one function per command on `journey.placement.commands`; each loads the case (locked),
lets the domain decide, saves, and carries out what was decided."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from uuid import UUID

from services.placement import store
from services.placement.domain import employment, end_notice, follow_ups, offers, retention
from services.placement.domain.case import Placement
from shared.contracts.placement import (
    ConfirmPlacement,
    EndEmployment,
    RecordEndNotice,
    RecordOffer,
    RecordRetentionCheck,
    RetractOffer,
    StartEmployment,
)
from shared.decision import Decision
from shared.handling import change
from shared.unit_of_work import UnitOfWork


async def record_offer(uow: UnitOfWork, cmd: RecordOffer) -> None:
    await _change(uow, cmd.participant_id, lambda p: offers.record_offer(p, cmd))


async def retract_offer(uow: UnitOfWork, cmd: RetractOffer) -> None:
    await _change(uow, cmd.participant_id, lambda p: offers.retract_offer(p, cmd))


async def confirm_placement(uow: UnitOfWork, cmd: ConfirmPlacement) -> None:
    await _change(uow, cmd.participant_id, lambda p: offers.confirm_placement(p, cmd))


async def start_employment(
    uow: UnitOfWork, cmd: StartEmployment, *, retention_months: Iterable[int] = follow_ups.RETENTION_MONTHS
) -> None:
    """`retention_months`: the follow-ups the deployment configured (`PlacementSettings`), bound in `app`."""
    months = tuple(retention_months)
    await _change(uow, cmd.participant_id, lambda p: employment.start_employment(p, cmd, months))


async def record_retention_check(uow: UnitOfWork, cmd: RecordRetentionCheck) -> None:
    await _change(uow, cmd.participant_id, lambda p: retention.record_retention_check(p, cmd))


async def end_employment(uow: UnitOfWork, cmd: EndEmployment) -> None:
    await _change(uow, cmd.participant_id, lambda p: employment.end_employment(p, cmd))


async def record_end_notice(uow: UnitOfWork, cmd: RecordEndNotice) -> None:
    await _change(uow, cmd.participant_id, lambda p: end_notice.record_end_notice(p, cmd))


async def _change(uow: UnitOfWork, participant_id: UUID, decide: Callable[[Placement], Decision[Placement]]) -> None:
    missing = f"placement has no case for participant {participant_id}"
    await change(uow, participant_id, load=store.lock, save=store.save, decide=decide, missing=missing)

"""Recruitment's use cases for the participant's rights: access requests, corrections and audit holds."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from services.recruitment import rights_store, store
from services.recruitment.domain import Participant, rights
from shared.calendar import german_date
from shared.contracts.recruitment import (
    CorrectPersonalData,
    PersonalDataCorrected,
    PlaceAuditHold,
    ReleaseAuditHold,
    RequestDataAccess,
)
from shared.decision import Decision
from shared.handling import change
from shared.unit_of_work import UnitOfWork


async def request_data_access(uow: UnitOfWork, cmd: RequestDataAccess) -> None:
    """Recorded as pending until an operator produces the document (`journey rights access`)."""
    request_id = UUID(uow.new_id("access_request"))
    await _change(uow, cmd.participant_id, lambda p: rights.request_access(p, cmd, request_id))
    await rights_store.record_access_request(
        uow.conn, request_id, cmd.participant_id, cmd.requested_by, cmd.requested_on, uow.now
    )


async def correct_personal_data(uow: UnitOfWork, cmd: CorrectPersonalData) -> None:
    decision = await _change(uow, cmd.participant_id, lambda p: rights.correct(p, cmd))
    [corrected] = [e for e in decision.events if isinstance(e, PersonalDataCorrected)]
    await rights_store.record_correction(
        uow.conn, cmd.participant_id, uow.cause_id, cmd.corrected_by, cmd.corrected_on, corrected.fields, uow.now
    )


async def place_audit_hold(uow: UnitOfWork, cmd: PlaceAuditHold) -> None:
    await _change(uow, cmd.participant_id, lambda p: rights.place_hold(p, cmd, german_date(uow.now)))


async def release_audit_hold(uow: UnitOfWork, cmd: ReleaseAuditHold) -> None:
    await _change(uow, cmd.participant_id, lambda p: rights.release_hold(p, cmd, german_date(uow.now)))


async def _change(
    uow: UnitOfWork, participant_id: UUID, decide: Callable[[Participant], Decision[Participant]]
) -> Decision[Participant]:
    missing = f"no participant {participant_id} in recruitment"
    return await change(uow, participant_id, load=store.lock, save=store.save, decide=decide, missing=missing)

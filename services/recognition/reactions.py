"""What recognition does with recruitment's facts: open, retarget, close and erase cases."""

from __future__ import annotations

import structlog

from services.recognition import deadlines, store
from services.recognition.dates import german_date
from services.recognition.domain import Case, CaseState
from shared.contracts.recognition import RecognitionCaseOpened
from shared.contracts.recruitment import IntakeRecorded, ParticipantErased, ParticipantRecruited, ParticipantWithdrawn
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()


async def open_case(uow: UnitOfWork, event: ParticipantRecruited) -> None:
    if await store.lock(uow.conn, event.participant_id) is not None:
        log.info("case_exists_already")  # a fact told twice under two ids; the first one counts
        return
    case = Case(participant_id=event.participant_id, target_profession=str(event.target_profession))
    await store.insert(uow.conn, case, uow.now)
    await uow.emit(
        RecognitionCaseOpened(
            participant_id=event.participant_id,
            target_profession=event.target_profession,
            opened_on=german_date(uow.now),
        )
    )


async def retarget_case(uow: UnitOfWork, event: IntakeRecorded) -> None:
    case = await store.lock(uow.conn, event.participant_id)
    if case is None:
        return
    after = case.retarget(str(event.target_profession))
    if after != case:
        await store.save(uow.conn, after, uow.now)
        log.info("target_profession_changed", target_profession=after.target_profession)


async def close_case(uow: UnitOfWork, event: ParticipantWithdrawn) -> None:
    case = await store.lock(uow.conn, event.participant_id)
    if case is None or case.state is CaseState.CLOSED:
        return
    await store.save(uow.conn, case.close(), uow.now)
    await deadlines.cancel_all(uow, case)
    log.info("case_closed", previous_state=case.state.value)


async def erase_case(uow: UnitOfWork, event: ParticipantErased) -> None:
    await store.lock(uow.conn, event.participant_id)
    await store.delete(uow.conn, event.participant_id)
    await uow.forget_participant(event.participant_id)
    log.info("case_erased")

"""Qualification's use cases for other stages' facts: one per recruitment or recognition event it uses; each loads
the plan, lets the domain decide, saves, emits."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from services.qualification import domain, store
from services.qualification.domain import Plan
from shared.calendar import german_date
from shared.contracts.recognition import (
    ApplicationSubmitted,
    ComparabilityStated,
    CompensationMeasureChosen,
    RecognitionDecided,
    RecognitionNotNeeded,
    TrainingCompleted,
    TrainingStarted,
)
from shared.contracts.recruitment import (
    IntakeRecorded,
    ParticipantReactivated,
    ParticipantRecruited,
    ParticipantWithdrawn,
)
from shared.decision import Decision
from shared.handling import change, react
from shared.reactions import erasure
from shared.unit_of_work import UnitOfWork


async def participant_recruited(uow: UnitOfWork, event: ParticipantRecruited) -> None:
    today = german_date(uow.now)
    await _open_or_change(uow, event.participant_id, lambda plan: domain.participant_recruited(plan, event, today))


async def intake_recorded(uow: UnitOfWork, event: IntakeRecorded) -> None:
    await _open_or_change(uow, event.participant_id, lambda plan: domain.intake_recorded(plan, event))


async def participant_withdrawn(uow: UnitOfWork, event: ParticipantWithdrawn) -> None:
    """Nothing planned for them, nothing to close: a withdrawal opens no plan."""
    await react(uow, event.participant_id, load=store.lock, save=store.save, decide=domain.withdraw)


async def participant_reactivated(uow: UnitOfWork, event: ParticipantReactivated) -> None:
    """A withdrawn plan is active again; nothing planned for them, nothing to reopen: a reactivation opens no plan."""
    await react(
        uow, event.participant_id, load=store.lock, save=store.save, decide=lambda plan: domain.reactivate(plan, event)
    )


participant_erased = erasure(store.delete)


async def recognition_decided(uow: UnitOfWork, event: RecognitionDecided) -> None:
    await _open_or_change(uow, event.participant_id, lambda plan: domain.recognition_decided(plan, event))


async def compensation_measure_chosen(uow: UnitOfWork, event: CompensationMeasureChosen) -> None:
    await _open_or_change(uow, event.participant_id, lambda plan: domain.compensation_measure_chosen(plan, event))


async def application_submitted(uow: UnitOfWork, event: ApplicationSubmitted) -> None:
    await _open_or_change(uow, event.participant_id, lambda plan: domain.application_submitted(plan, event))


async def comparability_stated(uow: UnitOfWork, event: ComparabilityStated) -> None:
    await _open_or_change(uow, event.participant_id, lambda plan: domain.comparability_stated(plan, event))


async def recognition_not_needed(uow: UnitOfWork, event: RecognitionNotNeeded) -> None:
    await _open_or_change(uow, event.participant_id, lambda plan: domain.recognition_not_needed(plan, event))


async def training_started(uow: UnitOfWork, event: TrainingStarted) -> None:
    await _open_or_change(uow, event.participant_id, lambda plan: domain.training_started(plan, event))


async def training_completed(uow: UnitOfWork, event: TrainingCompleted) -> None:
    await _open_or_change(uow, event.participant_id, lambda plan: domain.training_completed(plan, event))


async def _open_or_change(uow: UnitOfWork, participant_id: UUID, decide: Callable[[Plan], Decision[Plan]]) -> None:
    """Facts may arrive in any order across stages: one about a participant this stage has no plan for yet opens
    the empty plan (the recruitment fills it in later) instead of being lost."""
    await change(
        uow,
        participant_id,
        load=lambda conn, pid: store.lock_or_open(conn, pid, uow.now),
        save=store.save,
        decide=decide,
        missing=f"qualification has no plan for {participant_id}",  # never: lock_or_open opens one
    )

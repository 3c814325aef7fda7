"""Reporting's reactions to the other stages' facts: each one is written into the read model as it is, whatever
came before it (a stage's fact may precede the recruitment: it is kept and counts once the participant is known).
Nothing is refused, nothing is emitted; a fact about an erased participant is dropped."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, TypeVar

import structlog

from services.reporting import store
from services.reporting.domain.exits import ExitKind, country_group
from shared.calendar import german_date
from shared.contracts import placement as pl
from shared.contracts import qualification as ql
from shared.contracts import recognition as rc
from shared.contracts.counselling import CounsellingSessionHeld, FirstContactLinked, FirstContactRecorded
from shared.contracts.enums import Route
from shared.contracts.envelope import Message
from shared.contracts.organisations import (
    LeadHandedOver,
    OrganisationInvolved,
    OrganisationRegistered,
    OrganisationReleased,
)
from shared.contracts.recruitment import (
    IntakeRecorded,
    ParticipantErased,
    ParticipantReactivated,
    ParticipantRecruited,
    ParticipantWithdrawn,
    ParticipationCompleted,
    ParticipationPaused,
    ParticipationResumed,
)
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()

M = TypeVar("M", bound=Message)


def about_known(handler: Callable[[UnitOfWork, M], Awaitable[None]]) -> Callable[[UnitOfWork, M], Awaitable[None]]:
    """`handler`, unless the participant was erased: a late fact from another topic must not bring them back."""

    async def apply(uow: UnitOfWork, event: M) -> None:
        if await store.is_erased(uow.conn, event.participant_id):
            log.info("fact_about_erased_participant_dropped")
            return
        await handler(uow, event)

    apply.__name__ = handler.__name__
    apply.__doc__ = handler.__doc__
    return apply


# Recruitment: the participant, their life cycle, organisations and counselling.


@about_known
async def participant_recruited(uow: UnitOfWork, event: ParticipantRecruited) -> None:
    """The participant enters on the day recruitment says (`registered_on`), else the day the fact happened (German
    time)."""
    await store.recruited(
        uow.conn,
        event.participant_id,
        recruited_on=event.registered_on or german_date(uow.occurred_at or uow.now),
        attributes=_attributes(event) | {"referral_source": event.referral_source.value},
        lead_org=event.partner_org,
        lead_role=event.partner_role.value,
        now=uow.now,
        case_reference=event.case_reference,
    )


@about_known
async def intake_recorded(uow: UnitOfWork, event: IntakeRecorded) -> None:
    await store.update_participant(uow.conn, event.participant_id, uow.now, event.recorded_on, **_attributes(event))


@about_known
async def participation_paused(uow: UnitOfWork, event: ParticipationPaused) -> None:
    await store.update_participant(
        uow.conn,
        event.participant_id,
        uow.now,
        event.paused_on,
        status="paused",
        paused_on=event.paused_on,
        expected_return_on=event.expected_return_on,
    )


@about_known
async def participation_resumed(uow: UnitOfWork, event: ParticipationResumed) -> None:
    await store.update_participant(
        uow.conn,
        event.participant_id,
        uow.now,
        event.resumed_on,
        status="active",
        paused_on=None,
        expected_return_on=None,
    )


@about_known
async def participation_completed(uow: UnitOfWork, event: ParticipationCompleted) -> None:
    await _left(uow, event.participant_id, ExitKind.COMPLETED, event.completed_on, event.result.value)


@about_known
async def participant_withdrawn(uow: UnitOfWork, event: ParticipantWithdrawn) -> None:
    await _left(uow, event.participant_id, ExitKind.WITHDRAWN, event.withdrawn_on, event.reason.value)


@about_known
async def participant_reactivated(uow: UnitOfWork, event: ParticipantReactivated) -> None:
    """Back under the same pseudonym: the exit no longer counts (a later one will)."""
    await store.update_participant(
        uow.conn,
        event.participant_id,
        uow.now,
        event.reactivated_on,
        status="active",
        exit_on=None,
        exit_kind=None,
        exit_result=None,
        paused_on=None,
        expected_return_on=None,
    )


async def participant_erased(uow: UnitOfWork, event: ParticipantErased) -> None:
    """Every participant-level row goes (closed periods' anonymous counts stay), then the runtime's rows."""
    await store.erase(uow.conn, event.participant_id, event.erased_on)
    await uow.forget_participant(event.participant_id)


async def organisation_registered(uow: UnitOfWork, event: OrganisationRegistered) -> None:
    await store.organisation(
        uow.conn, event.org_id, name=event.name, org_kind=event.org_kind.value, region=event.region, now=uow.now
    )


@about_known
async def organisation_involved(uow: UnitOfWork, event: OrganisationInvolved) -> None:
    await store.involve(
        uow.conn, event.participant_id, event.org_id, event.role.value, event.involved_on, event.case_reference
    )


@about_known
async def organisation_released(uow: UnitOfWork, event: OrganisationReleased) -> None:
    await store.release(uow.conn, event.participant_id, event.org_id, event.role.value, event.released_on)


@about_known
async def lead_handed_over(uow: UnitOfWork, event: LeadHandedOver) -> None:
    await store.update_participant(uow.conn, event.participant_id, uow.now, None, lead_org=event.to_org)


@about_known
async def counselling_session_held(uow: UnitOfWork, event: CounsellingSessionHeld) -> None:
    """A session counts once per participant, day, organisation and type (a replay is the same session)."""
    kind = event.counselling_type.value
    await store.counselling(
        uow.conn,
        f"session:{event.participant_id}:{event.held_on}:{event.org_id}:{kind}",
        held_on=event.held_on,
        counselling_type=kind,
        org_id=event.org_id,
        participant_id=event.participant_id,
    )
    await store.update_participant(uow.conn, event.participant_id, uow.now, event.held_on)


async def first_contact_recorded(uow: UnitOfWork, event: FirstContactRecorded) -> None:
    """An anonymous first contact: counted by its own day, region and organisation."""
    await store.counselling(
        uow.conn,
        f"contact:{event.contact_id}",
        held_on=event.held_on,
        counselling_type=event.counselling_type.value,
        org_id=event.org_id,
        contact_id=event.contact_id,
        region=event.region,
        district=event.district,
        profession=None if event.profession is None else event.profession.value,
        country_group=None if event.country_of_training is None else country_group(event.country_of_training).value,
    )


@about_known
async def first_contact_linked(uow: UnitOfWork, event: FirstContactLinked) -> None:
    """The first contact belongs to the participant (still counted once, as a first contact)."""
    await store.counselling(
        uow.conn,
        f"contact:{event.contact_id}",
        held_on=event.held_on,
        counselling_type=event.counselling_type.value,
        org_id=None,
        contact_id=event.contact_id,
        participant_id=event.participant_id,
    )


# Recognition.


@about_known
async def application_submitted(uow: UnitOfWork, event: rc.ApplicationSubmitted) -> None:
    await _mark(
        uow,
        event,
        event.submitted_on,
        first={"application_on": event.submitted_on},
        latest={"receipt_due_on": event.receipt_due_on, **({"route": event.route.value} if event.route else {})},
    )


@about_known
async def receipt_confirmed(uow: UnitOfWork, event: rc.ReceiptConfirmed) -> None:
    await _mark(
        uow,
        event,
        event.received_on,
        first={"receipt_on": event.received_on},
        latest={"documents_due_on": event.documents_due_on},
    )


@about_known
async def application_completed(uow: UnitOfWork, event: rc.ApplicationCompleted) -> None:
    await _mark(
        uow,
        event,
        event.complete_on,
        first={"complete_on": event.complete_on},
        latest={"decision_due_on": event.decision_due_on},
    )


@about_known
async def deadline_extended(uow: UnitOfWork, event: rc.DeadlineExtended) -> None:
    await _mark(uow, event, None, latest={"decision_due_on": event.decision_due_on})


@about_known
async def recognition_decided(uow: UnitOfWork, event: rc.RecognitionDecided) -> None:
    await _mark(
        uow,
        event,
        event.decided_on,
        first={"decided_on": event.decided_on},
        latest={"decision_outcome": event.outcome.value},
    )


@about_known
async def comparability_stated(uow: UnitOfWork, event: rc.ComparabilityStated) -> None:
    await _mark(
        uow,
        event,
        event.issued_on,
        first={"comparability_on": event.issued_on},
        if_unset={"route": Route.STATEMENT_OF_COMPARABILITY.value},
    )


@about_known
async def recognition_not_needed(uow: UnitOfWork, event: rc.RecognitionNotNeeded) -> None:
    await _mark(
        uow,
        event,
        event.decided_on,
        first={"not_needed_on": event.decided_on},
        if_unset={"route": Route.NO_RECOGNITION_NEEDED.value},
    )


@about_known
async def training_started(uow: UnitOfWork, event: rc.TrainingStarted) -> None:
    await _mark(
        uow,
        event,
        event.starts_on,
        first={"training_started_on": event.starts_on},
        latest={"route": Route.VOCATIONAL_TRAINING.value},
    )


@about_known
async def training_completed(uow: UnitOfWork, event: rc.TrainingCompleted) -> None:
    await _mark(uow, event, event.completed_on, first={"training_completed_on": event.completed_on})


@about_known
async def licence_granted(uow: UnitOfWork, event: rc.LicenceGranted) -> None:
    """A licence: the first counts for the durations; any grant settles an expiring Berufserlaubnis."""
    await _mark(
        uow,
        event,
        event.granted_on,
        first={"licence_on": event.granted_on},
        latest={"licence_kind": event.licence.value, "expiring_until": None},
    )


@about_known
async def licence_expiring(uow: UnitOfWork, event: rc.LicenceExpiring | rc.LicenceExpired) -> None:
    """A Berufserlaubnis ends (or ended) and no permanent licence is recorded: on the follow-up list."""
    await _mark(uow, event, None, latest={"expiring_until": event.valid_until})


@about_known
async def recognition_progress(uow: UnitOfWork, event: rc.CompensationMeasureChosen) -> None:
    await _mark(uow, event, event.chosen_on)


# Qualification.


@about_known
async def enrolled_in_measure(uow: UnitOfWork, event: ql.EnrolledInMeasure) -> None:
    await _mark(uow, event, event.enrolled_on, first={"enrolled_on": event.enrolled_on})


@about_known
async def qualification_completed(uow: UnitOfWork, event: ql.QualificationCompleted) -> None:
    await _mark(
        uow,
        event,
        event.completed_on,
        first={"qualified_on": event.completed_on},
        if_unset={"route": event.route.value} if event.route else None,
    )


@about_known
async def exam_finally_failed(uow: UnitOfWork, event: ql.ExamFinallyFailed) -> None:
    await _mark(uow, event, event.failed_on, first={"finally_failed_on": event.failed_on})


@about_known
async def qualification_progress(
    uow: UnitOfWork,
    event: ql.LanguageTargetReached | ql.ExamPassed | ql.ExamFailed | ql.MeasureCompleted,
) -> None:
    """A step that is progress, but no milestone the figures count."""
    day = {
        ql.LanguageTargetReached: lambda e: e.reached_on,
        ql.ExamPassed: lambda e: e.taken_on,
        ql.ExamFailed: lambda e: e.taken_on,
        ql.MeasureCompleted: lambda e: e.completed_on,
    }[type(event)](event)
    await _mark(uow, event, day)


# Placement.


@about_known
async def offer_recorded(uow: UnitOfWork, event: pl.OfferRecorded) -> None:
    await _mark(uow, event, event.offered_on, first={"offered_on": event.offered_on})


@about_known
async def placement_confirmed(uow: UnitOfWork, event: pl.PlacementConfirmed) -> None:
    await _mark(uow, event, event.contract_signed_on, first={"confirmed_on": event.contract_signed_on})


@about_known
async def employment_started(uow: UnitOfWork, event: pl.EmploymentStarted) -> None:
    await _mark(
        uow,
        event,
        event.started_on,
        first={"first_started_on": event.started_on},
        latest={"last_started_on": event.started_on},
    )
    await store.restart_retention(uow.conn, event.participant_id, event.started_on)


@about_known
async def employment_ended(uow: UnitOfWork, event: pl.EmploymentEnded) -> None:
    await _mark(uow, event, event.ended_on, latest={"last_ended_on": event.ended_on})


@about_known
async def end_notice_due(uow: UnitOfWork, event: pl.EmploymentEndNoticeDue) -> None:
    await _mark(uow, event, None, latest={"notice_due_on": event.notice_due_on, "notice_on": None})


@about_known
async def end_notice_recorded(uow: UnitOfWork, event: pl.EndNoticeRecorded) -> None:
    await _mark(uow, event, event.notified_on, latest={"notice_on": event.notified_on})


@about_known
async def retention_check_due(uow: UnitOfWork, event: pl.RetentionCheckDue) -> None:
    await store.retention(uow.conn, event.participant_id, event.months, due_on=event.due_on)


@about_known
async def retention_check_overdue(uow: UnitOfWork, event: pl.RetentionCheckOverdue) -> None:
    await store.retention(uow.conn, event.participant_id, event.months, due_on=event.due_on, overdue=True)


@about_known
async def retention_check_recorded(uow: UnitOfWork, event: pl.RetentionCheckRecorded) -> None:
    await store.retention(
        uow.conn,
        event.participant_id,
        event.months,
        checked_on=event.checked_on,
        still_employed=event.still_employed,
    )
    await _mark(uow, event, event.checked_on)


async def _mark(
    uow: UnitOfWork,
    event: Message,
    progress: date | None,
    *,
    first: dict[str, Any] | None = None,
    latest: dict[str, Any] | None = None,
    if_unset: dict[str, Any] | None = None,
) -> None:
    await store.mark(
        uow.conn, event.participant_id, uow.now, progress=progress, first=first, latest=latest, if_unset=if_unset
    )


async def _left(uow: UnitOfWork, participant_id: Any, kind: ExitKind, day: date, result: str) -> None:
    await store.update_participant(
        uow.conn,
        participant_id,
        uow.now,
        day,
        status=kind.value,
        exit_on=day,
        exit_kind=kind.value,
        exit_result=result,
        paused_on=None,
        expected_return_on=None,
    )


def _attributes(event: ParticipantRecruited | IntakeRecorded) -> dict[str, object]:
    """The coarse attributes the figures are filtered by."""
    return {
        "region": event.region,
        "district": event.district,
        "profession": event.target_profession.value,
        "occupation": event.occupation,
        "country_of_training": event.country_of_training,
        "country_group": country_group(event.country_of_training).value,
    }

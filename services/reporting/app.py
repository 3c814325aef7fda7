"""Composition root of the reporting service: which fact goes to which part of the read model, and its commands."""

from __future__ import annotations

from pathlib import Path

from services.reporting import commands, reactions
from services.reporting.metrics import lagged
from services.reporting.web import pages
from shared.contracts import counselling, organisations, recruitment
from shared.contracts import placement as pl
from shared.contracts import qualification as ql
from shared.contracts import recognition as rc
from shared.contracts import reporting as contract
from shared.contracts.envelope import BaseMessage
from shared.contracts.topics import Kind, Stage, topic
from shared.processing import Handler, Route
from shared.service import ServiceSpec

FACTS: dict[Stage, dict[type[BaseMessage], Handler]] = {
    Stage.RECRUITMENT: {
        recruitment.ParticipantRecruited: reactions.participant_recruited,
        recruitment.IntakeRecorded: reactions.intake_recorded,
        recruitment.ParticipationPaused: reactions.participation_paused,
        recruitment.ParticipationResumed: reactions.participation_resumed,
        recruitment.ParticipationCompleted: reactions.participation_completed,
        recruitment.ParticipantWithdrawn: reactions.participant_withdrawn,
        recruitment.ParticipantReactivated: reactions.participant_reactivated,
        recruitment.ParticipantErased: reactions.participant_erased,
        organisations.OrganisationRegistered: reactions.organisation_registered,
        organisations.OrganisationInvolved: reactions.organisation_involved,
        organisations.OrganisationReleased: reactions.organisation_released,
        organisations.LeadHandedOver: reactions.lead_handed_over,
        counselling.CounsellingSessionHeld: reactions.counselling_session_held,
        counselling.FirstContactRecorded: reactions.first_contact_recorded,
        counselling.FirstContactLinked: reactions.first_contact_linked,
    },
    Stage.RECOGNITION: {
        rc.ApplicationSubmitted: reactions.application_submitted,
        rc.ReceiptConfirmed: reactions.receipt_confirmed,
        rc.ApplicationCompleted: reactions.application_completed,
        rc.DeadlineExtended: reactions.deadline_extended,
        rc.RecognitionDecided: reactions.recognition_decided,
        rc.CompensationMeasureChosen: reactions.recognition_progress,
        rc.ComparabilityStated: reactions.comparability_stated,
        rc.RecognitionNotNeeded: reactions.recognition_not_needed,
        rc.TrainingStarted: reactions.training_started,
        rc.TrainingCompleted: reactions.training_completed,
        rc.LicenceGranted: reactions.licence_granted,
        rc.LicenceExpiring: reactions.licence_expiring,
        rc.LicenceExpired: reactions.licence_expiring,
    },
    Stage.QUALIFICATION: {
        ql.EnrolledInMeasure: reactions.enrolled_in_measure,
        ql.QualificationCompleted: reactions.qualification_completed,
        ql.ExamFinallyFailed: reactions.exam_finally_failed,
        ql.LanguageTargetReached: reactions.qualification_progress,
        ql.ExamPassed: reactions.qualification_progress,
        ql.ExamFailed: reactions.qualification_progress,
        ql.MeasureCompleted: reactions.qualification_progress,
    },
    Stage.PLACEMENT: {
        pl.OfferRecorded: reactions.offer_recorded,
        pl.PlacementConfirmed: reactions.placement_confirmed,
        pl.EmploymentStarted: reactions.employment_started,
        pl.EmploymentEnded: reactions.employment_ended,
        pl.EmploymentEndNoticeDue: reactions.end_notice_due,
        pl.EndNoticeRecorded: reactions.end_notice_recorded,
        pl.RetentionCheckDue: reactions.retention_check_due,
        pl.RetentionCheckOverdue: reactions.retention_check_overdue,
        pl.RetentionCheckRecorded: reactions.retention_check_recorded,
    },
}
"""Every other stage's fact the read model keeps, by the stage whose events topic carries it."""

COMMANDS: dict[type[BaseMessage], Handler] = {
    contract.RecordEntryIndicators: commands.record_entry_indicators,
    contract.DefineFundingPeriod: commands.define_funding_period,
    contract.CloseFundingPeriod: commands.close_funding_period,
}


def _routes(handlers: dict[type[BaseMessage], Handler]) -> list[Route]:
    return [Route(model, lagged(handler)) for model, handler in handlers.items()]


SPEC = ServiceSpec(
    stage=Stage.REPORTING,
    migrations=Path(__file__).parent / "migrations",
    default_http_port=8006,
    consumes={
        **{topic(stage, Kind.EVENT): _routes(handlers) for stage, handlers in FACTS.items()},
        topic(Stage.REPORTING, Kind.COMMAND): _routes(COMMANDS),
    },
    web=pages,
    description="A pseudonymised read model of every participant's path (stage entries and exits, route, outcome,"
    " coarse attributes), the network's figures with disclosure control, the coordinators' follow-up list, and the"
    " funding periods whose figures are kept as anonymous counts when they close.",
)

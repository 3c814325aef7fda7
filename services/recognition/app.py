"""Composition root of the recognition service."""

from __future__ import annotations

from pathlib import Path

from services.recognition import commands, reactions, timers
from shared.contracts import qualification, recruitment
from shared.contracts import recognition as contract
from shared.contracts.topics import Kind, Stage, topic
from shared.processing import Route
from shared.service import ServiceSpec

SPEC = ServiceSpec(
    stage=Stage.RECOGNITION,
    migrations=Path(__file__).parent / "migrations",
    default_http_port=8002,
    consumes={
        topic(Stage.RECOGNITION, Kind.COMMAND): [
            Route(contract.RecordCounselling, commands.record_counselling),
            Route(contract.SubmitApplication, commands.submit_application),
            Route(contract.ConfirmReceipt, commands.confirm_receipt),
            Route(contract.CompleteApplication, commands.complete_application),
            Route(contract.ExtendDeadline, commands.extend_deadline),
            Route(contract.RecordDecision, commands.record_decision),
            Route(contract.ChooseCompensationMeasure, commands.choose_compensation_measure),
            Route(contract.GrantLicence, commands.grant_licence),
            Route(contract.RecordComparabilityStatement, commands.record_comparability_statement),
            Route(contract.RecordNoRecognitionNeeded, commands.record_no_recognition_needed),
            Route(contract.StartTraining, commands.start_training),
            Route(contract.CompleteTraining, commands.complete_training),
        ],
        topic(Stage.RECRUITMENT, Kind.EVENT): [
            Route(recruitment.ParticipantRecruited, reactions.open_case),
            Route(recruitment.IntakeRecorded, reactions.retarget_case),
            Route(recruitment.ParticipantWithdrawn, reactions.close_case),
            Route(recruitment.ParticipantReactivated, reactions.reopen_case),
            Route(recruitment.ParticipantErased, reactions.erase_case),
        ],
        topic(Stage.QUALIFICATION, Kind.EVENT): [
            Route(qualification.QualificationCompleted, reactions.qualification_completed),
            Route(qualification.ExamFinallyFailed, reactions.exam_finally_failed),
        ],
    },
    timers=timers.TIMERS,
    description="Opens a recognition case per recruited participant, follows the route the law gives it (an"
    " application, a statement of comparability, no procedure, vocational training), applies the authority's steps"
    " and raises the legal deadlines: receipt, missing documents, decision due, Berufserlaubnis ending.",
)

"""Composition root of the qualification service."""

from __future__ import annotations

from pathlib import Path

from services.qualification import commands, reactions
from shared.contracts import qualification as contract
from shared.contracts import recognition, recruitment
from shared.contracts.topics import Kind, Stage, topic
from shared.processing import Route
from shared.service import ServiceSpec

SPEC = ServiceSpec(
    stage=Stage.QUALIFICATION,
    migrations=Path(__file__).parent / "migrations",
    default_http_port=8003,
    consumes={
        topic(Stage.QUALIFICATION, Kind.COMMAND): [
            Route(contract.PlanMeasure, commands.plan_measure),
            Route(contract.EnrolInMeasure, commands.enrol_in_measure),
            Route(contract.RecordLanguageCertificate, commands.record_language_certificate),
            Route(contract.RecordExamResult, commands.record_exam_result),
            Route(contract.AssignProvider, commands.assign_provider),
            Route(contract.CompleteMeasure, commands.complete_measure),
            Route(contract.DropMeasure, commands.drop_measure),
        ],
        topic(Stage.RECRUITMENT, Kind.EVENT): [
            Route(recruitment.ParticipantRecruited, reactions.participant_recruited),
            Route(recruitment.IntakeRecorded, reactions.intake_recorded),
            Route(recruitment.ParticipantWithdrawn, reactions.participant_withdrawn),
            Route(recruitment.ParticipantReactivated, reactions.participant_reactivated),
            Route(recruitment.ParticipantErased, reactions.participant_erased),
        ],
        topic(Stage.RECOGNITION, Kind.EVENT): [
            Route(recognition.ApplicationSubmitted, reactions.application_submitted),
            Route(recognition.ComparabilityStated, reactions.comparability_stated),
            Route(recognition.RecognitionNotNeeded, reactions.recognition_not_needed),
            Route(recognition.TrainingStarted, reactions.training_started),
            Route(recognition.TrainingCompleted, reactions.training_completed),
            Route(recognition.RecognitionDecided, reactions.recognition_decided),
            Route(recognition.CompensationMeasureChosen, reactions.compensation_measure_chosen),
        ],
    },
    description=(
        "Plans language courses and compensation measures, follows enrolments, certificates and exam attempts, "
        "and reports QualificationCompleted once language and recognition are settled as the route requires."
    ),
)

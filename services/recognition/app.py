"""Composition root of the recognition service."""

from __future__ import annotations

from pathlib import Path

from services.recognition import commands, reactions, timers
from shared.contracts import recognition as contract
from shared.contracts import recruitment
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
        ],
        topic(Stage.RECRUITMENT, Kind.EVENT): [
            Route(recruitment.ParticipantRecruited, reactions.open_case),
            Route(recruitment.IntakeRecorded, reactions.retarget_case),
            Route(recruitment.ParticipantWithdrawn, reactions.close_case),
            Route(recruitment.ParticipantErased, reactions.erase_case),
        ],
    },
    timers=timers.TIMERS,
    description="Opens a recognition case per recruited participant, applies the authority's steps and"
    " raises the legal deadlines: decision due, Berufserlaubnis ending.",
)

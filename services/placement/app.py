"""Composition root of the placement service."""

from __future__ import annotations

from pathlib import Path

from services.placement import commands, reactions, timers
from shared.contracts import placement as contract
from shared.contracts import recognition, recruitment
from shared.contracts.topics import Kind, Stage, topic
from shared.processing import Route
from shared.service import ServiceSpec

SPEC = ServiceSpec(
    stage=Stage.PLACEMENT,
    migrations=Path(__file__).parent / "migrations",
    default_http_port=8004,
    consumes={
        topic(Stage.PLACEMENT, Kind.COMMAND): [
            Route(contract.RecordOffer, commands.record_offer),
            Route(contract.RetractOffer, commands.retract_offer),
            Route(contract.ConfirmPlacement, commands.confirm_placement),
            Route(contract.StartEmployment, commands.start_employment),
            Route(contract.RecordRetentionCheck, commands.record_retention_check),
            Route(contract.EndEmployment, commands.end_employment),
        ],
        topic(Stage.RECRUITMENT, Kind.EVENT): [
            Route(recruitment.ParticipantRecruited, reactions.open_case),
            Route(recruitment.ParticipantWithdrawn, reactions.close_case),
            Route(recruitment.ParticipantErased, reactions.erase_participant),
        ],
        topic(Stage.RECOGNITION, Kind.EVENT): [
            Route(recognition.LicenceGranted, reactions.licence_granted),
            Route(recognition.LicenceExpired, reactions.licence_expired),
        ],
    },
    timers=timers.KINDS,
    description="Offers, contracts and employment, with retention follow-ups at 6 and 12 months and the licence"
    " an employment relies on.",
)

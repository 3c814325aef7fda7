"""Composition root of the placement service."""

from __future__ import annotations

from pathlib import Path

from services.placement import handlers, participants, retention
from shared.contracts import placement as contract
from shared.contracts import recruitment
from shared.contracts.topics import Kind, Stage, topic
from shared.processing import Route
from shared.service import ServiceSpec

SPEC = ServiceSpec(
    stage=Stage.PLACEMENT,
    migrations=Path(__file__).parent / "migrations",
    default_http_port=8004,
    consumes={
        topic(Stage.PLACEMENT, Kind.COMMAND): [
            Route(contract.RecordOffer, handlers.record_offer),
            Route(contract.RetractOffer, handlers.retract_offer),
            Route(contract.ConfirmPlacement, handlers.confirm_placement),
            Route(contract.StartEmployment, handlers.start_employment),
            Route(contract.RecordRetentionCheck, handlers.record_retention_check),
            Route(contract.EndEmployment, handlers.end_employment),
        ],
        topic(Stage.RECRUITMENT, Kind.EVENT): [
            Route(recruitment.ParticipantRecruited, participants.open_case),
            Route(recruitment.ParticipantWithdrawn, participants.close_case),
            Route(recruitment.ParticipantErased, participants.erase),
        ],
    },
    timers={retention.DUE: retention.raise_due, retention.OVERDUE: retention.raise_overdue},
    description="Offers, contracts and employment, with retention follow-ups at 6 and 12 months.",
)

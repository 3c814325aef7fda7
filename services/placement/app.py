"""Composition root of the placement service."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

from services.placement import commands, reactions, timers
from services.placement.domain import follow_ups
from shared.contracts import placement as contract
from shared.contracts import recognition, recruitment
from shared.contracts.placement import RetentionMonths
from shared.contracts.topics import Kind, Stage, topic
from shared.processing import Route
from shared.service import ServiceSpec


def build_spec(retention_months: Sequence[RetentionMonths] = follow_ups.RETENTION_MONTHS) -> ServiceSpec:
    """The service, raising retention checks at `retention_months` (`PlacementSettings.retention_months`)."""
    months = tuple(retention_months)
    return ServiceSpec(
        stage=Stage.PLACEMENT,
        migrations=Path(__file__).parent / "migrations",
        default_http_port=8004,
        consumes={
            topic(Stage.PLACEMENT, Kind.COMMAND): [
                Route(contract.RecordOffer, commands.record_offer),
                Route(contract.RetractOffer, commands.retract_offer),
                Route(contract.ConfirmPlacement, commands.confirm_placement),
                Route(contract.StartEmployment, partial(commands.start_employment, retention_months=months)),
                Route(contract.RecordRetentionCheck, commands.record_retention_check),
                Route(contract.EndEmployment, commands.end_employment),
                Route(contract.RecordEndNotice, commands.record_end_notice),
            ],
            topic(Stage.RECRUITMENT, Kind.EVENT): [
                Route(recruitment.ParticipantRecruited, reactions.open_case),
                Route(recruitment.IntakeRecorded, reactions.intake_recorded),
                Route(recruitment.ParticipantWithdrawn, reactions.close_case),
                Route(recruitment.ParticipationCompleted, reactions.participation_completed),
                Route(recruitment.ParticipantReactivated, reactions.participant_reactivated),
                Route(recruitment.ParticipantErased, reactions.erase_participant),
            ],
            topic(Stage.RECOGNITION, Kind.EVENT): [
                Route(recognition.LicenceGranted, reactions.licence_granted),
                Route(recognition.LicenceExpired, reactions.licence_expired),
            ],
        },
        timers=timers.KINDS,
        description="Offers, contracts and employment, with retention follow-ups at "
        + ", ".join(map(str, months))
        + " months (also after the participant left the programme while employed), the licence an employment"
        " relies on, and the reminder of the employer's notice of an early end (§4a(5) AufenthG).",
    )


SPEC = build_spec()
"""The service with the default follow-ups; `python -m services.placement` builds it from its settings."""

"""Composition root of the recruitment service."""

from __future__ import annotations

from pathlib import Path

from services.recruitment import commands
from shared.contracts import recruitment as contract
from shared.contracts.topics import Kind, Stage, topic
from shared.processing import Route
from shared.service import ServiceSpec

SPEC = ServiceSpec(
    stage=Stage.RECRUITMENT,
    migrations=Path(__file__).parent / "migrations",
    default_http_port=8001,
    consumes={
        topic(Stage.RECRUITMENT, Kind.COMMAND): [
            Route(contract.RegisterCandidate, commands.register_candidate),
            Route(contract.RecordIntake, commands.record_intake),
            Route(contract.GrantConsent, commands.grant_consent),
            Route(contract.RevokeConsent, commands.revoke_consent),
            Route(contract.WithdrawParticipant, commands.withdraw_participant),
            Route(contract.EraseParticipant, commands.erase_participant),
        ]
    },
    description="Registers candidates with their consent; personal data stays here and only here.",
)

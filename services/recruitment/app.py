"""Composition root of the recruitment service."""

from __future__ import annotations

from pathlib import Path

from shared.contracts.recruitment import RegisterCandidate
from shared.contracts.topics import Kind, Stage, topic
from shared.processing import Route
from shared.service import ServiceSpec
from services.recruitment import handlers

SPEC = ServiceSpec(
    stage=Stage.RECRUITMENT,
    migrations=Path(__file__).parent / "migrations",
    default_http_port=8001,
    consumes={topic(Stage.RECRUITMENT, Kind.COMMAND): [Route(RegisterCandidate, handlers.register_candidate)]},
    description="Registers candidates with their consent; personal data stays here.",
)

"""Reporting consumes its commands and the other stages' facts; nothing it routes is a command of another stage."""

from __future__ import annotations

from services.reporting.app import COMMANDS, FACTS, SPEC
from shared.contracts.catalogue import commands_of
from shared.contracts.topics import Kind, Stage, topic


def test_every_reporting_command_is_accepted() -> None:
    routed = {route.model for route in SPEC.consumes[topic(Stage.REPORTING, Kind.COMMAND)]}
    assert routed == set(commands_of(Stage.REPORTING)) == set(COMMANDS)


def test_the_events_topics_of_the_four_stages_are_read_and_only_events_are_routed_there() -> None:
    assert set(SPEC.consumes) == {
        *(topic(stage, Kind.EVENT) for stage in FACTS),
        topic(Stage.REPORTING, Kind.COMMAND),
    }
    for stage, handlers in FACTS.items():
        assert all(model.kind is Kind.EVENT for model in handlers)
        assert {r.model for r in SPEC.consumes[topic(stage, Kind.EVENT)]} == set(handlers)
        assert all(model.stage is stage for model in handlers)


def test_the_service_listens_on_its_own_port() -> None:
    assert SPEC.stage is Stage.REPORTING and SPEC.default_http_port == 8006

"""Placement consumes its commands, recruitment's facts and, for the licence an employment relies on, recognition's
grants and expiries."""

from __future__ import annotations

from services.placement import reactions
from services.placement.app import SPEC
from shared.contracts.catalogue import commands_of
from shared.contracts.recognition import LicenceExpired, LicenceGranted
from shared.contracts.topics import Kind, Stage, topic


def test_recognitions_licence_facts_reach_their_reactions() -> None:
    routes = {route.model: route.handler for route in SPEC.consumes[topic(Stage.RECOGNITION, Kind.EVENT)]}
    assert routes == {LicenceGranted: reactions.licence_granted, LicenceExpired: reactions.licence_expired}


def test_every_placement_command_is_accepted() -> None:
    routed = {route.model for route in SPEC.consumes[topic(Stage.PLACEMENT, Kind.COMMAND)]}
    assert routed == set(commands_of(Stage.PLACEMENT))

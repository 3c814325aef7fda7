"""Placement consumes its commands, recruitment's facts (the life cycle and district included) and, for the licence
an employment relies on, recognition's grants and expiries; every due date it sets has a use case."""

from __future__ import annotations

from services.placement import reactions, timers
from services.placement.app import SPEC
from services.placement.domain import end_notice, follow_ups
from shared.contracts.catalogue import commands_of
from shared.contracts.recognition import LicenceExpired, LicenceGranted
from shared.contracts.recruitment import (
    IntakeRecorded,
    ParticipantErased,
    ParticipantReactivated,
    ParticipantRecruited,
    ParticipantWithdrawn,
    ParticipationCompleted,
)
from shared.contracts.topics import Kind, Stage, topic


def test_recognitions_licence_facts_reach_their_reactions() -> None:
    routes = {route.model: route.handler for route in SPEC.consumes[topic(Stage.RECOGNITION, Kind.EVENT)]}
    assert routes == {LicenceGranted: reactions.licence_granted, LicenceExpired: reactions.licence_expired}


def test_every_placement_command_is_accepted() -> None:
    routed = {route.model for route in SPEC.consumes[topic(Stage.PLACEMENT, Kind.COMMAND)]}
    assert routed == set(commands_of(Stage.PLACEMENT))


def test_recruitments_life_cycle_and_district_reach_their_reactions() -> None:
    routes = {route.model: route.handler for route in SPEC.consumes[topic(Stage.RECRUITMENT, Kind.EVENT)]}
    assert routes == {
        ParticipantRecruited: reactions.open_case,
        IntakeRecorded: reactions.intake_recorded,
        ParticipantWithdrawn: reactions.close_case,
        ParticipationCompleted: reactions.participation_completed,
        ParticipantReactivated: reactions.participant_reactivated,
        ParticipantErased: reactions.erase_participant,
    }


def test_every_due_date_placement_sets_has_a_use_case() -> None:
    assert set(SPEC.timers) == {follow_ups.CHECK_DUE, follow_ups.CHECK_OVERDUE, end_notice.NOTICE_DUE}
    assert SPEC.timers[end_notice.NOTICE_DUE] is timers.end_notice_falls_due

"""The worked walks and the partner play that plays them (simulator, load generator, drill): pure."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import date

import pytest

from shared.contracts.catalogue import BY_TYPE
from shared.contracts.enums import Route
from shared.contracts.envelope import Event
from shared.contracts.notifications import RegisterRecipient
from shared.contracts.recruitment import RegisterCandidate
from shared.contracts.topics import Kind
from tools.journeys import PartnerPlay, Profile, cohort_profile
from tools.walks import MIX, STORIES, WALKS, Await, Send, pick, walk

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize("name", WALKS)
def test_a_walk_is_one_participant_s_commands_starting_with_the_registration(name: str) -> None:
    played = walk(name, today=TODAY)
    first, *_ = played.steps
    assert isinstance(first, Send) and isinstance(first.message, RegisterCandidate)
    assert {m.kafka_key() for m in played.sends()} == {str(played.participant_id)}
    assert all(m.kind is Kind.COMMAND for m in played.sends())


@pytest.mark.parametrize("name", WALKS)
def test_a_walk_waits_only_for_events_that_exist_and_ends_with_its_last_wait(name: str) -> None:
    played = walk(name, today=TODAY)
    awaited = [s for s in played.steps if isinstance(s, Await)]
    events = {m.__name__: m for m in BY_TYPE.values() if issubclass(m, Event)}
    assert all(a.event in events and events[a.event].stage is a.stage for a in awaited)
    assert awaited[-1].event == played.ends_with and played.steps[-1] == awaited[-1]


@pytest.mark.parametrize("name", WALKS)
def test_no_date_a_walk_sends_lies_in_the_future_but_validity_and_planned_ends(name: str) -> None:
    future_allowed = {"valid_until", "expected_end_on"}
    for message in walk(name, today=TODAY).sends():
        for field, value in message.model_dump().items():
            if isinstance(value, date) and field not in future_allowed:
                assert value <= TODAY, (type(message).__name__, field, value)


def test_every_route_has_a_walk_and_the_mix_plays_every_walk() -> None:
    assert {walk(name).route for name in WALKS} == set(Route)
    assert set(MIX) == set(WALKS) and all(share > 0 for share in MIX.values())
    drawn = Counter(pick(random.Random(i).random()) for i in range(2000))
    assert set(drawn) == set(WALKS)
    assert drawn.most_common(1)[0][0] == max(MIX, key=lambda n: MIX[n])


def test_the_same_participant_sends_the_same_ids_on_a_replay() -> None:
    pid = uuid.uuid4()
    assert list(walk("doctor", pid, today=TODAY).sends()) == list(walk("doctor", pid, today=TODAY).sends())


@pytest.mark.parametrize("name", WALKS)
def test_the_partner_play_sends_up_to_each_wait_and_the_rest_once_the_event_came(name: str) -> None:
    play, pid = PartnerPlay(), uuid.uuid4()
    sent = play.start(Profile(walk=name), pid)
    journey = play.journeys[str(pid)]
    assert sent and not journey.done
    for step in journey.walk.steps:
        if isinstance(step, Await):
            assert play.react("journey.other.Unrelated.v1", {"participant_id": str(pid)}) == []
            sent += play.react(f"journey.{step.stage}.{step.event}.v1", {"participant_id": str(pid)})
    assert sent == list(journey.walk.sends())
    assert journey.done


def test_the_partner_play_ignores_other_participants_and_counts_repeated_events() -> None:
    play, pid = PartnerPlay(), uuid.uuid4()
    play.start(Profile(walk="electrician"), pid)
    assert play.react("journey.recognition.RecognitionCaseOpened.v1", {"participant_id": str(uuid.uuid4())}) == []
    play.react("journey.recognition.RecognitionCaseOpened.v1", {"participant_id": str(pid)})
    # the electrician waits twice for RecognitionDecided: one decision lets only the first wait pass
    first = play.react("journey.recognition.RecognitionDecided.v1", {"participant_id": str(pid)})
    assert first and not play.journeys[str(pid)].done
    assert play.final_milestone(str(pid)) == "employment_started"


def test_the_cohort_profiles_follow_the_seed() -> None:
    a = [cohort_profile(i, random.Random(7)) for i in range(5)]
    b = [cohort_profile(i, random.Random(7)) for i in range(5)]
    assert a == b


@pytest.mark.parametrize("name", STORIES)
def test_a_story_sends_commands_only_and_waits_on_what_it_sent(name: str) -> None:
    played = walk(name, today=TODAY)
    sent_keys = set()
    for step in played.steps:
        if isinstance(step, Send):
            assert step.message.kind is Kind.COMMAND
            sent_keys.add(step.message.kafka_key())
        elif step.key is not None:
            assert step.key in sent_keys, (name, step)
    assert str(played.participant_id) in sent_keys


@pytest.mark.parametrize("name", STORIES)
def test_every_mailbox_a_story_expects_is_registered_by_it(name: str) -> None:
    played = walk(name, today=TODAY)
    registered = {m.partner_org for m in played.sends() if isinstance(m, RegisterRecipient)}
    assert set(played.mailboxes) <= registered
    assert all(set(expected) <= set(played.milestones) for expected in played.mailboxes.values())

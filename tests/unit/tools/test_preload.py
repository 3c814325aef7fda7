"""The preload's shapes follow the walks they stand for: the mix, the milestones, the messages and who takes them."""

from __future__ import annotations

from collections import Counter

import pytest

from shared.contracts.catalogue import BY_TYPE
from shared.contracts.envelope import Event
from tools.bench.preload import shape_rows
from tools.bench.preload_shapes import SHAPES, ce_type
from tools.walks import MIX, walk


def test_every_walk_of_the_mix_has_a_shape_and_their_shares_cover_a_hundred() -> None:
    ranges = sorted((lo, hi, name) for name, lo, hi, *_ in shape_rows()["pl_walks"])
    assert set(SHAPES) == set(MIX)
    assert [lo for lo, _, _ in ranges] == [0, *(hi for _, hi, _ in ranges[:-1])]
    assert ranges[-1][1] == 100
    assert {name: hi - lo for lo, hi, name in ranges} == MIX


@pytest.mark.parametrize("name", MIX)
def test_a_shape_reaches_the_milestones_its_walk_reaches(name: str) -> None:
    reached = Counter(milestone.value for milestone in walk(name).milestones)
    assert Counter(milestone for milestone, _ in SHAPES[name].milestones) == reached


@pytest.mark.parametrize("name", MIX)
def test_a_shape_s_events_are_events_of_the_contracts(name: str) -> None:
    for short in SHAPES[name].events.split():
        message = BY_TYPE.get(ce_type(short))
        assert message is not None and issubclass(message, Event), short


def test_every_command_of_the_walks_is_taken_by_its_own_stage() -> None:
    rows = shape_rows()
    takers = {(c_type, schema) for c_type, schema, _ in rows["pl_consumers"]}
    commands = [(c_type, source) for _, _, c_type, _, source, is_event in rows["pl_messages"] if not is_event]
    assert commands
    assert all(command in takers for command in commands)


def test_the_milestones_events_are_taken_by_notifications_and_reporting() -> None:
    rows = shape_rows()
    takers = Counter(c_type for c_type, schema, _ in rows["pl_consumers"] if schema in ("notifications", "reporting"))
    assert all(takers[c_type] == 2 for _, _, _, c_type, _ in rows["pl_milestones"])

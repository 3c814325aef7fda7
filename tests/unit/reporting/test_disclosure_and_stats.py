"""Disclosure control and the percentile method: the two rules every figure passes through."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.reporting.domain.disclosure import MIN_CELL, protect, suppress
from services.reporting.domain.stats import percentile, summary


def test_a_count_of_one_to_four_is_never_shown_zero_and_five_are() -> None:
    assert [suppress(n) for n in range(7)] == [0, None, None, None, None, 5, 6]
    assert MIN_CELL == 5


def test_percentiles_interpolate_between_the_nearest_ranks_like_percentile_cont() -> None:
    # 30 x5, 40 x4, 50: the 0-based ranks 4.5, 6.75 and 8.1
    histogram = {30: 5, 40: 4, 50: 1}
    assert percentile(histogram, 0.5) == 35.0
    assert percentile(histogram, 0.75) == 40.0
    assert percentile(histogram, 0.9) == pytest.approx(41.0)
    assert percentile({180: 1, 200: 1, 210: 2, 230: 1}, 0.9) == pytest.approx(222.0)
    assert percentile({7: 1}, 0.9) == 7.0


def test_no_statistics_below_five_durations() -> None:
    assert summary({10: 2, 20: 2}) == (4, None, None, None)
    assert summary({10: 5}) == (5, 10.0, 10.0, 10.0)
    assert summary({}) == (0, None, None, None)


@given(st.lists(st.integers(min_value=0, max_value=2000), min_size=1, max_size=60))
def test_the_median_of_a_histogram_is_the_median_of_its_values(values: list[int]) -> None:
    histogram: dict[int, int] = {}
    for value in values:
        histogram[value] = histogram.get(value, 0) + 1
    assert percentile(histogram, 0.5) == pytest.approx(statistics.median(values))
    quantiles = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else [values[0]] * 3
    assert percentile(histogram, 0.75) == pytest.approx(quantiles[2])


def test_one_hidden_cell_of_a_group_hides_the_smallest_other_so_the_total_does_not_give_it_away() -> None:
    assert protect({"18_29": 8, "30_54": 11, "55_plus": 2, "under_18": 0}) == {
        "18_29": None,
        "30_54": 11,
        "55_plus": None,
        "under_18": 0,
    }


def test_a_group_with_none_or_two_hidden_cells_needs_nothing_more() -> None:
    assert protect({"a": 12, "b": 7, "c": 0}) == {"a": 12, "b": 7, "c": 0}
    assert protect({"a": 12, "b": 3, "c": 2}) == {"a": 12, "b": None, "c": None}


def test_a_hidden_cell_with_only_zeros_beside_it_stays_the_only_one_its_total_is_hidden_too() -> None:
    assert protect({"a": 3, "b": 0}) == {"a": None, "b": 0}
    assert suppress(3) is None  # the total of that group: hidden as well

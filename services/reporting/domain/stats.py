"""Durations in days summarised as median, p75 and p90 from a histogram (days → participants). Pure.

The method is PostgreSQL's `percentile_cont` (linear interpolation between the two nearest ranks: the value at
rank 1 + q·(n-1) of the sorted values), computed from a histogram so that a closed period's anonymous day counts
give the same figures as the participants they came from.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from services.reporting.domain.disclosure import MIN_CELL


def percentile(histogram: Mapping[int, int], q: float) -> float:
    """The `q` quantile (0..1) of the values the histogram counts, interpolated linearly; the histogram is not
    empty."""
    n = sum(histogram.values())
    if n <= 0:
        raise ValueError("an empty histogram has no percentile")
    position = q * (n - 1)  # 0-based rank
    low, high = math.floor(position), math.ceil(position)
    low_value, high_value = _value_at(histogram, low), _value_at(histogram, high)
    return low_value + (high_value - low_value) * (position - low)


def summary(histogram: Mapping[int, int]) -> tuple[int, float | None, float | None, float | None]:
    """(n, median, p75, p90); the statistics are None when fewer than `MIN_CELL` durations were counted."""
    n = sum(histogram.values())
    if n < MIN_CELL:
        return n, None, None, None
    return n, percentile(histogram, 0.5), percentile(histogram, 0.75), percentile(histogram, 0.9)


def _value_at(histogram: Mapping[int, int], rank: int) -> float:
    """The value at 0-based `rank` of the sorted values."""
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if rank < seen:
            return float(value)
    raise IndexError(rank)

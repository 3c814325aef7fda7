"""Disclosure control: the one rule every figure passes through before anyone sees it. Pure.

A count of 1 to 4 could point at a person (five nurses from one country in one district is a crowd; two is not),
so it is never shown; 0 is shown as 0. Every page, export and mail takes its counts from `suppress`, and cells that
add up to a total shown elsewhere from `protect` (which adds secondary suppression).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

MIN_CELL = 5
"""A count below this (1..4) is never shown; 0 is shown as 0."""

Count = int | None
"""A count as shown: None when suppressed (1..4)."""


def suppress(n: int) -> Count:
    """`n`, or None when it is 1..4."""
    return None if 0 < n < MIN_CELL else n


def protect(counts: Mapping[K, int]) -> dict[K, Count]:
    """Cells that add up to a total shown elsewhere (the categories of an indicator and the entries, the outcomes of
    a stage and those who left it, those who left a stage and those still in it and the entries): each suppressed
    as `suppress` says, and when exactly one is, the smallest other positive cell as well (secondary suppression),
    so that the hidden one cannot be worked out as the total minus the others."""
    shown = {key: suppress(n) for key, n in counts.items()}
    hidden = [key for key, value in shown.items() if value is None]
    if len(hidden) == 1:
        others = [(n, i, key) for i, (key, n) in enumerate(counts.items()) if shown[key] is not None and n > 0]
        if others:
            shown[min(others)[2]] = None
    return shown

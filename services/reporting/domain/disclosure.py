"""Disclosure control: the one rule every figure passes through before anyone sees it. Pure.

A count of 1 to 4 could point at a person (five nurses from one country in one district is a crowd; two is not),
so it is never shown; 0 is shown as 0. Every page, export and mail takes its counts from `suppress`.
"""

from __future__ import annotations

MIN_CELL = 5
"""A count below this (1..4) is never shown; 0 is shown as 0."""

Count = int | None
"""A count as shown: None when suppressed (1..4)."""


def suppress(n: int) -> Count:
    """`n`, or None when it is 1..4."""
    return None if 0 < n < MIN_CELL else n

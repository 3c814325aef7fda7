"""What the templates draw: numbers in the page's language and the geometry of the two inline SVG charts.

The charts are plain SVG computed here (no JavaScript, nothing fetched): each has a table beside it with the same
numbers, which is what screen readers and the tests read.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.reporting.figures import Count, DurationRow, FunnelRow, IndicatorRow

SUPPRESSED = "x"  # as German statistics mark a cell kept secret
CHART_WIDTH = 640
LABEL_WIDTH = 250
BAR_SPACE = CHART_WIDTH - LABEL_WIDTH - 70  # room for the value after the longest bar
ROW_HEIGHT = 30


def count(value: Count, lang: str) -> str:
    """A count as shown: suppressed cells as "x", thousands separated as the language writes them."""
    if value is None:
        return SUPPRESSED
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "de" else text


def days(value: float | None, lang: str) -> str:
    if value is None:
        return "\u2013"  # en dash: no value
    text = f"{value:,.1f}".removesuffix(".0")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".") if lang == "de" else text


def raw(value: Count | float) -> str:
    """The `data-value` attribute: the number itself, or "suppressed"."""
    return "suppressed" if value is None else str(value)


@dataclass(frozen=True)
class Bar:
    key: str
    y: int
    width: float  # 0 when suppressed or zero
    value: Count


@dataclass(frozen=True)
class SpanBar:
    key: str
    y: int
    median: float  # x offsets from the bars' origin; 0 when not shown
    p75: float
    p90: float
    shown: bool


def funnel_bars(rows: list[FunnelRow]) -> list[Bar]:
    """One bar per stage, its length the participants who entered it (suppressed cells draw no bar)."""
    top = max((row.entered or 0 for row in rows), default=0) or 1
    return [
        Bar(row.stage, i * ROW_HEIGHT, BAR_SPACE * (row.entered or 0) / top, row.entered) for i, row in enumerate(rows)
    ]


def duration_bars(rows: list[DurationRow]) -> list[SpanBar]:
    """Median as a bar, p75 and p90 as marks, on one scale (the longest p90)."""
    top = max((row.p90_days or row.median_days or 0 for row in rows), default=0) or 1.0

    def x(value: float | None) -> float:
        return BAR_SPACE * (value or 0) / top

    return [
        SpanBar(
            row.span, i * ROW_HEIGHT, x(row.median_days), x(row.p75_days), x(row.p90_days), row.median_days is not None
        )
        for i, row in enumerate(rows)
    ]


def by_indicator(rows: list[IndicatorRow]) -> list[tuple[str, list[IndicatorRow]]]:
    """The indicator rows grouped in the order the report gives them (gender, age band, ... result at exit)."""
    groups: dict[str, list[IndicatorRow]] = {}
    for row in rows:
        groups.setdefault(row.indicator, []).append(row)
    return list(groups.items())


def chart_height(rows: int) -> int:
    return max(rows, 1) * ROW_HEIGHT + 10

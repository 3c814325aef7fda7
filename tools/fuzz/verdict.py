"""What became of each probe (rejected with the expected reason, another reason, nothing, or applied), in counts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from tools.fuzz.model import Probe, short

STATUSES = ("ok", "wrong_reason", "missing", "applied", "duplicated")


@dataclass(frozen=True, slots=True)
class Outcome:
    """The rejections matched to one record (their reasons) and the events it caused."""

    reasons: tuple[str, ...] = ()
    applied: tuple[str, ...] = ()
    message: str = ""


def status(probe: Probe, outcome: Outcome) -> str:
    if outcome.applied:
        return "applied"
    if not outcome.reasons:
        return "missing"
    if any(reason != probe.expected.value for reason in outcome.reasons):
        return "wrong_reason"
    return "ok" if len(outcome.reasons) == 1 else "duplicated"


@dataclass
class Row:
    sent: int = 0
    ok: int = 0
    wrong_reason: int = 0
    missing: int = 0
    applied: int = 0
    duplicated: int = 0

    def add(self, what: str) -> None:
        self.sent += 1
        setattr(self, what, getattr(self, what) + 1)

    @property
    def bad(self) -> int:
        return self.sent - self.ok


@dataclass
class Tally:
    total: Row = field(default_factory=Row)
    by_category: dict[str, Row] = field(default_factory=lambda: defaultdict(Row))
    by_reason: dict[str, Row] = field(default_factory=lambda: defaultdict(Row))
    by_stage: dict[str, Row] = field(default_factory=lambda: defaultdict(Row))
    findings: dict[tuple[str, ...], dict[str, Any]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "total": asdict(self.total),
            "by_category": {k: asdict(v) for k, v in sorted(self.by_category.items())},
            "by_expected_reason": {k: asdict(v) for k, v in sorted(self.by_reason.items())},
            "by_stage": {k: asdict(v) for k, v in sorted(self.by_stage.items())},
            "findings": list(self.findings.values()),
        }


def tally(probes: list[Probe], outcomes: dict[int, Outcome], where: dict[int, tuple[int, int]]) -> Tally:
    """Counts per category, expected reason and stage; every probe not rejected as documented becomes a finding,
    grouped by command type, what was broken and what happened (one example each, with its bytes)."""
    result = Tally()
    for probe in probes:
        outcome = outcomes.get(probe.index, Outcome())
        what = status(probe, outcome)
        for row in (
            result.total,
            result.by_category[probe.category],
            result.by_reason[probe.expected.value],
            result.by_stage[probe.stage.value],
        ):
            row.add(what)
        if what == "ok":
            continue
        got = ",".join(outcome.reasons) or "-"
        key = (probe.category, probe.label, probe.ce_type, what, got)
        finding = result.findings.get(key)
        if finding is None:
            partition, offset = where.get(probe.index, (probe.partition, -1))
            result.findings[key] = finding = {
                "category": probe.category,
                "probe": probe.label,
                "stage": probe.stage.value,
                "ce_type": probe.ce_type,
                "defect": probe.defect,
                "expected": probe.expected.value,
                "outcome": what,
                "got": got,
                "count": 0,
                "example": {
                    "ce_type": probe.ce_type,
                    "topic": probe.topic,
                    "partition": partition,
                    "offset": offset,
                    "key": short(probe.key),
                    "headers": [f"{name}={short(value, 80)}" for name, value in probe.headers[:12]],
                    "value": short(probe.value, 700),
                    "rejection_message": outcome.message[:300],
                    "caused": list(outcome.applied[:3]),
                },
            }
        finding["count"] += 1
    return result

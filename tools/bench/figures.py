"""From what the load generator and the mail sink recorded to the bench's figures: throughput, latency, memory."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from shared.contracts.catalogue import milestone_of
from tools.bench.load import LoadStats, SentCommand
from tools.bench.mailsink import Mail


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100) of `values`; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values: Sequence[float]) -> dict[str, Any]:
    return {
        "count": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values) if values else None,
    }


def root_command(stats: LoadStats, event_id: str) -> SentCommand | None:
    """The partner command an event goes back to, following `ce_causationid` through events (None for a timer)."""
    current, visited = event_id, set()
    while current not in stats.commands:
        cause = stats.causes.get(current)
        if cause is None or current in visited:
            return None
        visited.add(current)
        current = cause
    return stats.commands[current]


MailKey = tuple[str, str, str]
"""(participant, milestone, ce_id of the milestone event): a participant may reach a milestone more than once (two
applications, two licences, two failed attempts), each is its own mail."""


def expected_mails(stats: LoadStats) -> set[MailKey]:
    """One key per distinct milestone event about the load's participants."""
    found = set()
    for event in stats.events.values():
        milestone = milestone_of(event.ce_type)
        if milestone is not None:
            found.add((event.participant, milestone.value, event.ce_id))
    return found


def first_mails(mails: Iterable[Mail], participants: set[str], recipient: str) -> dict[MailKey, Mail]:
    """The first accepted mail per milestone event to `recipient`."""
    first: dict[MailKey, Mail] = {}
    for mail in sorted(mails, key=lambda m: m.accepted_at):
        if mail.participant in participants and recipient in mail.recipients:
            first.setdefault((mail.participant, mail.milestone, mail.event_id), mail)
    return first


def latency(stats: LoadStats, mails: Iterable[Mail], recipient: str) -> dict[str, Any]:
    """Command published -> milestone mail accepted, overall and per milestone (with the commands that cause it)."""
    overall: list[float] = []
    per_milestone: dict[str, list[float]] = defaultdict(list)
    causes: dict[str, set[str]] = defaultdict(set)
    unresolved = 0
    for (_, milestone, _), mail in first_mails(mails, set(stats.started_at), recipient).items():
        command = root_command(stats, mail.event_id)
        if command is None:
            unresolved += 1
            continue
        seconds = mail.accepted_at - command.sent_at
        overall.append(seconds)
        per_milestone[milestone].append(seconds)
        causes[milestone].add(command.name)
    return {
        "seconds": summary(overall),
        "unresolved": unresolved,
        "per_milestone": {m: {**summary(v), "caused_by": sorted(causes[m])} for m, v in sorted(per_milestone.items())},
    }


def throughput(stats: LoadStats, mail_times: Sequence[float]) -> dict[str, Any]:
    """Journeys, messages and mails per second, over the whole run and over its steady middle.

    A journey counts when it is complete (its events ended and, in the bench, its last mail was accepted).
    Messages are the load's own: commands sent plus events and rejections about its participants (distinct per
    topic and ce_id), counted when sent or first seen. Mails are those accepted for the run's coordinator.
    `overall` runs from the first command to the last completion; `steady` from the 10th to the 90th percentile
    completion, which leaves out the ramp-up and the tail.
    """
    if not stats.finished_at:
        return {"journeys": 0}
    begin = min(stats.started_at.values())
    ends = sorted(stats.finished_at.values())
    times = sorted([c.sent_at for c in stats.commands.values()] + [e.seen_at for e in stats.events.values()])

    def window(start: float, stop: float, finished: int) -> dict[str, float]:
        seconds = max(stop - start, 1e-9)
        messages = bisect_right(times, stop) - bisect_left(times, start)
        mails = sum(1 for t in mail_times if start <= t <= stop)
        return {
            "seconds": seconds,
            "journeys": finished,
            "messages": messages,
            "mails": mails,
            "journeys_per_s": finished / seconds,
            "messages_per_s": messages / seconds,
            "mails_per_s": mails / seconds,
        }

    result: dict[str, Any] = {"overall": window(begin, ends[-1], len(ends))}
    lo, hi = int(len(ends) * 0.1), int(len(ends) * 0.9) - 1
    if hi > lo:
        result["steady"] = window(ends[lo], ends[hi], hi - lo)
    result["journey_seconds"] = summary([stats.finished_at[p] - stats.started_at[p] for p in stats.finished_at])
    result["journey_events_seconds"] = summary(
        [stats.events_done_at[p] - stats.started_at[p] for p in stats.events_done_at]
    )
    return result


def offsets_delta(before: dict[Any, int], after: dict[Any, int]) -> dict[str, int]:
    """Records appended per topic between two snapshots of end offsets (everyone's, not only the load's)."""
    per_topic: dict[str, int] = defaultdict(int)
    for tp, end in after.items():
        per_topic[tp.topic] += end - before.get(tp, 0)
    return dict(sorted(per_topic.items()))

"""The generated part of docs/partners.md: topics, milestones, rejection codes, the routes with a worked example
each, and one example per message."""

from __future__ import annotations

import json

from pydantic import BaseModel

from shared.contracts.catalogue import MILESTONE_EVENTS
from shared.contracts.docstrings import member_docs
from shared.contracts.enums import Milestone
from shared.contracts.examples import example_json
from shared.contracts.limits import (
    DEFECTS,
    KEPT_HEADER_CHARS,
    KEPT_VALUE_BYTES,
    MAX_DEPTH,
    MAX_HEADER_VALUE_BYTES,
    MAX_HEADERS,
    MAX_ID_CHARS,
    MAX_VALUE_BYTES,
)
from shared.contracts.rejections import ACTIONS, RejectionReason
from shared.contracts.reporting import RecordEntryIndicators
from shared.contracts.topics import Kind, Stage, topic
from tools.contracts import parties_guide, routes_guide
from tools.contracts.schemas import Entry, entries

# Commands no partner sends: who does, instead of "you".
INTERNAL: dict[type[BaseModel], str] = {
    RecordEntryIndicators: "the recruitment service sends (not partners: send `RegisterCandidate.indicators`)",
}

BEGIN = "<!-- BEGIN GENERATED CATALOGUE: `python -m tools.contracts generate` rewrites this part -->"
END = "<!-- END GENERATED CATALOGUE -->"


def section() -> str:
    """The markdown between the markers, markers included."""
    parts = [
        BEGIN,
        "",
        *_topics(),
        *_milestones(),
        *_rejections(),
        *_defects(),
        *routes_guide.section(),
        *parties_guide.section(),
        *_messages(),
        END,
    ]
    return "\n".join(parts)


def _topics() -> list[str]:
    header = "| Stage | You send commands to | You read events and rejections from |"
    lines = ["### Topics", "", header, "|---|---|---|"]
    for stage in Stage:
        lines.append(
            f"| {stage.value} | `{topic(stage, Kind.COMMAND)}` "
            f"| `{topic(stage, Kind.EVENT)}`, `{topic(stage, Kind.REJECTION)}` |"
        )
    return [*lines, ""]


def _milestones() -> list[str]:
    lines = ["### Milestones mailed to coordinators", "", "| Milestone | Reached by the event |", "|---|---|"]
    lines += [f"| `{m.value}` | `{MILESTONE_EVENTS[m].ce_type()}` |" for m in Milestone if m in MILESTONE_EVENTS]
    return [*lines, ""]


def _rejections() -> list[str]:
    meaning = member_docs(RejectionReason)
    lines = ["### Rejection reasons", "", "| `reason` | Meaning | What your system should do |", "|---|---|---|"]
    lines += [f"| `{r.value}` | {meaning.get(r.value, '')} | {ACTIONS[r]} |" for r in RejectionReason]
    return [*lines, ""]


def _defects() -> list[str]:
    lines = [
        "### What is refused, and with which reason",
        "",
        "Every stage checks each record at its door, in this order, before it reads any state: a record with"
        " several defects gets the reason of the first one listed. `errors` in the rejection names the header"
        " (`headers.<name>`) or the field (`personal.given_name`, `consents.0`) at fault.",
        "",
        "| Defect | `reason` |",
        "|---|---|",
    ]
    lines += [f"| {d.what} | `{d.reason.value}` |" for d in DEFECTS]
    lines += [
        "",
        "Limits, in numbers:",
        "",
        f"- value (the JSON payload): at most {MAX_VALUE_BYTES} bytes ({MAX_VALUE_BYTES // 1024} KiB),"
        f" nested at most {MAX_DEPTH} levels deep;",
        f"- headers: at most {MAX_HEADERS} per record, each value at most {MAX_HEADER_VALUE_BYTES} bytes;"
        f" `ce_id`, `ce_causationid` and `ce_subject` at most {MAX_ID_CHARS} characters;",
        f"- a rejection keeps the first {KEPT_VALUE_BYTES // 1024} KiB of the refused value (with `value_size`,"
        f" `value_sha256` and `value_truncated`) and the first {KEPT_HEADER_CHARS} characters of each header.",
        "",
    ]
    return lines


def _messages() -> list[str]:
    lines = ["### Messages", ""]
    for stage in Stage:
        here = [e for e in entries() if e.stage is stage]
        lines += [f"#### {stage.value.title()}", "", "| Type | Topic | Summary |", "|---|---|---|"]
        lines += [f"| `{e.ce_type}` | `{e.topic}` | {e.summary} |" for e in here]
        lines.append("")
        for entry in here:
            lines += _message(entry)
    return lines


def _message(entry: Entry) -> list[str]:
    role = {Kind.COMMAND: "Command you send", Kind.EVENT: "Event you read", Kind.REJECTION: "Rejection you read"}
    facts = f"{role[entry.kind]} on `{entry.topic}`, keyed by `{entry.key_field}`"
    if entry.model in INTERNAL:
        facts = f"Command {INTERNAL[entry.model]} on `{entry.topic}`, keyed by `{entry.key_field}`"
    if entry.milestone:
        facts += f"; milestone `{entry.milestone}`"
    if entry.deprecated:
        facts += "; **deprecated**"
    doc = " ".join((entry.model.__doc__ or "").split())
    example = json.dumps(example_json(entry.model), indent=2, ensure_ascii=False)
    link = f"[schema](contracts/schemas/{entry.ce_type}.json)"
    return [f"##### `{entry.ce_type}`", "", f"{doc}", "", f"{facts}. {link}", "", "```json", example, "```", ""]


def splice(document: str, generated: str) -> str:
    """`document` with the part between the markers replaced by `generated`."""
    start, end = document.find(BEGIN), document.find(END)
    if start < 0 or end < start:
        raise ValueError(f"docs/partners.md needs the markers {BEGIN!r} and {END!r}")
    return document[:start] + generated + document[end + len(END) :]

"""The generated part of docs/partners.md: topics, milestones, rejection codes, the routes with a worked example
each, and one example per message."""

from __future__ import annotations

import ast
import inspect
import json
from enum import Enum

from pydantic import BaseModel

from shared.contracts.catalogue import MILESTONE_EVENTS
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
from shared.contracts.rejections import RejectionReason
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

RESEND = "Send the corrected message with a **new** `ce_id` (the old id is recorded as handled)."
ACTIONS: dict[RejectionReason, str] = {
    RejectionReason.UNDECODABLE: f"Fix your serialiser: the value must be UTF-8 JSON. {RESEND}",
    RejectionReason.MISSING_ENVELOPE: f"Add the header `errors` names (see Headers). {RESEND}",
    RejectionReason.INVALID_ENVELOPE: (
        f"Read `errors`: it names the header and what is wrong; fix it (see Headers and What is refused). {RESEND}"
    ),
    RejectionReason.LIMIT_EXCEEDED: (f"Keep within the limits under What is refused: no command needs more. {RESEND}"),
    RejectionReason.UNKNOWN_TYPE: (
        "Check `ce_type` against the catalogue below and the topic you wrote to; move off retired versions."
    ),
    RejectionReason.INVALID_PAYLOAD: f"Read `errors` (field and problem) and fix the data. {RESEND}",
    RejectionReason.SUBJECT_MISMATCH: (
        "Use the participant id (recipient id in the directory) as Kafka key, `ce_subject` and payload field."
    ),
    RejectionReason.UNKNOWN_PARTICIPANT: (
        "Check the id. A stage waits a few seconds for a participant it has not heard of yet (facts travel on"
        " other topics); past that, register the participant or wait for the stage's first event about them,"
        " then resend with a new `ce_id` (the same `ce_id` is skipped as a redelivery)."
    ),
    RejectionReason.UNKNOWN_RECIPIENT: "Check the recipient id; register the recipient first, then resend.",
    RejectionReason.UNKNOWN_ORGANISATION: (
        "Check the organisation id; register the organisation (`RegisterOrganisation`) or involve it with the"
        " participant first, then resend with a new `ce_id`."
    ),
    RejectionReason.ALREADY_EXISTS: (
        "If you sent it twice, nothing to do: the first was applied. Otherwise choose a fresh random id."
    ),
    RejectionReason.NOT_ALLOWED_IN_STATE: (
        "Your view is out of date: read the stage's events to see where the case stands, then send what fits."
    ),
    RejectionReason.FORGED_ORGANISATION: (
        "Send as yourself: `ce_source` `/partners/<org>` and your own org id where the command names its sender"
        " (see Connecting). A command for another organisation is theirs to send."
    ),
    RejectionReason.NOT_INVOLVED: (
        "Only organisations involved with the participant may send commands about them (and only the lead may ask"
        " for their data): ask the lead to involve you (`InvolveOrganisation`), wait for `OrganisationInvolved`, then"
        " resend with a new `ce_id`."
    ),
    RejectionReason.NOT_PERMITTED: (
        "This command is the operators' (or the services'): ask the network's operators. Do not resend."
    ),
    RejectionReason.PROCESSING_FAILED: (
        "Not your fault: the stage failed on it several times with an error nobody foresaw; operators are alerted"
        " and replay the kept original once fixed. Do not resend."
    ),
}


def member_docs(enum: type[Enum]) -> dict[str, str]:
    """The string literal under each enum member in the source (attribute docstrings)."""
    body = ast.parse(inspect.getsource(enum)).body[0]
    assert isinstance(body, ast.ClassDef)
    docs: dict[str, str] = {}
    for statement, following in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(statement, ast.Assign)
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[enum[statement.targets[0].id].value] = " ".join(following.value.value.split())
    return docs


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

"""The door's table (`shared.contracts.limits.DEFECTS`), one example each: the reason a defect gets, the order the
checks run in, and the guide (docs/partners.md) printing the same table.

A defect added to DEFECTS without an example here fails `test_every_defect_has_an_example`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from shared.contracts.catalogue import BY_TYPE
from shared.contracts.limits import (
    BY_CODE,
    DEFECTS,
    MAX_DEPTH,
    MAX_HEADER_VALUE_BYTES,
    MAX_HEADERS,
    MAX_ID_CHARS,
    MAX_VALUE_BYTES,
    Defect,
    reason_for,
)
from shared.contracts.rejections import RejectionReason
from shared.decoding import Decoded, decode
from shared.errors import Rejected
from tests.unit.shared.partner_records import (
    FakeRecord,
    Headers,
    accepts,
    partner_record,
    payload_for,
    replace_header,
    without_header,
)

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "partners.md"
MODEL = BY_TYPE["journey.recognition.RecordDecision.v1"]
PAYLOAD = payload_for(MODEL)
VALID = partner_record(MODEL, PAYLOAD)

Change = Callable[[FakeRecord], FakeRecord]


def with_headers(change: Callable[[Headers], Headers]) -> Change:
    return lambda record: replace(record, headers=change(list(record.headers)))


def with_payload(**fields: object) -> Change:
    return lambda record: replace(record, value=json.dumps({**json.loads(record.value or b""), **fields}).encode())


def nested(depth: int) -> object:
    value: object = "2025-05-28"
    for _ in range(depth):
        value = [value]
    return value


@dataclass(frozen=True)
class Example:
    """A defect put into the valid RecordDecision: what it changes (`touches`) and what `errors` names."""

    change: Change
    touches: str
    location: str | None

    def record(self, record: FakeRecord = VALID) -> FakeRecord:
        return self.change(record)


EXAMPLES: dict[str, Example] = {
    "too_many_headers": Example(
        with_headers(lambda h: h + [(f"x-trace-{i}", b"1") for i in range(MAX_HEADERS)]),  # more with one removed
        "header count",
        "headers",
    ),
    "header_too_long": Example(
        with_headers(lambda h: [*h, ("x-note", b"a" * (MAX_HEADER_VALUE_BYTES + 1))]), "x-note", "headers.x-note"
    ),
    "header_missing": Example(with_headers(lambda h: without_header(h, "ce_time")), "ce_time", "headers.ce_time"),
    "header_duplicated": Example(with_headers(lambda h: [*h, ("ce_id", b"another-id")]), "ce_id", "headers.ce_id"),
    "header_not_text": Example(
        with_headers(lambda h: replace_header(h, "ce_source", b"/partners/x\x00")), "ce_source", "headers.ce_source"
    ),
    "header_format": Example(
        with_headers(lambda h: replace_header(h, "content-type", b"text/plain")), "content-type", "headers.content-type"
    ),
    "unknown_type": Example(
        with_headers(lambda h: replace_header(h, "ce_type", b"journey.recognition.RecordDecision.v2")), "ce_type", None
    ),
    "value_too_large": Example(
        lambda r: replace(r, value=(r.value or b"")[:-1] + b" " * (MAX_VALUE_BYTES + 1 - len(r.value or b"")) + b"}"),
        "value",
        "value",
    ),
    "value_too_deep": Example(with_payload(decided_on=nested(MAX_DEPTH)), "value", "value"),
    "value_not_json": Example(lambda r: replace(r, value=(r.value or b"").decode().encode("utf-16")), "value", "value"),
    "value_control_character": Example(with_payload(outcome="compensation_required\u0085"), "value", "outcome"),
    "value_schema": Example(with_payload(decided_on=20250528), "value", "decided_on"),
    "key_mismatch": Example(lambda r: replace(r, key=None), "key", "key"),
}


def test_the_examples_start_from_a_valid_command() -> None:
    decoded = decode(VALID, accepts(MODEL))

    assert isinstance(decoded, Decoded)
    assert decoded.message.model_dump(mode="json") == PAYLOAD


def test_every_defect_has_an_example() -> None:
    assert sorted(EXAMPLES) == sorted(BY_CODE), "each defect of DEFECTS needs one example here, and only those"


@pytest.mark.parametrize("defect", DEFECTS, ids=lambda d: d.code)
def test_each_defect_gets_its_reason(defect: Defect) -> None:
    if defect.code not in EXAMPLES:
        pytest.fail(f"no example of {defect.code} in EXAMPLES")
    example = EXAMPLES[defect.code]

    with pytest.raises(Rejected) as rejected:
        decode(example.record(), accepts(MODEL))

    assert rejected.value.reason is reason_for(defect.code) is defect.reason, rejected.value.message
    if example.location is not None:
        assert example.location in [loc for loc, _ in rejected.value.errors], rejected.value.errors


def _errors(record: FakeRecord) -> tuple[RejectionReason, list[str]]:
    with pytest.raises(Rejected) as rejected:
        decode(record, accepts(MODEL))
    return rejected.value.reason, [loc for loc, _ in rejected.value.errors]


ORDER = [d.code for d in DEFECTS]
PAIRS = [
    (first, second)
    for first, second in itertools.combinations(ORDER, 2)
    if EXAMPLES[first].touches != EXAMPLES[second].touches
]


@pytest.mark.parametrize(("first", "second"), PAIRS, ids=lambda code: code)
def test_of_two_defects_the_one_listed_first_is_reported(first: str, second: str) -> None:
    """The guide: "a record with several defects gets the reason of the first one listed"."""
    alone = _errors(EXAMPLES[first].record())

    both = EXAMPLES[second].record(EXAMPLES[first].record())
    reversed_ = EXAMPLES[first].record(EXAMPLES[second].record())

    assert _errors(both) == _errors(reversed_) == alone
    assert alone[0] is reason_for(first)


# --- the limits are inclusive ----------------------------------------------------------------------------------------


def _outcome(record: FakeRecord) -> Decoded | RejectionReason:
    try:
        return decode(record, accepts(MODEL))
    except Rejected as rejected:
        return rejected.reason


def test_a_record_at_every_limit_is_accepted() -> None:
    headers = [*VALID.headers, *((f"x-trace-{i}", b"1") for i in range(MAX_HEADERS - len(VALID.headers) - 1))]
    headers += [("x-note", b"a" * MAX_HEADER_VALUE_BYTES)]
    headers = replace_header(headers, "ce_id", b"i" * MAX_ID_CHARS)
    value = (VALID.value or b"")[:-1] + b" " * (MAX_VALUE_BYTES - len(VALID.value or b"")) + b"}"
    record = replace(VALID, headers=headers, value=value)
    assert len(record.headers) == MAX_HEADERS and len(value) == MAX_VALUE_BYTES

    assert isinstance(_outcome(record), Decoded)


def test_nesting_at_the_limit_is_not_too_deep() -> None:
    """Nested MAX_DEPTH deep in all (the object itself is one level): only the schema refuses it."""
    assert _outcome(with_payload(decided_on=nested(MAX_DEPTH - 1))(VALID)) is RejectionReason.INVALID_PAYLOAD
    assert _outcome(with_payload(decided_on=nested(MAX_DEPTH))(VALID)) is RejectionReason.LIMIT_EXCEEDED


def test_an_id_one_character_too_long_is_refused() -> None:
    record = replace(VALID, headers=replace_header(VALID.headers, "ce_id", b"i" * (MAX_ID_CHARS + 1)))

    assert _outcome(record) is RejectionReason.INVALID_ENVELOPE


# --- the guide prints the same table ---------------------------------------------------------------------------------


def test_the_guide_lists_each_defect_with_its_reason_in_the_order_checked() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    section = guide.split("### What is refused, and with which reason", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| Defect")]

    assert rows == [f"| {d.what} | `{d.reason.value}` |" for d in DEFECTS], (
        "docs/partners.md is out of date: python -m tools.contracts generate"
    )

"""Properties of the door (`shared.decoding`) for every command of the catalogue, whatever the record holds.

- a valid command, encoded as a partner would, always decodes to its payload;
- no record makes `decode` fail other than with `Rejected` and one of the door's reasons;
- one defect gets exactly the reason `DEFECTS` gives it, and `errors` names the header or field at fault;
- the rejection of any record is bounded, UTF-8 JSON, free of control characters;
- `nesting_depth` counts what a JSON parser sees.
"""

from __future__ import annotations

import codecs
import copy
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from shared.contracts.envelope import BaseMessage
from shared.contracts.limits import (
    DEFECTS,
    KEPT_HEADER_CHARS,
    MAX_DEPTH,
    MAX_HEADER_VALUE_BYTES,
    MAX_HEADERS,
    MAX_ID_CHARS,
    MAX_VALUE_BYTES,
    reason_for,
)
from shared.contracts.rejections import MessageRejected, RejectionReason
from shared.contracts.topics import Stage
from shared.decoding import (
    ENVELOPE,
    MAX_ERRORS,
    REQUIRED,
    Decoded,
    control_characters,
    decode,
    nesting_depth,
    original_of,
    printable,
)
from shared.errors import Rejected
from shared.processing import _participant, _rejection
from tests.unit.shared.partner_records import (
    ACCEPTS,
    COMMANDS,
    NO_VALUE,
    FakeRecord,
    Headers,
    accepts,
    ce_type_id,
    partner_headers,
    payload_for,
)

DOOR_REASONS = frozenset(d.reason for d in DEFECTS)
PER_TYPE = settings(max_examples=max(3, settings().max_examples // 5))
"""For a test run once per command type (31 of them): a fifth of the profile's examples each."""
ROOM = MAX_HEADERS - 2
"""Headers a valid command carries at most here: an injected defect may add two without too many."""
RAW_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
ORG_ID = r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}"
PRINTABLE_ASCII = "".join(chr(c) for c in range(0x21, 0x7F))

Path = tuple[str | int, ...]

# --- what a partner sends ------------------------------------------------------------------------------------------


PARTICIPANT_IDS = st.uuids().map(str)
RECIPIENT_IDS = st.from_regex(ORG_ID, fullmatch=True)
CE_IDS = st.one_of(st.uuids().map(str), st.text(PRINTABLE_ASCII, min_size=1, max_size=MAX_ID_CHARS))
SOURCES = st.from_regex(r"/partners/[a-z0-9-]{1,40}", fullmatch=True)
CONTENT_TYPES = st.sampled_from(["application/json", "application/json; charset=utf-8"])
FRACTIONS = st.one_of(st.just(""), st.from_regex(r"[0-9]{1,9}", fullmatch=True))
MOMENTS = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1))
OFFSETS = st.one_of(st.none(), st.integers(-23 * 60 - 59, 23 * 60 + 59))
# Headers the door does not read may hold anything short (tracing, a partner's own reference).
EXTRA_HEADERS = st.tuples(
    st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True).filter(lambda n: n not in ENVELOPE),
    st.binary(max_size=64),
)


def subjects(model: type[BaseMessage]) -> st.SearchStrategy[str]:
    """Participant and first-contact ids (random UUIDs) or, in the directory and the organisation registry, short
    codes."""
    return PARTICIPANT_IDS if model.key_field in ("participant_id", "contact_id") else RECIPIENT_IDS


@st.composite
def rfc3339_times(draw: st.DrawFn) -> tuple[str, datetime]:
    """`ce_time` as partners write it (any fraction of 0-9 digits, Z/z or an offset) and the instant it names."""
    moment = draw(MOMENTS).replace(microsecond=0)
    fraction = draw(FRACTIONS)
    offset_minutes = draw(OFFSETS)
    separator = draw(st.sampled_from("Tt"))
    if offset_minutes is None:
        zone, offset = draw(st.sampled_from("Zz")), timedelta(0)
    else:
        sign = "-" if offset_minutes < 0 else "+"
        zone = f"{sign}{abs(offset_minutes) // 60:02d}:{abs(offset_minutes) % 60:02d}"
        offset = timedelta(minutes=offset_minutes)
    text = moment.isoformat().replace("T", separator) + (f".{fraction}" if fraction else "") + zone
    micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
    return text, moment.replace(microsecond=micro, tzinfo=timezone(offset))


@dataclass(frozen=True)
class Sent:
    """A valid command as a partner sends it, in parts a defect can change."""

    model: type[BaseMessage]
    payload: dict[str, Any]
    headers: Headers
    key: bytes | None
    ensure_ascii: bool = True
    indent: int | None = None

    @property
    def subject(self) -> str:
        return str(self.payload[self.model.key_field])

    def value(self, payload: Any = None) -> bytes:
        return json.dumps(
            self.payload if payload is None else payload, ensure_ascii=self.ensure_ascii, indent=self.indent
        ).encode()

    def record(self, **changes: Any) -> FakeRecord:
        parts: dict[str, Any] = {"key": self.key, "value": self.value(), "headers": list(self.headers)}
        parts.update(changes)
        return FakeRecord(topic=self.model.topic(), partition=3, offset=1234, **parts)


@st.composite
def sent_commands(draw: st.DrawFn, model: type[BaseMessage]) -> Sent:
    """The catalogue's example of `model` about a random participant (recipient), with the documented headers."""
    subject = draw(subjects(model))
    ce_time, _ = draw(rfc3339_times())
    headers: Headers = list(
        partner_headers(
            model,
            subject,
            ce_id=draw(CE_IDS),
            source=draw(SOURCES),
            time=ce_time,
            content_type=draw(CONTENT_TYPES),
            causation_id=draw(st.none() | PARTICIPANT_IDS),
        )
    )
    extra = draw(st.lists(EXTRA_HEADERS, max_size=ROOM - len(headers)))
    headers = draw(st.permutations([*headers, *extra]))
    return Sent(
        model=model,
        payload=payload_for(model, subject),
        headers=headers,
        key=subject.encode(),
        ensure_ascii=draw(st.booleans()),
        indent=draw(st.sampled_from([None, 2])),
    )


def paths_in(payload: Any) -> Iterator[Path]:
    """Every field, nested field and array item of the payload, as a path."""
    stack: list[tuple[Path, Any]] = [((), payload)]
    while stack:
        path, value = stack.pop()
        children: list[tuple[str | int, Any]] = (
            list(value.items())
            if isinstance(value, dict)
            else list(enumerate(value))
            if isinstance(value, list)
            else []
        )
        for part, child in children:
            yield (*path, part)
            stack.append(((*path, part), child))


def get(payload: Any, path: Path) -> Any:
    for part in path:
        payload = payload[part]
    return payload


def put(payload: Any, path: Path, value: Any) -> Any:
    """`payload` (changed in place) with the item at `path` replaced by `value`."""
    get(payload, path[:-1])[path[-1]] = value
    return payload


def location(path: Path) -> str:
    """The dotted location pydantic and `control_characters` write, e.g. `personal.given_name`, `consents.0`."""
    return ".".join(str(part) for part in path)


def example_sent(model: type[BaseMessage] = COMMANDS[0]) -> Sent:
    """The catalogue's example of `model`, as docs/partners.md sends it."""
    payload = payload_for(model)
    subject = str(payload[model.key_field])
    return Sent(model, payload, partner_headers(model, subject), subject.encode())


# --- (a) a valid command always decodes to its payload --------------------------------------------------------------


def test_the_command_types_are_those_of_the_catalogue() -> None:
    assert len(COMMANDS) == sum(len(a) for a in ACCEPTS.values()) > 0
    assert {m.ce_type() for m in COMMANDS} == {t for a in ACCEPTS.values() for t in a}


@pytest.mark.parametrize("model", COMMANDS, ids=ce_type_id)
@PER_TYPE
@given(data=st.data())
def test_a_valid_command_always_decodes_to_its_payload(model: type[BaseMessage], data: st.DataObject) -> None:
    sent = data.draw(sent_commands(model))

    decoded = decode(sent.record(), accepts(model))

    assert isinstance(decoded, Decoded)
    assert type(decoded.message) is model
    assert decoded.message.model_dump(mode="json") == sent.payload
    headers = {name: value.decode() for name, value in sent.headers if name in ENVELOPE}
    assert decoded.envelope.id == headers["ce_id"]
    assert decoded.envelope.source == headers["ce_source"]
    assert decoded.envelope.type == model.ce_type()
    assert decoded.envelope.subject == sent.subject == decoded.message.kafka_key()
    assert decoded.envelope.causation_id == headers.get("ce_causationid")
    assert decoded.envelope.time.utcoffset() is not None


@given(time=rfc3339_times())
def test_ce_time_is_read_as_the_instant_it_names(time: tuple[str, datetime]) -> None:
    text, instant = time
    sent = example_sent()
    headers = partner_headers(sent.model, sent.subject, time=text)

    decoded = decode(sent.record(headers=headers), accepts(sent.model))

    assert (decoded.envelope.time.replace(tzinfo=None), decoded.envelope.time.utcoffset()) == (
        instant.replace(tzinfo=None),
        instant.utcoffset(),
    )


# --- (b) nothing but Rejected, whatever the record holds ------------------------------------------------------------

json_documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
text_encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "utf-32-be", "latin-1"])
# Small, or over the limit (the door refuses those before reading them): cheap to make, and never mid-sized
# adversarial text, whose cost is measured on its own below.
repeated_bytes = st.tuples(
    st.binary(min_size=1, max_size=8), st.integers(1, 300) | st.integers(MAX_VALUE_BYTES + 1, MAX_VALUE_BYTES + 4000)
).map(lambda t: (t[0] * t[1])[: t[1]])
adversarial_values = st.sampled_from(
    [
        b"",
        b"[" * 60_000,
        b"{" * (MAX_VALUE_BYTES + 1),
        b'{"a":' * 10_000,
        b"]" * 1000 + b"[" * 1000,
        b'["' + b"[" * 5000 + b'"]',
        b"1" * 5000,
        b"[1e999999]",
        b"-Infinity",
        b'{"a": NaN}',
        b'"\\ud800"',
        b'{"\\udfff": 1}',
        b'{"a": 1, "a": 2}',
        b"\xef\xbb\xbf{}",
        b"\x00",
        b"null",
        b"[]",
        b'"' + b"\\" * 100,
    ]
)
header_names = st.one_of(
    st.sampled_from(ENVELOPE),
    st.sampled_from(["CE_ID", "Content-Type", "ce_data", "traceparent", ""]),
    st.text(max_size=20),
    # A name that is not UTF-8 reaches the door with surrogate escapes (shared.kafka_records).
    st.text(st.characters(max_codepoint=0x7F) | st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF), max_size=8),
)
header_values = st.one_of(
    st.just(NO_VALUE),
    st.binary(max_size=40),
    st.text(max_size=40).map(str.encode),
    st.sampled_from([b"1.0", b"application/json", b"2025-05-28T09:15:00Z", b"/partners/x"]),
    repeated_bytes,
)
keys = st.one_of(st.none(), st.binary(max_size=60), st.uuids().map(lambda u: str(u).encode()))


@st.composite
def arbitrary_records(draw: st.DrawFn) -> tuple[FakeRecord, Stage]:
    """Anything: random parts, or a valid command with random parts put in, taken out or changed."""
    model = draw(st.sampled_from(COMMANDS))
    stage = draw(st.sampled_from(list(Stage))) if draw(st.booleans()) else model.stage
    sent = draw(sent_commands(model))
    headers = list(sent.headers) if draw(st.booleans()) else draw(st.lists(st.tuples(header_names, header_values)))
    for _ in range(draw(st.integers(0, 4))):
        operation = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        if operation == "insert" or not headers:
            headers.insert(draw(st.integers(0, len(headers))), (draw(header_names), draw(header_values)))
            continue
        at = draw(st.integers(0, len(headers) - 1))
        if operation == "delete":
            del headers[at]
        elif operation == "replace":
            headers[at] = (headers[at][0], draw(header_values))
        else:
            headers.insert(draw(st.integers(0, len(headers))), headers[at])
    if draw(st.booleans()):
        payload = copy.deepcopy(sent.payload)
        path = draw(st.sampled_from(list(paths_in(payload))))
        value = sent.value(put(payload, path, draw(json_documents)))
    else:
        value = draw(
            st.one_of(
                st.none(),
                st.binary(max_size=200),
                repeated_bytes,
                json_documents.map(lambda d: json.dumps(d).encode()),
                st.tuples(st.text(max_size=50), text_encodings).map(lambda t: t[0].encode(t[1], "replace")),
                adversarial_values,
                st.just(sent.value()),
            )
        )
    key = draw(st.one_of(st.just(sent.key), keys))
    return sent.record(headers=headers, value=value, key=key), stage


def door_outcome(record: FakeRecord, stage: Stage) -> Decoded | Rejected:
    """What the door makes of `record`: a Decoded or a well-formed Rejected; anything else escapes."""
    try:
        return decode(record, ACCEPTS[stage])
    except Rejected as rejected:
        assert isinstance(rejected.reason, RejectionReason)
        assert rejected.reason in DOOR_REASONS
        assert isinstance(rejected.message, str)
        assert len(rejected.errors) <= MAX_ERRORS
        assert all(isinstance(loc, str) and isinstance(problem, str) for loc, problem in rejected.errors)
        return rejected


@given(case=arbitrary_records())
def test_no_record_makes_the_door_fail_other_than_with_rejected(case: tuple[FakeRecord, Stage]) -> None:
    outcome = door_outcome(*case)

    if isinstance(outcome, Decoded):
        assert type(outcome.message) in ACCEPTS[case[1]].values()


@pytest.mark.parametrize(
    "value",
    [
        b"[" * 60_000,  # deep enough to exhaust any recursive parser: refused before parsing
        b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
        b"[" * 1000 + b'"' + b"]" * 1000,
        b"1" * 5000,  # more digits than int() converts
        b"[1e999999]",
        b'{"given_name": "\\ud800"}',
        b"\xf4\x90\x80\x80",  # beyond U+10FFFF
        b"\xed\xa0\x80",  # an encoded surrogate
    ],
    ids=lambda v: repr(v[:20]),
)
def test_values_that_break_naive_parsers_are_rejected(value: bytes) -> None:
    model = COMMANDS[0]
    sent = example_sent(model)

    with pytest.raises(Rejected) as rejected:
        decode(sent.record(value=value), accepts(model))

    assert rejected.value.reason in DOOR_REASONS


# --- (c) one defect, exactly its reason -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Injected:
    """A valid record with one defect put in: the defect's code and what `errors` must name (None: no errors)."""

    what: str
    record: FakeRecord
    code: str
    location: str | None


Injection = Callable[[st.DataObject, Sent], Injected]
INJECTIONS: dict[str, Injection] = {}
"""Name -> a function putting one defect of its kind into a valid command."""
INJECTED_CODES: dict[str, str] = {}
"""Name -> the code of the defect it puts in."""


def injection(code: str) -> Callable[[Injection], Injection]:
    def register(function: Injection) -> Injection:
        INJECTIONS[function.__name__] = function
        INJECTED_CODES[function.__name__] = code
        return function

    return register


def envelope_header(data: st.DataObject, sent: Sent, names: tuple[str, ...] = ENVELOPE) -> str:
    return data.draw(st.sampled_from([n for n, _ in sent.headers if n in names]), label="header")


def with_value(sent: Sent, name: str, value: bytes) -> Headers:
    return [(n, value if n == name else v) for n, v in sent.headers]


def inserted(data: st.DataObject, text: str, char: str) -> str:
    at = data.draw(st.integers(0, len(text)), label="at")
    return text[:at] + char + text[at:]


controls = st.one_of(st.integers(0x00, 0x1F), st.integers(0x7F, 0x9F)).map(chr)
surrogates = st.integers(0xD800, 0xDFFF).map(chr)
invalid_utf8 = st.sampled_from([b"\xff", b"\xfe", b"\x80", b"\xc3\x28", b"\xed\xa0\x80", b"\xc0\xaf", b"\xe2\x82"])


@injection("too_many_headers")
def too_many_headers(data: st.DataObject, sent: Sent) -> Injected:
    count = data.draw(st.integers(MAX_HEADERS + 1 - len(sent.headers), MAX_HEADERS + 20 - len(sent.headers)))
    extra: Headers = [(f"x-extra-{i}", b"1") for i in range(count)]
    return Injected("more headers than allowed", sent.record(headers=[*sent.headers, *extra]), "too_many_headers", None)


@injection("header_too_long")
def header_too_long(data: st.DataObject, sent: Sent) -> Injected:
    name = data.draw(st.sampled_from([*(n for n, _ in sent.headers if n in ENVELOPE), "x-partner-note"]))
    value = b"a" * data.draw(st.integers(MAX_HEADER_VALUE_BYTES + 1, MAX_HEADER_VALUE_BYTES + 2000))
    headers = with_value(sent, name, value) if name in ENVELOPE else [*sent.headers, (name, value)]
    return Injected(f"{name} too long", sent.record(headers=headers), "header_too_long", f"headers.{name}")


@injection("header_missing")
def header_missing(data: st.DataObject, sent: Sent) -> Injected:
    name = data.draw(st.sampled_from(REQUIRED))
    how = data.draw(st.sampled_from(["removed", "empty", "None"]))
    headers = (
        [(n, v) for n, v in sent.headers if n != name]
        if how == "removed"
        else with_value(sent, name, b"" if how == "empty" else NO_VALUE)
    )
    return Injected(f"{name} {how}", sent.record(headers=headers), "header_missing", f"headers.{name}")


@injection("header_duplicated")
def header_duplicated(data: st.DataObject, sent: Sent) -> Injected:
    name = envelope_header(data, sent)
    original = dict(sent.headers)[name]
    again = data.draw(st.sampled_from([original, b"another-value-0001"]))
    headers = list(sent.headers)
    headers.insert(data.draw(st.integers(0, len(headers))), (name, again))
    return Injected(f"{name} twice", sent.record(headers=headers), "header_duplicated", f"headers.{name}")


@injection("header_not_text")
def header_control_character(data: st.DataObject, sent: Sent) -> Injected:
    name = envelope_header(data, sent)
    value = inserted(data, (dict(sent.headers)[name] or b"").decode(), data.draw(controls))
    headers = with_value(sent, name, value.encode())
    return Injected(f"control character in {name}", sent.record(headers=headers), "header_not_text", f"headers.{name}")


@injection("header_not_text")
def header_not_utf8(data: st.DataObject, sent: Sent) -> Injected:
    name = envelope_header(data, sent)
    value = dict(sent.headers)[name] or b""
    at = data.draw(st.integers(0, len(value)))
    headers = with_value(sent, name, value[:at] + data.draw(invalid_utf8) + value[at:])
    return Injected(f"{name} not UTF-8", sent.record(headers=headers), "header_not_text", f"headers.{name}")


@injection("header_not_text")
def header_name_not_text(data: st.DataObject, sent: Sent) -> Injected:
    bad = data.draw(controls | st.integers(0xDC80, 0xDCFF).map(chr))  # surrogate escape: not UTF-8 on the wire
    name = inserted(data, data.draw(st.sampled_from(["x-partner-ref", "traceparent", "ce_extension"])), bad)
    headers = list(sent.headers)
    headers.insert(data.draw(st.integers(0, len(headers))), (name, b"1"))
    return Injected(
        f"header name {name!r}", sent.record(headers=headers), "header_not_text", f"headers.{printable(name)}"
    )


BAD_FORMS: dict[str, st.SearchStrategy[str]] = {
    "ce_specversion": st.sampled_from(["1", "1.1", "0.3", "2.0", " 1.0", "v1.0"]),
    "content-type": st.sampled_from(
        ["text/plain", "application/xml", "application/cloudevents+json", "application/json; charset=latin-1", "json"]
    ),
    "ce_id": st.one_of(
        st.text(PRINTABLE_ASCII, min_size=MAX_ID_CHARS + 1, max_size=MAX_HEADER_VALUE_BYTES),
        st.sampled_from(["an id with spaces", "id-é", "id\u00a0nbsp"]),
    ),
    "ce_causationid": st.sampled_from(["a cause", "cause-ü", "x" * (MAX_ID_CHARS + 1)]),
    "ce_source": st.sampled_from(["partners/x", "/", "/a b", "/é", "https://partner.example", "/" + "x" * 256]),
    "ce_time": st.sampled_from(
        [
            "2025-05-28T09:15:00",
            "2025-05-28 09:15:00Z",
            "2025-05-28",
            "2025-02-30T10:00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-05-28T24:00:00Z",
            "2025-05-28T09:15:00.1234567890Z",
            "2025-05-28T09:15:00+0100",
            "1748423700",
            "yesterday",
        ]
    ),
    "ce_subject": st.integers(MAX_ID_CHARS + 1, MAX_HEADER_VALUE_BYTES).map(lambda n: "s" * n),
}


@injection("header_format")
def header_format(data: st.DataObject, sent: Sent) -> Injected:
    name = data.draw(st.sampled_from(sorted(BAD_FORMS)))
    value = data.draw(BAD_FORMS[name]).encode()
    headers = with_value(sent, name, value) if name in dict(sent.headers) else [*sent.headers, (name, value)]
    return Injected(f"{name}={value[:40]!r}", sent.record(headers=headers), "header_format", f"headers.{name}")


@injection("unknown_type")
def unknown_type(data: st.DataObject, sent: Sent) -> Injected:
    name = sent.model.ce_type()
    others = st.sampled_from(
        [m.ce_type() for m in COMMANDS if m.stage is not sent.model.stage]
        + [name.replace(".v1", ".v2"), name.replace(".v1", ".v0"), name.lower(), "journey.x.Y.v1"]
    )
    ce_type = data.draw(others | st.text(min_size=1, max_size=MAX_ID_CHARS).filter(lambda t: not RAW_CONTROL.search(t)))
    if ce_type in accepts(sent.model):
        ce_type = "journey.nowhere.Nothing.v1"
    headers = with_value(sent, "ce_type", ce_type.encode())
    return Injected(f"ce_type {ce_type!r}", sent.record(headers=headers), "unknown_type", None)


@injection("value_too_large")
def value_too_large(data: st.DataObject, sent: Sent) -> Injected:
    size = data.draw(st.integers(MAX_VALUE_BYTES + 1, MAX_VALUE_BYTES + 5000))
    how = data.draw(st.sampled_from(["whitespace", "long field", "long string in a field"]))
    value = sent.value()
    if how == "whitespace":
        value = value[:-1] + b" " * (size - len(value)) + value[-1:]
    else:
        payload = copy.deepcopy(sent.payload)
        strings = [p for p in paths_in(payload) if isinstance(get(payload, p), str)]
        path = data.draw(st.sampled_from(strings)) if how == "long string in a field" else ("remarks",)
        put(payload, path, "")
        value = sent.value(put(payload, path, "x" * (size - len(sent.value(payload)))))
    assert len(value) == size
    return Injected(how, sent.record(value=value), "value_too_large", "value")


@injection("value_too_deep")
def value_too_deep(data: st.DataObject, sent: Sent) -> Injected:
    levels = data.draw(st.lists(st.booleans(), min_size=MAX_DEPTH, max_size=MAX_DEPTH + 50))
    nested: Any = data.draw(st.sampled_from([1, "x", None, [], {}]))
    for is_array in levels:
        nested = [nested] if is_array else {"k": nested}
    payload = copy.deepcopy(sent.payload)
    field = data.draw(st.sampled_from([*payload, "extra"]))  # a top-level field: one level already
    payload[field] = nested
    return Injected(
        f"{field} nested {len(levels)} deep", sent.record(value=sent.value(payload)), "value_too_deep", "value"
    )


@injection("value_not_json")
def value_not_json(data: st.DataObject, sent: Sent) -> Injected:
    how = data.draw(
        st.sampled_from(["re-encoded", "byte-order mark", "NaN", "repeated key", "cut short", "single quotes", "null"])
    )
    text = sent.value().decode()
    if how == "re-encoded":
        encoding = data.draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]))
        value: bytes | None = text.encode(encoding)
        how = encoding
    elif how == "byte-order mark":
        value = codecs.BOM_UTF8 + text.encode()
    elif how == "NaN":
        payload = put(copy.deepcopy(sent.payload), (data.draw(st.sampled_from(list(sent.payload))),), float("nan"))
        constant = data.draw(st.sampled_from(["NaN", "Infinity", "-Infinity"]))
        value = sent.value(payload).replace(b"NaN", constant.encode())
    elif how == "repeated key":
        field = data.draw(st.sampled_from(list(sent.payload)))
        value = (
            b"{"
            + json.dumps(field).encode()
            + b": "
            + json.dumps(sent.payload[field]).encode()
            + b", "
            + text[1:].encode()
        )
    elif how == "cut short":
        value = text.encode()[: data.draw(st.integers(0, len(text.encode()) - 1))]
    elif how == "single quotes":
        value = text.replace('"', "'").encode()
    else:
        value = data.draw(st.sampled_from([None, b""]))
    return Injected(how, sent.record(value=value), "value_not_json", "value")


@injection("value_control_character")
def value_control_character(data: st.DataObject, sent: Sent) -> Injected:
    payload = copy.deepcopy(sent.payload)
    bad = data.draw(controls | surrogates)
    ensure_ascii = True if "\ud800" <= bad <= "\udfff" else sent.ensure_ascii  # a lone surrogate: as an escape
    if data.draw(st.booleans(), label="in a key"):
        parents = [()] + [p for p in paths_in(payload) if isinstance(get(payload, p), dict)]
        parent = data.draw(st.sampled_from(parents))
        key = inserted(data, "note", bad)
        get(payload, parent)[key] = "x"
        path: Path = (*parent, printable(key))
    else:
        path = data.draw(st.sampled_from([p for p in paths_in(payload) if isinstance(get(payload, p), str)]))
        put(payload, path, inserted(data, get(payload, path), bad))
    value = json.dumps(payload, ensure_ascii=ensure_ascii, indent=sent.indent).encode()
    return Injected(f"{bad!r} in {location(path)}", sent.record(value=value), "value_control_character", location(path))


def coerced(data: st.DataObject, value: Any) -> Any:
    """A value of another JSON type a lax parser would take for `value`: a number for a date, "true" for a bool."""
    if isinstance(value, bool):
        return data.draw(st.sampled_from(["true", "false", 1, 0, "yes"]))
    if isinstance(value, int):
        return data.draw(st.sampled_from([str(value), True, [value]]))
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return data.draw(st.sampled_from([0, int(value.replace("-", "")), 1748390400, True, [value]]))
    if isinstance(value, str):
        return data.draw(st.sampled_from([1, 0, True, 1.5, [value], {"value": value}]))
    if isinstance(value, list):
        return data.draw(st.sampled_from([",".join(map(str, value)), value[0] if value else "", {}]))
    return data.draw(st.sampled_from([json.dumps(value), [value], 1]))  # a nested object


@injection("value_schema")
def value_schema(data: st.DataObject, sent: Sent) -> Injected:
    payload = copy.deepcopy(sent.payload)
    how = data.draw(st.sampled_from(["coerced", "removed", "unknown field"]))
    if how == "coerced":
        path = data.draw(st.sampled_from([p for p in paths_in(payload) if get(payload, p) is not None]))
        put(payload, path, coerced(data, get(payload, path)))
    elif how == "removed":
        required: list[Path] = [(name,) for name, f in sent.model.model_fields.items() if f.is_required()]
        if isinstance(payload.get("personal"), dict):
            required.append(("personal", "given_name"))
        path = data.draw(st.sampled_from(required))
        del get(payload, path[:-1])[path[-1]]
    else:
        parents = [()] + [p for p in paths_in(payload) if isinstance(get(payload, p), dict)]
        parent = data.draw(st.sampled_from(parents))
        name = data.draw(
            st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1, max_size=30).filter(
                lambda n: n not in get(payload, parent)
            )
        )
        get(payload, parent)[name] = data.draw(st.sampled_from([1, "x", None, True, [], {}]))
        path = (*parent, name)
    return Injected(f"{location(path)} {how}", sent.record(value=sent.value(payload)), "value_schema", location(path))


@injection("key_mismatch")
def key_mismatch(data: st.DataObject, sent: Sent) -> Injected:
    other = data.draw(subjects(sent.model).filter(lambda s: s != sent.subject))
    how = data.draw(st.sampled_from(["no key", "empty key", "other key", "other ce_subject", "both other"]))
    if how in ("no key", "empty key"):
        record = sent.record(key=None if how == "no key" else b"")
        where = "key"
    elif how == "other key":
        record, where = sent.record(key=other.encode()), "key"
    else:
        key = other.encode() if how == "both other" else sent.key
        record = sent.record(headers=with_value(sent, "ce_subject", other.encode()), key=key)
        where = "headers.ce_subject"
    return Injected(how, record, "key_mismatch", where)


def test_every_defect_of_the_table_can_be_injected() -> None:
    assert set(INJECTED_CODES.values()) == {d.code for d in DEFECTS}


@pytest.mark.parametrize("model", COMMANDS, ids=ce_type_id)
@PER_TYPE
@given(data=st.data())
def test_one_defect_gets_exactly_its_reason(model: type[BaseMessage], data: st.DataObject) -> None:
    """Every kind of defect, each put alone into a valid command of this type."""
    sent = data.draw(sent_commands(model))
    decode(sent.record(), accepts(model))  # valid before the defect goes in

    for name, inject in INJECTIONS.items():
        injected = inject(data, sent)
        with pytest.raises(Rejected) as caught:
            decode(injected.record, accepts(model))
        rejected = caught.value
        where = f"{name}: {injected.what}"
        assert rejected.reason is reason_for(injected.code), f"{where}: {rejected.reason} {rejected.message}"
        locations = [loc for loc, _ in rejected.errors]
        if injected.location is None:
            continue
        if injected.code in ("value_schema", "value_control_character"):
            assert any(loc == injected.location or loc.startswith(f"{injected.location}.") for loc in locations), (
                f"{where}: {rejected.errors}"
            )
        else:
            assert injected.location in locations, f"{where}: {rejected.errors}"


# --- (d) the rejection of any record is bounded, UTF-8 JSON, without control characters ------------------------------

MAX_REJECTION_BYTES = 200_000
big_texts = st.tuples(st.text(min_size=1, max_size=4), st.integers(1, 3000)).map(lambda t: t[0] * t[1])
big_bytes = st.tuples(st.binary(min_size=1, max_size=4), st.integers(1, 30_000)).map(lambda t: t[0] * t[1])


@st.composite
def any_records(draw: st.DrawFn) -> tuple[FakeRecord, Stage]:
    """Records as random as `arbitrary_records`, or huge: many headers, long names and values, big keys and values."""
    if draw(st.booleans()):
        return draw(arbitrary_records())
    names = st.one_of(header_names, big_texts, st.text(st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF)))
    values = st.one_of(header_values, big_bytes)
    record = FakeRecord(
        topic=draw(st.sampled_from(COMMANDS)).topic(),
        partition=draw(st.integers(0, 2**31 - 1)),
        offset=draw(st.integers(0, 2**63 - 1)),
        key=draw(st.one_of(keys, big_bytes)),
        value=draw(st.one_of(st.none(), st.binary(max_size=100), big_bytes)),
        headers=draw(st.lists(st.tuples(names, values), max_size=MAX_HEADERS + 10)),
    )
    return record, draw(st.sampled_from(list(Stage)))


def rejection_of(record: FakeRecord, stage: Stage, minimal: bool) -> bytes:
    """The rejection as `MessageProcessor` publishes it for this record, serialised."""
    outcome = door_outcome(record, stage)
    rejected = (
        outcome
        if isinstance(outcome, Rejected)
        else Rejected(RejectionReason.PROCESSING_FAILED, "failed 3 times: ValueError: " + "\x00é" * 5000)
    )
    rejection = _rejection(record, outcome, rejected, _participant(record, outcome), minimal)
    assert isinstance(rejection, MessageRejected)
    return rejection.model_dump_json().encode()


def worst_record() -> FakeRecord:
    """As much as a rejection keeps, all of it 4-byte characters: header names and values, key, and 20 errors
    naming unknown fields with long names (headers of at most 1024 bytes, so the door reads on to the payload)."""
    model = COMMANDS[0]
    wide = "\U0001f600"
    unknown = {f"{i:02d}{wide * 600}": 1 for i in range(MAX_ERRORS + 5)}
    value = json.dumps({**payload_for(model), **unknown}, ensure_ascii=False).encode()
    subject = str(payload_for(model)[model.key_field])
    headers = [(f"{i:02d}{wide * 100}", (wide * 256).encode()) for i in range(ROOM - 8)]
    record = FakeRecord(
        topic=model.topic(),
        key=(wide * 300).encode(),
        value=value + b" " * (MAX_VALUE_BYTES - len(value)),
        headers=[*partner_headers(model, subject), *headers],
    )
    assert len(record.value or b"") == MAX_VALUE_BYTES
    return record


@given(case=any_records(), minimal=st.booleans())
@example(case=(worst_record(), COMMANDS[0].stage), minimal=False)
@example(
    case=(
        FakeRecord(
            "journey.recognition.commands",
            key=b"\x00" * 10_000,
            value=b"\xff" * 1_000_000,
            headers=[("\x00" * 5000, b"\x00" * 10_000)] * 100,
        ),
        Stage.RECOGNITION,
    ),
    minimal=False,
)
def test_the_rejection_of_any_record_is_bounded_utf8_json_without_control_characters(
    case: tuple[FakeRecord, Stage], minimal: bool
) -> None:
    data = rejection_of(*case, minimal)

    assert len(data) < MAX_REJECTION_BYTES
    text = data.decode("utf-8")  # strict: raises on anything that is not UTF-8
    assert not RAW_CONTROL.search(text)
    parsed = json.loads(text)
    assert control_characters(parsed) == []
    MessageRejected.model_validate(parsed)


def test_the_costliest_rejection_is_well_under_the_bound() -> None:
    """The worst record found by hand: the bound has room, and stays there when a limit grows a little."""
    size = len(rejection_of(worst_record(), COMMANDS[0].stage, minimal=False))

    assert size < MAX_REJECTION_BYTES * 0.75, size


def test_original_of_keeps_a_digest_of_what_it_cuts() -> None:
    value = b"x" * (3 * MAX_VALUE_BYTES)
    original = original_of(FakeRecord("t", key=None, value=value, headers=[("h", b"v" * 10_000)]))

    assert original.value_size == len(value) and original.value_truncated and original.headers_truncated
    assert original.value_sha256 == hashlib.sha256(value).hexdigest()
    assert len(original.headers["h"]) <= KEPT_HEADER_CHARS + 1


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param([("h", b"\x00" * 100)], id="a short value of control bytes, escaped past the kept length"),
        pytest.param([("h", b"\xff" * 200)], id="a short value of bytes that are not UTF-8"),
        pytest.param([("x" * 70 + "a", b"1"), ("x" * 70 + "b", b"2")], id="two long names alike in 64 characters"),
    ],
)
def test_a_rejection_says_when_it_kept_less_than_the_headers(headers: Headers) -> None:
    """`headers_truncated` is documented as "True when header values were shortened or headers left out"."""
    original = original_of(FakeRecord("journey.recognition.commands", key=None, value=b"{}", headers=headers))

    shortened = any(value.endswith("…") for value in original.headers.values())
    left_out = len(original.headers) < len({name for name, _ in headers})
    assert original.headers_truncated == (shortened or left_out), original.headers


def test_a_rejection_keeps_short_headers_whole_and_says_so() -> None:
    headers = [("ce_id", b"x-1"), ("x-note", "café".encode()), ("x-bin", b"\x01")]
    original = original_of(FakeRecord("journey.recognition.commands", key=b"k", value=b"{}", headers=headers))

    assert original.headers == {"ce_id": "x-1", "x-note": "café", "x-bin": "\\x01"}
    assert not original.headers_truncated and not original.value_truncated


# --- (e) nesting_depth counts what a parser sees ---------------------------------------------------------------------


def reference_depth(document: Any) -> int:
    """Depth of arrays and objects in a parsed document: a scalar is 0, `[]` is 1, `[[1]]` is 2."""
    if isinstance(document, list):
        return 1 + max((reference_depth(item) for item in document), default=0)
    if isinstance(document, dict):
        return 1 + max((reference_depth(item) for item in document.values()), default=0)
    return 0


tricky_text = st.text(st.sampled_from('[]{}"\\/:,\n\tbu0é\U0001f600') | st.characters(), max_size=12)
documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | tricky_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(tricky_text, children, max_size=4),
    max_leaves=40,
)


@st.composite
def deep_documents(draw: st.DrawFn) -> Any:
    document = draw(documents)
    for is_array in draw(st.lists(st.booleans(), max_size=40)):
        sibling = draw(documents)
        document = [sibling, document] if is_array else {draw(tricky_text): document, "\\": sibling}
    return document


@given(document=st.one_of(documents, deep_documents()), ensure_ascii=st.booleans(), indent=st.sampled_from([None, 1]))
@example(document=["]]]", {"[[": "{{"}, '\\"[', "\\", []], ensure_ascii=True, indent=None)
@example(document={"a\\": ['"]"', [[]]]}, ensure_ascii=False, indent=None)
def test_nesting_depth_agrees_with_a_parser(document: Any, ensure_ascii: bool, indent: int | None) -> None:
    text = json.dumps(document, ensure_ascii=ensure_ascii, indent=indent)

    assert nesting_depth(text) == reference_depth(json.loads(text))


# --- the door's worst values: each is settled (they once took seconds on the event loop; the time is for benchmarks,
# these only prove the shapes are handled at the full size the door accepts) ------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        pytest.param(b'"' + b'\\"' * 32_000, RejectionReason.UNDECODABLE, id="escaped quotes"),
        pytest.param(b'"\\' * 32_000, RejectionReason.UNDECODABLE, id="backslash-quote pairs"),
        pytest.param(
            b"{" + b",".join(b'"a":0' for _ in range(10_000)) + b"}", RejectionReason.UNDECODABLE, id="repeated keys"
        ),
        pytest.param(b'"' + b"x" * 64_000, RejectionReason.UNDECODABLE, id="unterminated string"),
        pytest.param(
            b"{" + b",".join(b'"%d":0' % i for i in range(7000)) + b",}", RejectionReason.UNDECODABLE, id="many keys"
        ),
        pytest.param(b"[" * MAX_VALUE_BYTES, RejectionReason.LIMIT_EXCEEDED, id="brackets to the limit"),
    ],
)
def test_the_doors_worst_values_are_rejected_with_their_reason(value: bytes, reason: RejectionReason) -> None:
    model = COMMANDS[0]
    record = example_sent(model).record(value=value)

    with pytest.raises(Rejected) as refused:
        decode(record, accepts(model))

    assert refused.value.reason is reason


def test_a_valid_command_padded_to_the_limit_is_accepted() -> None:
    model = COMMANDS[0]
    sent = example_sent(model)
    padded = sent.value()[:-1] + b" " * (MAX_VALUE_BYTES - len(sent.value())) + b"}"

    assert isinstance(decode(sent.record(value=padded), accepts(model)), Decoded)

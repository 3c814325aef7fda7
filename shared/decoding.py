"""The door of every stage: a Kafka record becomes a valid message, or a `Rejected` naming the first defect.

Pure: no I/O. The checks run in the order of `shared.contracts.limits.DEFECTS`, which the partner guide prints,
so a record with several defects gets the reason of the first one listed there. Nothing here can recurse on the
record's shape or store anything, so no record can make it fail other than with `Rejected`.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from pydantic import ValidationError

from shared.contracts.envelope import CONTENT_TYPE, SPECVERSION, BaseMessage, Envelope
from shared.contracts.limits import (
    CE_ID_PATTERN,
    CE_SOURCE_PATTERN,
    CE_TIME_PATTERN,
    DEFECTS,
    KEPT_HEADER_CHARS,
    KEPT_VALUE_BYTES,
    MAX_DEPTH,
    MAX_HEADER_VALUE_BYTES,
    MAX_HEADERS,
    MAX_ID_CHARS,
    MAX_VALUE_BYTES,
    reason_for,
)
from shared.contracts.rejections import OriginalMessage
from shared.errors import Rejected

REQUIRED = ("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject", "content-type")
ENVELOPE = (*REQUIRED, "ce_causationid")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_ID = re.compile(CE_ID_PATTERN)
_SOURCE = re.compile(CE_SOURCE_PATTERN)
_TIME = re.compile(CE_TIME_PATTERN)
_SPECIAL = re.compile(r'[\[\]{}"\\]')
MAX_ERRORS = 20
KEPT_HEADER_NAME_CHARS = 64


class Record(Protocol):
    """The parts of a Kafka record the door reads (aiokafka's `ConsumerRecord` fits)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes]]
    timestamp: int


@dataclass(frozen=True, slots=True)
class Decoded:
    """A record that passed the door: its envelope and its validated message."""

    envelope: Envelope
    message: BaseMessage


Problems = dict[str, list[tuple[str, str]]]
"""Defect code -> (location, problem) pairs found so far."""


def decode(record: Record, accepts: Mapping[str, type[BaseMessage]]) -> Decoded:
    """The record as a valid message of one of the types the topic `accepts` (ce_type -> model)."""
    problems: Problems = {}
    headers = _envelope_headers(record.headers or (), problems)
    _first(problems)
    ce_type = headers["ce_type"]
    model = accepts.get(ce_type)
    if model is None:
        accepted = ", ".join(sorted(accepts))
        raise Rejected(
            reason_for("unknown_type"), f"{record.topic} does not accept {ce_type!r}; it accepts: {accepted}"
        )
    text, parsed = _json_text(record.value, problems)
    _first(problems)
    try:
        message = model.model_validate_json(text, strict=True)
    except ValidationError as error:
        problems["value_schema"] = [(".".join(str(p) for p in e["loc"]) or "(root)", e["msg"]) for e in error.errors()]
    else:
        # What pydantic reads more loosely than the published schema says: `"1748390400"` as a date, `urn:uuid:…`
        # as a UUID, a repeated item in a set.
        problems["value_schema"] = form_problems(published_schema(model), parsed)
    _first(problems, f"invalid {ce_type}")
    _check_key(record, headers["ce_subject"], message, problems)
    _first(problems)
    envelope = Envelope(
        id=headers["ce_id"],
        source=headers["ce_source"],
        type=ce_type,
        subject=headers["ce_subject"],
        time=datetime.fromisoformat(headers["ce_time"].upper().replace("Z", "+00:00")),
        causation_id=headers.get("ce_causationid"),
    )
    return Decoded(envelope, message)


def _first(problems: Problems, prefix: str = "") -> None:
    """Raise the rejection of the first defect (in the guide's order) found so far, if any."""
    for defect in DEFECTS:
        found = problems.get(defect.code)
        if found:
            summary = "; ".join(f"{loc}: {problem}" for loc, problem in found[:5])
            raise Rejected(defect.reason, f"{prefix}: {summary}" if prefix else summary, found[:MAX_ERRORS])


def _envelope_headers(raw: Sequence[tuple[str, bytes | None]], problems: Problems) -> dict[str, str]:
    """The envelope's headers as text; every defect found is added to `problems`."""
    if len(raw) > MAX_HEADERS:
        problems.setdefault("too_many_headers", []).append(("headers", f"{len(raw)} headers, at most {MAX_HEADERS}"))
    values: dict[str, str] = {}
    given: set[str] = set()
    flagged: set[str] = set()  # given, but refused for a reason of its own: not reported missing as well
    for name, value in raw:
        data = value or b""
        where = f"headers.{printable(name)}"
        if len(data) > MAX_HEADER_VALUE_BYTES:
            problems.setdefault("header_too_long", []).append(
                (where, f"{len(data)} bytes, at most {MAX_HEADER_VALUE_BYTES}")
            )
            flagged.add(name)
            continue
        if CONTROL.search(name):  # a name that is not UTF-8 arrives with surrogate escapes (shared.kafka_records)
            problems.setdefault("header_not_text", []).append((where, "the header name is not UTF-8 text"))
            continue
        if name not in ENVELOPE:
            continue
        if name in given:
            problems.setdefault("header_duplicated", []).append((where, "given more than once"))
            continue
        given.add(name)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            problems.setdefault("header_not_text", []).append((where, "not UTF-8"))
            flagged.add(name)
            continue
        if CONTROL.search(text):
            problems.setdefault("header_not_text", []).append((where, "holds a control character"))
            flagged.add(name)
        elif text:
            values[name] = text
    for name in REQUIRED:
        if name not in values and name not in flagged:
            problems.setdefault("header_missing", []).append((f"headers.{name}", "required"))
    for name, problem in _format_problems(values):
        problems.setdefault("header_format", []).append((f"headers.{name}", problem))
    return values


def _format_problems(values: Mapping[str, str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if "ce_specversion" in values and values["ce_specversion"] != SPECVERSION:
        found.append(("ce_specversion", f"must be {SPECVERSION}"))
    if "content-type" in values:
        media, _, parameter = values["content-type"].partition(";")
        if media.strip().lower() != CONTENT_TYPE or parameter.strip().lower() not in ("", "charset=utf-8"):
            found.append(("content-type", f"must be {CONTENT_TYPE}"))
    for name in ("ce_id", "ce_causationid"):
        if name in values and not _ID.match(values[name]):
            found.append((name, "must be 1-200 printable ASCII characters without spaces"))
    if "ce_source" in values and not _SOURCE.match(values["ce_source"]):
        found.append(("ce_source", "must be an absolute path such as /partners/<org>, printable ASCII"))
    if "ce_time" in values and not _valid_time(values["ce_time"]):
        found.append(("ce_time", "must be an RFC 3339 date-time with an offset, e.g. 2025-05-28T09:15:00Z"))
    if "ce_subject" in values and len(values["ce_subject"]) > MAX_ID_CHARS:
        found.append(("ce_subject", f"longer than {MAX_ID_CHARS} characters"))
    return found


def _valid_time(value: str) -> bool:
    if not _TIME.match(value):
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _json_text(value: bytes | None, problems: Problems) -> tuple[str, Any]:
    """The value as JSON text (and parsed) that parses, within the limits, without control characters in any
    string; ("", None) with the problem added when it is not."""
    data = value or b""
    if len(data) > MAX_VALUE_BYTES:
        problems["value_too_large"] = [("value", f"{len(data)} bytes, at most {MAX_VALUE_BYTES}")]
        return "", None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        problems["value_not_json"] = [("value", f"not UTF-8: {error.reason} at byte {error.start}")]
        return "", None
    if text.startswith("\ufeff"):
        problems["value_not_json"] = [("value", "starts with a byte-order mark")]
        return "", None
    if nesting_depth(text, limit=MAX_DEPTH) > MAX_DEPTH:
        problems["value_too_deep"] = [("value", f"nested more than {MAX_DEPTH} deep, at most {MAX_DEPTH}")]
        return "", None
    try:
        parsed = json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except ValueError as error:  # JSONDecodeError, NaN, repeated keys
        problems["value_not_json"] = [("value", f"not JSON: {error}")]
        return "", None
    controls = control_characters(parsed)
    if controls:
        problems["value_control_character"] = [
            (where, "holds a control character or an unpaired surrogate") for where in controls[:MAX_ERRORS]
        ]
    return text, parsed


FORMS = {
    "date": (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "YYYY-MM-DD"),
    "date-time": (_TIME, "an RFC 3339 date-time with an offset, e.g. 2025-05-28T09:15:00Z"),
    "uuid": (
        re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
        "a UUID in the 8-4-4-4-12 form",
    ),
}


@functools.cache
def published_schema(model: type[BaseMessage]) -> dict[str, Any]:
    """The JSON Schema partners validate against (docs/contracts/schemas/<ce_type>.json is generated from it)."""
    return model.model_json_schema()


def form_problems(schema: Mapping[str, Any], value: Any) -> list[tuple[str, str]]:
    """Where `value`, already valid for pydantic, breaks its JSON Schema's `format` (date, date-time, uuid) or
    `uniqueItems`: the keywords pydantic reads more loosely."""
    definitions = schema.get("$defs", {})
    found: list[tuple[str, str]] = []
    stack: list[tuple[str, Mapping[str, Any], Any]] = [("", schema, value)]
    while stack:
        where, node, item = stack.pop()
        if "$ref" in node:
            node = definitions[node["$ref"].rsplit("/", 1)[-1]]
        options = [o for o in node.get("anyOf", []) if o.get("type") != "null"]
        if len(options) == 1 and item is not None:  # an optional field: `X | None`
            stack.append((where, options[0], item))
        form = FORMS.get(node.get("format", ""))
        if form is not None and isinstance(item, str) and not form[0].match(item):
            found.append((where or "(root)", f"must be written as {form[1]}"))
        if isinstance(item, list):
            if node.get("uniqueItems") and len({json.dumps(i, sort_keys=True) for i in item}) != len(item):
                found.append((where or "(root)", "items must be unique"))
            if isinstance(node.get("items"), Mapping):
                stack.extend((f"{where}.{i}" if where else str(i), node["items"], v) for i, v in enumerate(item))
        if isinstance(item, dict):
            properties = node.get("properties", {})
            stack.extend((f"{where}.{k}" if where else k, properties[k], v) for k, v in item.items() if k in properties)
    return sorted(found)


def nesting_depth(text: str, limit: int | None = None) -> int:
    """How deep arrays and objects nest in JSON text, counted without parsing (brackets inside strings skipped), in
    one pass over the special characters; it stops as soon as the depth passes `limit`."""
    depth = deepest = 0
    in_string = False
    skip_to = -1
    for token in _SPECIAL.finditer(text):
        at = token.start()
        if at < skip_to:  # the character after a backslash in a string
            continue
        char = token.group()
        if in_string:
            if char == "\\":
                skip_to = at + 2
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if limit is not None and deepest > limit:
                    break
        elif char in "]}":
            depth -= 1
    return deepest


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        repeated = sorted(key for key, count in Counter(key for key, _ in pairs).items() if count > 1)
        raise ValueError(f"repeated key {printable(repeated[0])!r}")
    return result


def control_characters(value: Any) -> list[str]:
    """Locations (dotted, as pydantic writes them) of strings, keys included, holding a control character."""
    found: list[str] = []
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if CONTROL.search(item):
                found.append(where or "(root)")
        elif isinstance(item, dict):
            for key, child in item.items():
                path = f"{where}.{printable(key)}" if where else printable(key)
                if CONTROL.search(key):
                    found.append(path)
                stack.append((path, child))
        elif isinstance(item, list):
            stack.extend((f"{where}.{i}" if where else str(i), child) for i, child in enumerate(item))
    return sorted(found)


def _check_key(record: Record, subject: str, message: BaseMessage, problems: Problems) -> None:
    expected = message.kafka_key()
    if not record.key:
        problems["key_mismatch"] = [("key", f"the Kafka key is missing; it must be {expected}")]
        return
    key = record.key.decode("utf-8", "replace")
    if key != expected:
        problems.setdefault("key_mismatch", []).append(("key", f"{printable(key)!r} differs from {expected!r}"))
    if subject != expected:
        problems.setdefault("key_mismatch", []).append(
            ("headers.ce_subject", f"{printable(subject)!r} differs from {expected!r}")
        )


def printable(text: str, limit: int | None = None) -> str:
    """`text` with control characters and surrogates written as escapes, cut to `limit` characters."""
    escaped = CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text
    )
    return escaped if limit is None or len(escaped) <= limit else escaped[:limit] + "…"


def header_text(value: bytes | None, limit: int | None = None) -> str:
    """A header value (or key) as readable text: undecodable bytes and control characters escaped."""
    return printable((value or b"").decode("utf-8", "backslashreplace"), limit)


def valid_id(record: Record) -> str | None:
    """The record's `ce_id` when it is given once and well formed (then it identifies the message), else None."""
    given = [value for name, value in record.headers or () if name == "ce_id"]
    if len(given) != 1 or not given[0] or len(given[0]) > MAX_ID_CHARS:
        return None
    text = given[0].decode("ascii", "replace")
    return text if _ID.match(text) else None


def position_id(record: Record) -> str:
    """An id for a record whose own is unusable: where it sits on Kafka."""
    return f"kafka:{record.topic}:{record.partition}:{record.offset}"


def header_hint(record: Record, name: str, limit: int = MAX_ID_CHARS) -> str | None:
    """A header's (last) value as safe, readable text for logs and rejections; None when absent or empty."""
    values = [value for key, value in record.headers or () if key == name and value]
    return header_text(values[-1], limit) if values else None


def original_of(record: Record) -> OriginalMessage:
    """The refused record as a rejection carries it: bounded in size, whatever the record held."""
    value = record.value or b""
    kept = value[:KEPT_VALUE_BYTES]
    raw_headers = list(record.headers or ())
    headers: dict[str, str] = {}
    headers_truncated = len(raw_headers) > MAX_HEADERS
    for name, data in raw_headers[:MAX_HEADERS]:
        text = header_text(data)
        kept_name = printable(name, KEPT_HEADER_NAME_CHARS)
        if len(text) > KEPT_HEADER_CHARS or kept_name in headers:
            headers_truncated = True  # shortened, or one of two names alike in their kept part is left out
        headers[kept_name] = text if len(text) <= KEPT_HEADER_CHARS else text[:KEPT_HEADER_CHARS] + "…"
    return OriginalMessage(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=None if record.key is None else header_text(record.key, KEPT_HEADER_CHARS),
        headers=headers,
        value_base64=base64.b64encode(kept).decode(),
        value_size=len(value),
        value_sha256=hashlib.sha256(value).hexdigest(),
        value_truncated=len(kept) < len(value),
        headers_truncated=headers_truncated,
    )

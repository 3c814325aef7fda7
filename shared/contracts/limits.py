"""What every stage accepts at its door: size and depth limits, header formats, and the reason each defect gets."""

from __future__ import annotations

from dataclasses import dataclass

from shared.contracts.rejections import RejectionReason

MAX_VALUE_BYTES = 64 * 1024
"""Largest Kafka value (the JSON payload) a stage accepts; commands are a few hundred bytes."""
MAX_DEPTH = 16
"""Deepest nesting of JSON arrays and objects a stage accepts; no message needs more than 4."""
MAX_HEADERS = 32
"""Most Kafka headers one record may carry."""
MAX_HEADER_VALUE_BYTES = 1024
"""Longest value of any one header, in bytes."""
MAX_ID_CHARS = 200
"""Longest `ce_id`, `ce_causationid` or `ce_subject`."""
MAX_KEY_BYTES = 200
"""Longest Kafka key."""

KEPT_VALUE_BYTES = 16 * 1024
"""A rejection keeps at most this many bytes of the refused value (with its size and SHA-256 when it keeps less)."""
KEPT_HEADER_CHARS = 256
"""A rejection keeps at most this many characters of each refused header value."""

CE_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$"
"""RFC 3339 `date-time` with a mandatory offset, e.g. `2025-05-28T09:15:00Z`."""
CE_ID_PATTERN = r"^[\x21-\x7e]{1,200}$"
"""`ce_id` and `ce_causationid`: 1-200 printable ASCII characters, no spaces (a UUID fits)."""
CE_SOURCE_PATTERN = r"^/[\x21-\x7e]{1,255}$"
"""`ce_source`: an absolute path such as `/partners/counselling-example`, printable ASCII, no spaces."""
CE_TYPE_PATTERN = r"^journey\.[a-z]+\.[A-Za-z0-9]+\.v[0-9]+$"
"""`ce_type`: `journey.<stage>.<Name>.v<version>`."""


@dataclass(frozen=True, slots=True)
class Defect:
    """One kind of defect a record can have, and the reason its rejection carries."""

    code: str
    what: str
    reason: RejectionReason


R = RejectionReason

DEFECTS: tuple[Defect, ...] = (
    Defect("too_many_headers", f"More than {MAX_HEADERS} Kafka headers.", R.LIMIT_EXCEEDED),
    Defect("header_too_long", f"A header value longer than {MAX_HEADER_VALUE_BYTES} bytes.", R.LIMIT_EXCEEDED),
    Defect(
        "header_missing",
        "A required header (`ce_specversion`, `ce_id`, `ce_source`, `ce_type`, `ce_time`, `ce_subject`,"
        " `content-type`) is absent or empty.",
        R.MISSING_ENVELOPE,
    ),
    Defect("header_duplicated", "A `ce_*` or `content-type` header is given more than once.", R.INVALID_ENVELOPE),
    Defect(
        "header_not_text",
        "A header name, or the value of a `ce_*` or `content-type` header, is not UTF-8 or holds a control"
        " character (U+0000-U+001F, U+007F-U+009F).",
        R.INVALID_ENVELOPE,
    ),
    Defect(
        "header_format",
        "A header value has the wrong form: `ce_specversion` not `1.0`; `content-type` not `application/json`"
        " (a `charset=utf-8` parameter is allowed); `ce_id`/`ce_causationid` not 1-200 printable ASCII"
        " characters without spaces; `ce_source` not an absolute path such as `/partners/<org>`; `ce_time` not"
        " an RFC 3339 date-time with an offset (`2025-05-28T09:15:00Z`); `ce_subject` longer than 200"
        " characters.",
        R.INVALID_ENVELOPE,
    ),
    Defect("unknown_type", "`ce_type` names no message this topic accepts.", R.UNKNOWN_TYPE),
    Defect("value_too_large", f"The value is larger than {MAX_VALUE_BYTES // 1024} KiB.", R.LIMIT_EXCEEDED),
    Defect("value_too_deep", f"The JSON nests arrays and objects deeper than {MAX_DEPTH} levels.", R.LIMIT_EXCEEDED),
    Defect(
        "value_not_json",
        "The value is empty, not UTF-8 (UTF-16 and UTF-32 included), starts with a byte-order mark, is not JSON,"
        " holds `NaN`/`Infinity`, or repeats a key in one object.",
        R.UNDECODABLE,
    ),
    Defect(
        "value_control_character",
        "A JSON string (key or value) holds a control character (U+0000-U+001F, U+007F-U+009F) or an unpaired"
        " surrogate escape (`\\ud800`); `errors` names the field.",
        R.INVALID_PAYLOAD,
    ),
    Defect(
        "value_schema",
        'The JSON does not match the message\'s schema, checked strictly: no coercion (a number is no date, `"true"`'
        " and `0` are no booleans, a number is no string), no unknown fields, dates exactly `YYYY-MM-DD`, UUIDs"
        " exactly in the 8-4-4-4-12 form, no repeated item in a set (`uniqueItems`); `errors` names each field.",
        R.INVALID_PAYLOAD,
    ),
    Defect(
        "key_mismatch",
        "The Kafka key is missing, or it or `ce_subject` differs from the payload's `participant_id`"
        " (`recipient_id` in the directory).",
        R.SUBJECT_MISMATCH,
    ),
)

BY_CODE: dict[str, Defect] = {d.code: d for d in DEFECTS}


def reason_for(code: str) -> RejectionReason:
    """The reason a record with this defect is rejected with."""
    return BY_CODE[code].reason

"""Templates that break the value's bytes: random bytes, not JSON, encodings, constants, repeated keys, size, depth."""

from __future__ import annotations

import json
import random

from tools.fuzz.fields import get, put, string_field
from tools.fuzz.model import Draft, Mutate, Template

MARK = "\u2063fuzz\u2063"  # a placeholder no payload holds; replaced in the JSON text
MAX_VALUE_BYTES = 64 * 1024  # docs/partners.md, "Limits, in numbers"


def _random_bytes(draft: Draft, rng: random.Random) -> None:
    data = bytearray(0x78 if b in b"[]{}" else b for b in rng.randbytes(rng.randint(1, 300)))
    data[rng.randrange(len(data))] = 0xFF  # never UTF-8, whatever else the bytes are
    draft.set_value(bytes(data))


def _text(make: str) -> Mutate:
    def mutate(draft: Draft, rng: random.Random) -> None:
        text = draft.text()
        values = {
            "truncated": text[:-1],
            "trailing": text + " x",
            "single_quotes": text.replace('"', "'"),
            "comment": "// a command\n" + text,
            "trailing_comma": text[:-1] + ", }",
            "raw_control": text.replace('": "', '": "\x01', 1),
            "prefix": "command = " + text,
        }
        draft.set_value(values[make].encode() if make in values else make.encode())

    return mutate


def _tombstone(draft: Draft, rng: random.Random) -> None:
    draft.set_value(None)


def _encoded(encoding: str, bom: bytes = b"") -> Mutate:
    def mutate(draft: Draft, rng: random.Random) -> None:
        draft.set_value(bom + draft.text().encode(encoding))

    return mutate


def _in_string(raw: bytes) -> Mutate:
    """Raw bytes inside a JSON string of the payload (the value is no longer UTF-8)."""

    def mutate(draft: Draft, rng: random.Random) -> None:
        where = string_field(draft.model, draft.payload) or (draft.key_field,)
        put(draft.payload, where, MARK)
        text = draft.text().encode()
        draft.set_value(text.replace(json.dumps(MARK).encode(), b'"Zo' + raw + b'"'))

    return mutate


def _field(draft: Draft) -> str:
    """A top-level field that is not the key (a new one when there is none): where nesting and constants go."""
    return next((k for k in draft.payload if k != draft.key_field), "note")


def _raw_at_field(raw: str) -> Mutate:
    def mutate(draft: Draft, rng: random.Random) -> None:
        draft.payload[_field(draft)] = MARK
        draft.set_value(draft.text().replace(json.dumps(MARK), raw).encode())

    return mutate


def _repeated(which: str) -> Mutate:
    def mutate(draft: Draft, rng: random.Random) -> None:
        # A message with nothing but its key repeats the key: a field only added once would not be repeated.
        others = [k for k in draft.payload if k != draft.key_field]
        name = draft.key_field if which == "key" or not others else others[0]
        value = draft.payload.get(name, "x") if which != "other" else "another value"
        draft.set_value(("{" + f"{json.dumps(name)}: {json.dumps(value)}, " + draft.text()[1:]).encode())

    return mutate


def _control(char: str) -> Mutate:
    def mutate(draft: Draft, rng: random.Random) -> None:
        where = string_field(draft.model, draft.payload) or (draft.key_field,)
        value = str(get(draft.payload, where))
        put(draft.payload, where, value[:2] + char + value[2:])

    return mutate


def _control_in_name(draft: Draft, rng: random.Random) -> None:
    draft.payload["comment\u0000"] = "x"


def _padded(total: int) -> Mutate:
    """A string field padded so that the whole value is `total` bytes."""

    def mutate(draft: Draft, rng: random.Random) -> None:
        where = string_field(draft.model, draft.payload) or ("note",)
        put(draft.payload, where, MARK)
        text = draft.text()
        pad = total - (len(text.encode()) - len(json.dumps(MARK)) + 2)
        draft.set_value(text.replace(json.dumps(MARK), json.dumps("A" * pad)).encode())

    return mutate


def _nested(depth: int, kind: str = "array") -> Mutate:
    """Arrays (or objects) nested so that the whole value is `depth` levels deep."""

    def mutate(draft: Draft, rng: random.Random) -> None:
        inner = depth - 1  # the payload object is the first level
        nest = "[" * inner + "]" * inner if kind == "array" else '{"a": ' * (inner - 1) + "{}" + "}" * (inner - 1)
        _raw_at_field(nest)(draft, rng)

    return mutate


def value_templates() -> list[Template]:
    t = Template
    out = [
        t("random_bytes", "value_not_json", "random bytes", _random_bytes),
        t("non_json", "value_not_json", "an empty value", _text("")),
        t("non_json", "value_not_json", "no value (tombstone)", _tombstone, hazardous=True),
        t("non_json", "value_not_json", "only white space", _text("  \n ")),
        t("non_json", "value_not_json", "plain text", _text("hello partner")),
        t("non_json", "value_not_json", "XML", _text("<command/>")),
        t("non_json", "value_not_json", "an unclosed object", _text("{")),
        t("non_json", "value_not_json", "a cut-off payload", _text("truncated")),
        t("non_json", "value_not_json", "text after the payload", _text("trailing")),
        t("non_json", "value_not_json", "single quotes", _text("single_quotes")),
        t("non_json", "value_not_json", "a comment", _text("comment")),
        t("non_json", "value_not_json", "a trailing comma", _text("trailing_comma")),
        t("non_json", "value_not_json", "a raw U+0001 in a string", _text("raw_control")),
        t("non_json", "value_not_json", "an assignment", _text("prefix")),
        t("encodings", "value_not_json", "UTF-8 with a BOM", _encoded("utf-8", b"\xef\xbb\xbf")),
        t("encodings", "value_not_json", "UTF-16 with a BOM", _encoded("utf-16")),
        t("encodings", "value_not_json", "UTF-16-BE", _encoded("utf-16-be")),
        t("encodings", "value_not_json", "UTF-16-LE", _encoded("utf-16-le")),
        t("encodings", "value_not_json", "UTF-32 with a BOM", _encoded("utf-32")),
        t("encodings", "value_not_json", "UTF-32-BE", _encoded("utf-32-be")),
        t("encodings", "value_not_json", "Latin-1 in a string", _in_string(b"\xeb")),
        t("encodings", "value_not_json", "a raw surrogate in a string", _in_string(b"\xed\xa0\x80")),
        t("encodings", "value_not_json", "an overlong '/' in a string", _in_string(b"\xc0\xaf")),
        t("json_constants", "value_not_json", "NaN", _raw_at_field("NaN")),
        t("json_constants", "value_not_json", "Infinity", _raw_at_field("Infinity")),
        t("json_constants", "value_not_json", "-Infinity", _raw_at_field("-Infinity")),
        t("repeated_keys", "value_not_json", "the id field twice", _repeated("key")),
        t("repeated_keys", "value_not_json", "a field twice, same value", _repeated("same")),
        t("repeated_keys", "value_not_json", "a field twice, two values", _repeated("other")),
        t("size", "value_too_large", "a 65,537-byte value", _padded(MAX_VALUE_BYTES + 1)),
        t("size", "value_too_large", "a 1 MB string", _padded(1_000_000), hazardous=True, heavy=True),
        t("nesting", "value_too_deep", "arrays 17 deep", _nested(17), hazardous=True),
        t("nesting", "value_too_deep", "objects 17 deep", _nested(17, "object"), hazardous=True),
        t("nesting", "value_too_deep", "arrays 1,000 deep", _nested(1_000), hazardous=True),
        t("nesting", "value_too_deep", "objects 5,000 deep", _nested(5_000, "object"), hazardous=True),
        t("nesting", "value_too_deep", "arrays 32,000 deep (within 64 KiB)", _nested(32_000), hazardous=True),
        # 100,000 levels cannot fit in 64 KiB: the size is its first defect (the same reason, limit_exceeded).
        t("nesting", "value_too_large", "arrays 100,000 deep (200 KB)", _nested(100_000), hazardous=True),
    ]
    for char, what in (
        ("\u0000", "U+0000"),
        ("\u0001", "U+0001"),
        ("\u001b", "U+001B"),
        ("\u007f", "U+007F"),
        ("\u0085", "U+0085"),
        ("\u009f", "U+009F"),
        ("\ud800", "an unpaired \\ud800"),
        ("\udfff", "an unpaired \\udfff"),
    ):
        out.append(t("control_chars", "value_control_character", f"{what} in a text field", _control(char)))
    out.append(t("control_chars", "value_control_character", "U+0000 in a field name", _control_in_name))
    return out

"""Templates that break the envelope (the `ce_*` and `content-type` headers) or the Kafka key of a valid command."""

from __future__ import annotations

import random

from shared.contracts.catalogue import commands_of, events_of
from shared.contracts.topics import Stage
from tools.fuzz.model import Draft, Mutate, Template

# The headers the partner guide requires ("Headers"), and the optional one the stages check too.
REQUIRED = ("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject", "content-type")
NOT_UTF8 = (b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xc0\xaf", b"\xe2\x82")
CONTROLS = ((b"\x1b", "ESC"), (b"\x7f", "DEL"), (b"\n", "a line feed"), (b"\t", "a tab"), (b"\xc2\x85", "U+0085"))
FORMATS: dict[str, tuple[str, ...]] = {
    "ce_specversion": ("0.3", "1", "2.0", "1.0 ", " 1.0", "v1.0"),
    "content-type": (
        "text/plain",
        "application/xml",
        "application/cloudevents+json",
        "application/json; charset=latin-1",
        "application/json;charset=utf-16",
        "json",
    ),
    "ce_id": ("has space", "non-ascii-\u00fc", "i" * 201),
    "ce_source": ("partners/fuzz", "/", "/with space", "https://example.org/partners/fuzz", "/\u00fcml"),
    "ce_time": (
        "2025-13-01T00:00:00Z",
        "2025-05-28T09:15:00",
        "2025-05-28",
        "yesterday",
        "2025-02-30T09:15:00Z",
        "2025-05-28T25:00:00Z",
        "1748423700",
        "2025-05-28T09:15:00+0000",
        "28/05/2025 09:15",
        "2025-05-28T09:15:00.1234567890Z",
    ),
    "ce_subject": ("s" * 201,),
    "ce_causationid": ("has space", "i" * 201),
}
CAUSATION = b"3f1e5a9c-6b2d-5c8e-9f0a-1b2c3d4e5f60"


def _set(name: str, value: bytes | None, add: bool = False) -> Mutate:
    def mutate(draft: Draft, rng: random.Random) -> None:
        if add:
            draft.headers.append((name, value))
        else:
            draft.set_header(name, value)

    return mutate


def _changed(name: str, suffix: bytes, add: bool = False) -> Mutate:
    def mutate(draft: Draft, rng: random.Random) -> None:
        if add:
            draft.headers.append((name, CAUSATION[:8] + suffix + CAUSATION[8:]))
            return
        value = draft.header(name) or b""
        draft.set_header(name, value[: len(value) // 2] + suffix + value[len(value) // 2 :])

    return mutate


def _drop(name: str, rename: str | None = None) -> Mutate:
    def mutate(draft: Draft, rng: random.Random) -> None:
        if rename:
            draft.headers = [(rename if n == name else n, v) for n, v in draft.headers]
        else:
            draft.drop_header(name)

    return mutate


def _twice(name: str, other: bytes | None = None) -> Mutate:
    def mutate(draft: Draft, rng: random.Random) -> None:
        value = draft.header(name) if name in dict(draft.headers) else CAUSATION
        if name not in dict(draft.headers):
            draft.headers.append((name, value))
        draft.headers.append((name, other or value))

    return mutate


def _extra(count: int, size: int, name: str = "x-fuzz") -> Mutate:
    def mutate(draft: Draft, rng: random.Random) -> None:
        draft.headers += [(f"{name}-{i}", b"v" * size) for i in range(count)]

    return mutate


def envelope_templates() -> list[Template]:
    out: list[Template] = []
    for name in (*REQUIRED, "ce_causationid"):
        optional = name == "ce_causationid"
        if not optional:
            out.append(Template("missing_headers", "header_missing", f"{name} absent", _drop(name)))
            out.append(Template("missing_headers", "header_missing", f"{name} empty", _set(name, b"")))
            out.append(Template("missing_headers", "header_missing", f"{name} null", _set(name, None), hazardous=True))
            renamed = name.upper() if name.startswith("ce_") else "Content-Type"
            out.append(Template("missing_headers", "header_missing", f"{name} as {renamed}", _drop(name, renamed)))
        out.append(Template("duplicated_headers", "header_duplicated", f"{name} twice", _twice(name)))
        for where, suffix in (("NUL", b"\x00"), *((f"invalid UTF-8 {b!r}", b) for b in NOT_UTF8)):
            label = f"{where} in {name}"
            out.append(Template("header_nul_utf8", "header_not_text", label, _changed(name, suffix, optional), True))
        for suffix, what in CONTROLS:
            out.append(
                Template("header_controls", "header_not_text", f"{what} in {name}", _changed(name, suffix, optional))
            )
        for value in FORMATS.get(name, ()):
            label = f"{name}={value[:40]!r}{'...' if len(value) > 40 else ''}"
            out.append(Template("header_formats", "header_format", label, _set(name, value.encode(), optional)))
    out.append(
        Template("duplicated_headers", "header_duplicated", "ce_id twice, two ids", _twice("ce_id", b"fuzz-2nd"))
    )
    time2 = b"2025-05-29T10:00:00Z"
    out.append(
        Template("duplicated_headers", "header_duplicated", "ce_time twice, two times", _twice("ce_time", time2))
    )
    out.append(Template("header_limits", "too_many_headers", "33 headers", _extra(33 - len(REQUIRED), 1)))
    out.append(Template("header_limits", "too_many_headers", "200 headers", _extra(200, 4)))
    out.append(Template("header_limits", "header_too_long", "a 1025-byte extra header", _extra(1, 1025)))
    out.append(Template("header_limits", "header_too_long", "a 100 KB extra header", _extra(1, 100_000)))
    out.append(Template("header_limits", "header_too_long", "a 2000-byte ce_source", _set("ce_source", b"/" * 2000)))
    return out


def _type(value: str | None, stage_relative: str | None = None) -> Mutate:
    def mutate(draft: Draft, rng: random.Random) -> None:
        ce_type = (draft.header("ce_type") or b"").decode()
        stage = Stage(ce_type.split(".")[1])
        if stage_relative == "version":
            chosen = ce_type.rsplit(".v", 1)[0] + ".v2"
        elif stage_relative == "other_stage":
            others = [s for s in Stage if s is not stage]
            chosen = commands_of(others[rng.randrange(len(others))])[0].ce_type()
        elif stage_relative == "event":
            chosen = events_of(stage)[0].ce_type()
        else:
            chosen = (value or "").replace("<stage>", stage.value).replace("<STAGE>", stage.value.upper())
        draft.set_header("ce_type", chosen.encode())

    return mutate


def type_templates() -> list[Template]:
    cases: list[tuple[str, Mutate]] = [
        ("a command this stage does not have", _type("journey.<stage>.NoSuchCommand.v1")),
        ("version 2 of the command", _type(None, "version")),
        ("a command of another stage", _type(None, "other_stage")),
        ("an event of this stage", _type(None, "event")),
        ("the rejection type", _type("journey.<stage>.MessageRejected.v1")),
        ("a bare name", _type("RegisterCandidate")),
        ("an upper-case stage", _type("journey.<STAGE>.RegisterCandidate.v1")),
    ]
    return [Template("unknown_types", "unknown_type", label, mutate) for label, mutate in cases]

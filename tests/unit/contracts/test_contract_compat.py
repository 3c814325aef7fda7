"""The compatibility guard: released schemas may only change compatibly, unless the version is bumped."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tools.contracts import artefacts
from tools.contracts.compat import breaking_changes, compare

Schema = dict[str, object]

RELEASED: Schema = {
    "$defs": {"Outcome": {"enum": ["full", "partial", "rejected"], "type": "string"}},
    "type": "object",
    "properties": {
        "participant_id": {"type": "string", "format": "uuid"},
        "outcome": {"$ref": "#/$defs/Outcome"},
        "measures": {"type": "array", "items": {"$ref": "#/$defs/Outcome"}},
        "attempt": {"type": "integer", "minimum": 1},
        "valid_until": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
        "authority": {"type": "string", "maxLength": 64},
        "score": {"type": "number"},
    },
    "required": ["participant_id", "outcome"],
}


def changed(edit: str, value: object, base: Schema = RELEASED) -> Schema:
    """`base` with the value at the dotted path `edit` replaced (None deletes it)."""
    schema = copy.deepcopy(base)
    *parents, last = edit.split(".")
    node: dict[str, object] = schema
    for part in parents:
        child = node[part]
        assert isinstance(child, dict)
        node = child
    if value is None:
        del node[last]
    else:
        node[last] = value
    return schema


BREAKING = {
    "field removed": (changed("properties.authority", None), "authority", "field removed"),
    "field renamed": (
        changed("properties.attempt_number", {"type": "integer"}, changed("properties.attempt", None)),
        "attempt",
        "field removed",
    ),
    "new required field": (
        {**changed("properties.region", {"type": "string"}), "required": ["participant_id", "outcome", "region"]},
        "region",
        "new required field",
    ),
    "optional field became required": (
        changed("required", ["participant_id", "outcome", "attempt"]),
        "attempt",
        "field became required",
    ),
    "enum value removed": (
        changed("$defs.Outcome.enum", ["full", "rejected"]),
        "outcome",
        "enum value removed: partial",
    ),
    "enum value removed inside an array": (
        changed("$defs.Outcome.enum", ["full", "partial"]),
        "measures[]",
        "enum value removed: rejected",
    ),
    "type narrowed to another type": (
        changed("properties.attempt", {"type": "string"}),
        "attempt",
        "integer no longer accepted",
    ),
    "null no longer accepted": (
        changed("properties.valid_until", {"type": "string", "format": "date"}),
        "valid_until",
        "null no longer accepted",
    ),
    "minimum raised": (
        changed("properties.attempt", {"type": "integer", "minimum": 2}),
        "attempt",
        "minimum 2",
    ),
    "number narrowed to integer": (
        changed("properties.score", {"type": "integer"}),
        "score",
        "number no longer accepted",
    ),
    "pattern added": (
        changed("properties.authority", {"type": "string", "maxLength": 64, "pattern": "^[a-z]+$"}),
        "authority",
        "pattern",
    ),
    "bound tightened": (
        changed("properties.authority", {"type": "string", "maxLength": 32}),
        "authority",
        "maxLength 32",
    ),
    "free value restricted to an enum": (
        changed("properties.authority", {"type": "string", "enum": ["a", "b"]}),
        "authority",
        "fixed values",
    ),
    "additionalProperties closed": (
        {**RELEASED, "additionalProperties": False},
        "",
        "additionalProperties closed",
    ),
}

COMPATIBLE = {
    "new optional field": changed("properties.region", {"type": "string"}),
    "enum value added": changed("$defs.Outcome.enum", ["full", "partial", "rejected", "withdrawn"]),
    "type widened to nullable": changed(
        "properties.authority", {"anyOf": [{"type": "string", "maxLength": 64}, {"type": "null"}]}
    ),
    "integer widened to number": changed("properties.attempt", {"type": "number", "minimum": 1}),
    "bound loosened": changed("properties.authority", {"type": "string", "maxLength": 128}),
    "required field made optional": changed("required", ["participant_id"]),
    "descriptions and examples changed": changed(
        "properties.attempt",
        {
            "type": "integer",
            "minimum": 1,
            "description": "Attempt.",
            "examples": [2],
        },
    ),
    "unchanged": copy.deepcopy(RELEASED),
}


@pytest.mark.parametrize("case", list(BREAKING))
def test_breaking_change_is_caught(case: str) -> None:
    new, path, problem = BREAKING[case]
    problems = compare(RELEASED, new)
    assert any(p == path and problem in text for p, text in problems), problems


@pytest.mark.parametrize("case", list(COMPATIBLE))
def test_compatible_change_passes(case: str) -> None:
    assert compare(RELEASED, COMPATIBLE[case]) == []


def test_a_released_type_must_stay_served_and_a_new_version_is_a_new_type() -> None:
    released = {"journey.x.Thing.v1": RELEASED}
    assert [str(b) for b in breaking_changes(released, {"journey.x.Thing.v2": RELEASED})] == [
        "journey.x.Thing.v1: (message): no longer served (a released type stays until it is retired)"
    ]
    breaking_v2 = changed("properties.authority", None)
    assert breaking_changes(released, {"journey.x.Thing.v1": RELEASED, "journey.x.Thing.v2": breaking_v2}) == []


def test_current_schemas_do_not_break_the_released_ones() -> None:
    problems = artefacts.compatibility()
    assert problems == [], "\n".join(map(str, problems))


def test_every_current_type_is_released() -> None:
    missing = set(artefacts.current_schemas()) - set(artefacts.released_schemas())
    assert missing == set(), "run `python -m tools.contracts release`"


def test_release_is_refused_while_a_change_is_breaking(tmp_path: Path) -> None:
    released = tmp_path / artefacts.RELEASED
    released.mkdir(parents=True)
    decision = artefacts.current_schemas()["journey.recognition.RecordDecision.v1"]
    properties = decision["properties"]
    assert isinstance(properties, dict)
    widened = {**decision, "properties": {**properties, "reasons_summary": {"type": "string"}}}
    (released / "journey.recognition.RecordDecision.v1.json").write_text(json.dumps(widened))

    blocking = artefacts.release(tmp_path)

    assert [str(b) for b in blocking] == [
        "journey.recognition.RecordDecision.v1: reasons_summary: field removed (or renamed)"
    ]
    assert len(list(released.glob("*.json"))) == 1


def test_release_snapshots_every_current_schema(tmp_path: Path) -> None:
    assert artefacts.release(tmp_path) == []
    assert {p.stem for p in (tmp_path / artefacts.RELEASED).glob("*.json")} == set(artefacts.current_schemas())

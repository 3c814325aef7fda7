"""Templates that break the payload of one command type: shapes, types, coercions, constraints, fields."""

from __future__ import annotations

import random
import re
from typing import Any

from shared.contracts.envelope import BaseMessage
from shared.contracts.examples import example_json
from tools.fuzz.fields import FieldInfo, Path, drop, fields_of, get, put
from tools.fuzz.model import Draft, Mutate, Template

SHAPES: tuple[tuple[str, Any], ...] = (
    ("an empty object", {}),
    ("an empty array", []),
    ("a string", "RegisterCandidate"),
    ("a number", 42),
    ("null", None),
    ("true", True),
)
COERCIBLE: dict[str, tuple[tuple[str, Any], ...]] = {
    "date": (("number 0", 0), ("number 1748390400", 1748390400), ("number 20250528", 20250528)),
    "bool": (('"true"', "true"), ('"false"', "false"), ("0", 0), ("1", 1), ('"1"', "1")),
    "text": (("a number", 12345), ("true", True)),
    "enum": (("a number", 0),),
    "uuid": (("a number", 12345),),
}
WRONG_DATES = ("2025-02-30", "2025-5-28", "28.05.2025", "2025-05-28T09:15:00Z")


def _put(path: Path, value: Any) -> Mutate:
    def mutate(draft: Draft, rng: random.Random) -> None:
        put(draft.payload, path, value)

    return mutate


def _first_item(path: Path, how: str) -> Mutate:
    """The set field's own first item (the run's region, say), alone as a string or given twice."""

    def mutate(draft: Draft, rng: random.Random) -> None:
        items = get(draft.payload, path) or ["x"]
        put(draft.payload, path, items[0] if how == "alone" else [items[0], items[0]])

    return mutate


def _wrap(path: Path, how: str) -> Mutate:
    def mutate(draft: Draft, rng: random.Random) -> None:
        current = get(draft.payload, path)
        put(draft.payload, path, [current] if how == "array" else {"value": current})

    return mutate


def _drop(path: Path) -> Mutate:
    def mutate(draft: Draft, rng: random.Random) -> None:
        drop(draft.payload, path)

    return mutate


def _whole(value: Any) -> Mutate:
    def mutate(draft: Draft, rng: random.Random) -> None:
        draft.payload = value

    return mutate


def _wrapped_payload(draft: Draft, rng: random.Random) -> None:
    draft.payload = [draft.payload]


def _variants(f: FieldInfo, example: Any) -> list[tuple[str, str, Any]]:
    """(category, what, replacement) for one field; a replacement that is a `Mutate` is applied as it is."""
    found: list[tuple[str, str, Any]] = []
    if not f.nullable:
        found.append(("wrong_types", "null", None))
    found += [("coercible", what, value) for what, value in COERCIBLE.get(f.kind, ())]
    node = f.node
    if f.kind == "date":
        found.append(("coercible", "a numeric string (Unix time)", "1748390400"))
        found += [("schema_constraints", repr(d), d) for d in WRONG_DATES]
    elif f.kind == "uuid":
        found += [("schema_constraints", "not a UUID", "not-a-uuid"), ("schema_constraints", "a cut UUID", "5b0f2a8e")]
    elif f.kind == "enum":
        found.append(("schema_constraints", "an unknown value", "no_such_value"))
        upper = str(node["enum"][0]).upper()
        if upper != node["enum"][0]:
            found.append(("schema_constraints", "upper case", upper))
    elif f.kind == "text":
        base = example if isinstance(example, str) else "x"
        if "pattern" in node:
            # The first of these the pattern does not allow (a name's pattern allows a space, but not an `@`).
            breaks = [
                ("a space (pattern)", f"{base} x"),
                ("an @ (pattern)", f"{base}@x"),
                ("a tab (pattern)", f"{base}\tx"),
            ]
            wrong = next(((label, v) for label, v in breaks if re.search(node["pattern"], v) is None), None)
            if wrong is not None:
                found.append(("schema_constraints", *wrong))
        if "maxLength" in node:
            found.append(("schema_constraints", "too long", "a" * (int(node["maxLength"]) + 1)))
        if node.get("minLength", 0) >= 1:
            found.append(("schema_constraints", "empty", ""))
    elif f.kind == "int":
        sample = example if isinstance(example, int) else 1
        found += [("coercible", "a string", str(sample)), ("coercible", "a fraction", sample + 0.5)]
        found.append(("coercible", "true", True))
        if "enum" in node:
            found.append(("schema_constraints", "not one of the values", max(node["enum"]) + 1))
        if "minimum" in node:
            found.append(("schema_constraints", "below the minimum", node["minimum"] - 1))
        if "maximum" in node:
            found.append(("schema_constraints", "above the maximum", node["maximum"] + 1))
    elif f.kind == "set":
        items = node.get("items", {})
        found.append(("coercible", "a single string", _first_item(f.path, "alone")))
        if node.get("uniqueItems"):
            found.append(("schema_constraints", "a repeated item", _first_item(f.path, "twice")))
        if "enum" in items:
            found.append(("schema_constraints", "an unknown item", ["no_such_value"]))
        if node.get("minItems", 0) >= 1:
            found.append(("schema_constraints", "empty", []))
    return found


def field_templates(f: FieldInfo, ce_type: str, example: Any) -> list[Template]:
    out: list[Template] = []
    if f.required:
        out.append(Template("missing_fields", "value_schema", f"{f.name} left out", _drop(f.path), ce_type=ce_type))
    for how in ("array", "object") if f.kind != "set" else ("object",):
        out.append(
            Template("wrong_types", "value_schema", f"{f.name} in an {how}", _wrap(f.path, how), ce_type=ce_type)
        )
    for category, what, value in _variants(f, example):
        mutate = value if callable(value) else _put(f.path, value)
        out.append(Template(category, "value_schema", f"{f.name}: {what}", mutate, ce_type=ce_type))
    return out


def command_templates(model: type[BaseMessage]) -> list[Template]:
    """Every payload template of one command type."""
    ce_type = model.ce_type()
    example = example_json(model)
    out: list[Template] = []
    for what, value in SHAPES:
        out.append(Template("wrong_shapes", "value_schema", f"the payload is {what}", _whole(value), ce_type=ce_type))
    out.append(Template("wrong_shapes", "value_schema", "the payload in an array", _wrapped_payload, ce_type=ce_type))
    out.append(Template("unknown_fields", "value_schema", "an unknown field", _put(("comment",), "x"), ce_type=ce_type))
    out.append(
        Template(
            "unknown_fields", "value_schema", "a field named in camelCase", _camel(model.key_field), ce_type=ce_type
        )
    )
    for f in fields_of(model):
        if f.kind == "object":
            out.append(
                Template(
                    "unknown_fields",
                    "value_schema",
                    f"an unknown field in {f.name}",
                    _put((*f.path, "nickname"), "x"),
                    ce_type=ce_type,
                )
            )
        out += field_templates(f, ce_type, _example_at(example, f.path))
    return out


def _camel(key_field: str) -> Mutate:
    """The key field under a camelCase name (a common serialiser setting): unknown field and missing field."""
    camel = key_field.split("_")[0] + "".join(p.title() for p in key_field.split("_")[1:])

    def mutate(draft: Draft, rng: random.Random) -> None:
        draft.payload = {camel if k == key_field else k: v for k, v in draft.payload.items()}

    return mutate


def _example_at(example: Any, path: Path) -> Any:
    try:
        return get(example, path)
    except (KeyError, TypeError):
        return None

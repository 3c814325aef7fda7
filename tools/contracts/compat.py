"""The compatibility guard: what in a schema change would break a partner built against the released one.

Breaking, for commands and events alike: a field removed (or renamed), a new required field, an enum value
removed, a type narrowed (a type no longer accepted, a new enum/const/pattern/format, tighter bounds) and
additionalProperties closed. Compatible: new optional fields, enum values added, looser bounds. A breaking
change needs a new `ce_type` version served beside the released one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Schema = Mapping[str, object]
MAX_DEPTH = 40
JSON_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")
# (keyword, True when a bigger value is tighter)
BOUNDS = (
    ("minLength", True),
    ("maxLength", False),
    ("minimum", True),
    ("maximum", False),
    ("exclusiveMinimum", True),
    ("exclusiveMaximum", False),
    ("minItems", True),
    ("maxItems", False),
)


@dataclass(frozen=True, order=True)
class Breaking:
    """One breaking difference, at a path such as `measures_offered[]`."""

    ce_type: str
    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.ce_type}: {self.path or '(message)'}: {self.problem}"


def breaking_changes(released: Mapping[str, Schema], current: Mapping[str, Schema]) -> list[Breaking]:
    """Every breaking difference between the released schemas and the current ones, by `ce_type`."""
    found: list[Breaking] = []
    for ce_type, old in sorted(released.items()):
        new = current.get(ce_type)
        if new is None:
            found.append(Breaking(ce_type, "", "no longer served (a released type stays until it is retired)"))
            continue
        found += [Breaking(ce_type, path, problem) for path, problem in compare(old, new)]
    return sorted(found)


def compare(old: Schema, new: Schema) -> list[tuple[str, str]]:
    """(path, problem) for each way `new` refuses or drops what `old` promised."""
    problems: list[tuple[str, str]] = []
    _compare(_Doc(old), old, _Doc(new), new, "", problems, 0)
    return problems


class _Doc:
    """A schema document, to resolve its local `$ref`s (`#/$defs/...`)."""

    def __init__(self, root: Schema) -> None:
        self.root = root

    def resolve(self, node: Schema) -> Schema:
        seen = 0
        while isinstance(node.get("$ref"), str) and seen < 50:
            target: object = self.root
            for part in str(node["$ref"]).removeprefix("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")] if isinstance(target, Mapping) else {}
            rest = {k: v for k, v in node.items() if k != "$ref"}
            node = {**(target if isinstance(target, Mapping) else {}), **rest}
            seen += 1
        all_of = node.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], Mapping):
            return self.resolve({**{k: v for k, v in node.items() if k != "allOf"}, **all_of[0]})
        return node


def _branches(doc: _Doc, node: Schema) -> list[Schema]:
    node = doc.resolve(node)
    options = node.get("anyOf") or node.get("oneOf")
    if isinstance(options, list):
        return [b for option in options if isinstance(option, Mapping) for b in _branches(doc, option)]
    return [node]


def _types(node: Schema) -> set[str]:
    declared = node.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {str(t) for t in declared}
    values = node["enum"] if isinstance(node.get("enum"), list) else [node["const"]] if "const" in node else None
    if isinstance(values, list):
        return {_json_type(v) for v in values}
    return set(JSON_TYPES)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _accepts(types: set[str], wanted: str) -> bool:
    return wanted in types or (wanted == "integer" and "number" in types)


def _compare(
    old_doc: _Doc, old: Schema, new_doc: _Doc, new: Schema, path: str, out: list[tuple[str, str]], depth: int
) -> None:
    if depth > MAX_DEPTH:  # a recursive model: deep enough to have seen every difference once
        return
    new_branches = _branches(new_doc, new)
    for old_branch in _branches(old_doc, old):
        for json_type in sorted(_types(old_branch)):
            match = next((b for b in new_branches if _accepts(_types(b), json_type)), None)
            if match is None:
                out.append((path, f"type narrowed: {json_type} no longer accepted"))
                continue
            _compare_branch(old_doc, old_branch, new_doc, match, json_type, path, out, depth + 1)


def _compare_branch(
    old_doc: _Doc,
    old: Schema,
    new_doc: _Doc,
    new: Schema,
    json_type: str,
    path: str,
    out: list[tuple[str, str]],
    depth: int,
) -> None:
    old_values, new_values = _allowed(old), _allowed(new)
    if new_values is not None:
        if old_values is None:
            out.append((path, "type narrowed: now restricted to fixed values"))
        elif removed := [v for v in old_values if v not in new_values and _json_type(v) == json_type]:
            out.append((path, f"enum value removed: {', '.join(map(str, removed))}"))
    for keyword in ("pattern", "format"):
        if keyword in new and new.get(keyword) != old.get(keyword):
            out.append((path, f"type narrowed: {keyword} {new[keyword]!r} (was {old.get(keyword)!r})"))
    for keyword, bigger_is_tighter in BOUNDS:
        was, now = old.get(keyword), new.get(keyword)
        if isinstance(now, int | float) and (
            not isinstance(was, int | float) or (now > was if bigger_is_tighter else now < was)
        ):
            out.append((path, f"type narrowed: {keyword} {now} (was {was})"))
    if new.get("uniqueItems") is True and old.get("uniqueItems") is not True:
        out.append((path, "type narrowed: items must now be unique"))
    old_items, new_items = old.get("items"), new.get("items")
    if json_type == "array" and isinstance(old_items, Mapping) and isinstance(new_items, Mapping):
        _compare(old_doc, old_items, new_doc, new_items, f"{path}[]", out, depth)
    if json_type == "object":
        _compare_object(old_doc, old, new_doc, new, path, out, depth)


def _allowed(node: Schema) -> list[object] | None:
    values = node.get("enum")
    if isinstance(values, list):
        return list(values)
    return [node["const"]] if "const" in node else None


def _compare_object(
    old_doc: _Doc, old: Schema, new_doc: _Doc, new: Schema, path: str, out: list[tuple[str, str]], depth: int
) -> None:
    old_props, new_props = _mapping(old.get("properties")), _mapping(new.get("properties"))
    prefix = f"{path}." if path else ""
    for name, old_prop in old_props.items():
        new_prop = new_props.get(name)
        if new_prop is None:
            out.append((f"{prefix}{name}", "field removed (or renamed)"))
        elif isinstance(old_prop, Mapping) and isinstance(new_prop, Mapping):
            _compare(old_doc, old_prop, new_doc, new_prop, f"{prefix}{name}", out, depth)
    old_required, new_required = set(_strings(old.get("required"))), set(_strings(new.get("required")))
    for name in sorted(new_required - old_required):
        out.append((f"{prefix}{name}", "new required field" if name not in old_props else "field became required"))
    if old.get("additionalProperties", True) is not False and new.get("additionalProperties", True) is False:
        out.append((path, "additionalProperties closed: unknown fields are now refused"))


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []

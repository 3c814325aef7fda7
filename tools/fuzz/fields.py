"""The fields of a command as its JSON Schema describes them: where they are, their kind and constraints."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from shared.contracts.envelope import BaseMessage

Path = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """One field (top level or inside an object field): its path, kind and schema node."""

    path: Path
    kind: str  # date, uuid, enum, text, int, bool, set, object
    node: dict[str, Any]
    required: bool
    nullable: bool

    @property
    def name(self) -> str:
        return ".".join(self.path)


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str):
        return {**defs[ref.rsplit("/", 1)[1]], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _kind(node: dict[str, Any]) -> str:
    kind = node.get("type")
    if kind == "string":
        if node.get("format") == "date":
            return "date"
        if node.get("format") == "uuid":
            return "uuid"
        return "enum" if "enum" in node else "text"
    if kind == "integer":
        return "int"
    if kind == "boolean":
        return "bool"
    if kind == "array":
        return "set"
    if kind == "object":
        return "object"
    raise ValueError(f"no fuzz kind for schema {node}")


def _fields(schema: dict[str, Any], defs: dict[str, Any], prefix: Path) -> list[FieldInfo]:
    found: list[FieldInfo] = []
    required = set(schema.get("required", ()))
    for name, raw in schema.get("properties", {}).items():
        node = _resolve(raw, defs)
        options = [_resolve(o, defs) for o in node.get("anyOf", ())]
        nullable = any(o.get("type") == "null" for o in options)
        if options:
            node = next(o for o in options if o.get("type") != "null")
        if "items" in node:
            node = {**node, "items": _resolve(node["items"], defs)}
        info = FieldInfo((*prefix, name), _kind(node), node, name in required, nullable)
        found.append(info)
        if info.kind == "object":
            found.extend(_fields(node, defs, info.path))
    return found


@cache
def fields_of(model: type[BaseMessage]) -> tuple[FieldInfo, ...]:
    """Every field of the command, nested ones after their object."""
    schema = model.model_json_schema()
    return tuple(_fields(schema, schema.get("$defs", {}), ()))


def get(payload: Any, path: Path) -> Any:
    for part in path:
        payload = payload[part]
    return payload


def put(payload: Any, path: Path, value: Any) -> None:
    get(payload, path[:-1])[path[-1]] = value


def drop(payload: Any, path: Path) -> None:
    del get(payload, path[:-1])[path[-1]]


def string_field(model: type[BaseMessage], payload: Any) -> Path | None:
    """The first free-text field (else any string field) that is not the key: where text probes go."""
    candidates = [
        f for f in fields_of(model) if f.path != (model.key_field,) and isinstance(_maybe(payload, f.path), str)
    ]
    texts = [f for f in candidates if f.kind == "text"]
    chosen = texts[0] if texts else (candidates[0] if candidates else None)
    return None if chosen is None else chosen.path


def _maybe(payload: Any, path: Path) -> Any:
    try:
        return get(payload, path)
    except (KeyError, TypeError):
        return None

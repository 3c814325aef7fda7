"""A rejected command, corrected: its original headers with a new `ce_id`, its body with the operator's changes
(`--set path=value`, or a whole corrected body from a file), checked at the same door the stage uses.

`--set` paths are dotted (`personal.email`, `missing_documents.0`); the value is read as JSON when it is JSON
(`2`, `true`, `null`, `["a"]`, `"007"` for text that looks like a number) and taken as text otherwise
(`2025-03-10`, `standard`)."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shared.contracts.catalogue import commands_of
from shared.contracts.topics import Kind, Stage, topic
from shared.decoding import Decoded, decode
from shared.errors import Rejected
from shared.operators.failures import OperatorError
from shared.operators.rejections import Rejection, original_body

Path = tuple[str, ...]


def assignment(text: str) -> tuple[Path, Any]:
    """`path=value` as (path, value)."""
    name, equals, raw = text.partition("=")
    path = tuple(name.strip().split("."))
    if not equals or not all(path):
        raise OperatorError(f"--set {text!r}: write path=value, e.g. legal_basis=pflbg or personal.email=a@example.org")
    try:
        return path, json.loads(raw)
    except ValueError:
        return path, raw


def assigned(body: Any, path: Path, value: Any) -> Any:
    """A copy of `body` with `value` at `path`; objects on the way are created, list items must exist."""
    result = copy.deepcopy(body)
    if not path:
        return value
    node = result
    for depth, step in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(node, list):
            if not step.isdigit() or int(step) >= len(node):
                raise OperatorError(f"--set {'.'.join(path)}: {step!r} is not an item of a list of {len(node)}")
            if last:
                node[int(step)] = value
            else:
                node = node[int(step)]
        elif isinstance(node, dict):
            if last:
                node[step] = value
            else:
                node = node.setdefault(step, {})
        else:
            raise OperatorError(f"--set {'.'.join(path)}: {'.'.join(path[:depth]) or 'the body'} holds no fields")
    return result


def corrected_body(rejection: Rejection, changes: list[tuple[Path, Any]], replacement: Any | None = None) -> Any:
    """The body to send: `replacement` if given, else the original's; then each change in turn."""
    if replacement is None:
        original = rejection.rejected.original
        if original.value_truncated:
            raise OperatorError("the rejection keeps only the start of the original value: give --file")
        replacement = original_body(rejection)
        if isinstance(replacement, str) or (isinstance(replacement, dict) and "base64" in replacement):
            raise OperatorError("the original value is not JSON: give the corrected body with --file")
    for path, value in changes:
        replacement = assigned(replacement, path, value)
    return replacement


@dataclass(slots=True)
class Correction:
    """The record to produce, in the shape the door reads (`shared.decoding.Record`; not on a partition yet)."""

    topic: str
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes]]
    ce_id: str
    partition: int = -1
    offset: int = -1
    timestamp: int = -1

    def shown(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "key": None if self.key is None else self.key.decode(),
            "headers": {name: value.decode() for name, value in self.headers},
            "body": json.loads(self.value or b"null"),
        }


def stage_of_commands(rejection: Rejection) -> Stage:
    """The stage whose shared commands topic takes the correction; only a rejected command has one."""
    origin = rejection.rejected.original.topic
    own = topic(rejection.stage, Kind.COMMAND)
    if origin != own and not origin.startswith(own + "."):
        raise OperatorError(f"only commands are resubmitted; this one was read from {origin}, not a commands topic")
    return rejection.stage


def correction(rejection: Rejection, body: Any, ce_id: str | None = None) -> Correction:
    """The corrected record for the stage's shared commands topic: original headers, a new `ce_id`, and key and
    `ce_subject` following the body's key field (a corrected participant id moves them along)."""
    stage = stage_of_commands(rejection)
    headers = dict(rejection.rejected.original.headers)
    headers["ce_id"] = ce_id or str(uuid.uuid4())
    model = {m.ce_type(): m for m in commands_of(stage)}.get(headers.get("ce_type", ""))
    key = rejection.rejected.original.key
    if model is not None and isinstance(body, dict) and body.get(model.key_field) is not None:
        key = headers["ce_subject"] = str(body[model.key_field])
    return Correction(
        topic=topic(stage, Kind.COMMAND),
        key=None if key is None else key.encode(),
        value=json.dumps(body, ensure_ascii=False).encode(),
        headers=[(name, value.encode()) for name, value in headers.items()],
        ce_id=headers["ce_id"],
    )


def checked(record: Correction) -> Decoded | Rejected:
    """The correction through the stage's door: the message it is, or the rejection the stage would publish."""
    stage = Stage(record.topic.split(".")[1])
    try:
        return decode(record, {m.ce_type(): m for m in commands_of(stage)})
    except Rejected as rejected:
        return rejected

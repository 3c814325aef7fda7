"""The documentation written under enum members in the source (attribute docstrings), for guides and the CLI."""

from __future__ import annotations

import ast
import inspect
from enum import Enum


def member_docs(enum: type[Enum]) -> dict[str, str]:
    """The string literal under each enum member in the source (attribute docstrings)."""
    body = ast.parse(inspect.getsource(enum)).body[0]
    assert isinstance(body, ast.ClassDef)
    docs: dict[str, str] = {}
    for statement, following in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(statement, ast.Assign)
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[enum[statement.targets[0].id].value] = " ".join(following.value.value.split())
    return docs

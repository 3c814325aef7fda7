"""Example messages built from the models' own `Field(examples=...)`: for the docs, the schemas and the tests."""

from __future__ import annotations

import types
from enum import Enum
from typing import Annotated, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

M = TypeVar("M", bound=BaseModel)


class MissingExample(TypeError):
    """A field has neither an example nor a type an example can be derived from."""


def example_payload(model: type[BaseModel]) -> dict[str, object]:
    """Each field's first example; enums default to their first value, nested models are built the same way."""
    payload: dict[str, object] = {}
    for name, field in model.model_fields.items():
        where = f"{model.__name__}.{name}"
        payload[name] = field.examples[0] if field.examples else _derive(field.annotation, where)
    return payload


def example_of(model: type[M]) -> M:
    """A valid instance of `model` built from its examples."""
    return model.model_validate(example_payload(model))


def example_json(model: type[BaseModel]) -> dict[str, object]:
    """The example as it travels: JSON types, sets as sorted arrays."""
    dumped: dict[str, object] = example_of(model).model_dump(mode="json")
    return dumped


def _derive(annotation: object, where: str) -> object:
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *metadata = get_args(annotation)
        for meta in metadata:
            if isinstance(meta, FieldInfo) and meta.examples:
                return meta.examples[0]
        return _derive(base, where)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        return _derive(options[0], where)
    if origin in (frozenset, set, list, tuple):
        return [_derive(get_args(annotation)[0], where)]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return next(iter(annotation)).value
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return example_payload(annotation)
    raise MissingExample(f"{where} needs Field(examples=[...])")

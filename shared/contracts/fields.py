"""Field types the stages share: codes, ids and sets that serialise in a stable, sorted order."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, TypeVar

from pydantic import Field, PlainSerializer

E = TypeVar("E", bound=StrEnum)


def _sorted(values: Iterable[StrEnum]) -> list[str]:
    return sorted(str(value) for value in values)


SetOf = Annotated[frozenset[E], PlainSerializer(_sorted, when_used="json")]
"""A set of codes; JSON carries it as a sorted array so the same set always reads the same."""

CountryCode = Annotated[
    str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 country code.", examples=["PH"])
]
RegionCode = Annotated[
    str,
    Field(
        pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$",
        description="ISO 3166-2 code of the German region the participant is attached to.",
        examples=["DE-SL"],
    ),
]
# Ids of organisations and recipients are short codes, never free text: no spaces, no e-mail addresses.
ORG_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"
OrgId = Annotated[str, Field(min_length=1, max_length=64, pattern=ORG_ID_PATTERN)]
PartnerOrg = Annotated[
    OrgId, Field(description="Id of the partner organisation in charge.", examples=["iq-network-example"])
]

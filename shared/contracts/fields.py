"""Field types the stages share: codes, ids and sets that serialise in a stable, sorted order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, TypeVar

from pydantic import Field, PlainSerializer

T = TypeVar("T", bound=str)


def _sorted(values: Iterable[str]) -> list[str]:
    return sorted(str(value) for value in values)


SetOf = Annotated[frozenset[T], PlainSerializer(_sorted, when_used="json")]
"""A set of codes; JSON carries it as a sorted array so the same set always reads the same."""

CountryCode = Annotated[
    str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 country code.", examples=["PH"])
]
KldbCode = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{5}$",
        description="Occupation by the German classification of occupations (KldB 2010), five digits.",
        examples=["81302"],
    ),
]
DistrictCode = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{5}$",
        description="German district (Landkreis or kreisfreie Stadt) by its official key (Kreisschlüssel of the AGS),"
        " five digits.",
        examples=["10041"],
    ),
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
CeId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        pattern=r"^\S+$",
        description="A message's `ce_id`.",
        examples=["3f1e5a9c-6b2d-5c8e-9f0a-1b2c3d4e5f60"],
    ),
]
CeType = Annotated[
    str,
    Field(
        pattern=r"^journey\.[a-z]+\.[A-Za-z0-9]+\.v[0-9]+$",
        description="A message's `ce_type`.",
        examples=["journey.recognition.RecognitionDecided.v1"],
    ),
]

CaseReference = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9./_-]*$",
        description="The organisation's own reference for the case (its file number), never a name; shown only to"
        " that organisation.",
        examples=["BER-2026-0147"],
    ),
]

PLAIN_NAME = r"^[^\x00-\x1f@<>]+$"
"""A name shown on a page or in a mail: one line, no address (no `@`), no markup."""

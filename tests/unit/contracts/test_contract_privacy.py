"""Events carry the pseudonymous id and coarse codes only: no personal data, no free text."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

import pytest
from pydantic import BaseModel

from shared.contracts.catalogue import ALL_MESSAGES
from shared.contracts.envelope import BaseMessage
from shared.contracts.fields import OrgId
from shared.contracts.topics import Kind

EVENTS = [m for m in ALL_MESSAGES if m.kind is Kind.EVENT]
# Name parts that mean personal data, special categories (Art. 9 DSGVO) or free text.
FORBIDDEN = {
    "name",
    "names",
    "email",
    "mail",
    "phone",
    "mobile",
    "birth",
    "birthday",
    "dob",
    "address",
    "street",
    "postcode",
    "zip",
    "city",
    "nationality",
    "ethnic",
    "ethnicity",
    "religion",
    "health",
    "diagnosis",
    "disability",
    "gender",
    "sex",
    "passport",
    "iban",
    "comment",
    "comments",
    "note",
    "notes",
    "remark",
    "remarks",
    "text",
    "details",
    "explanation",
}
# Allowed only when the value is a code from an enumeration.
CODES_ONLY = {"reason", "reasons", "message", "description"}


def _resolve(root: Mapping[str, object], node: Mapping[str, object]) -> Mapping[str, object]:
    ref = node.get("$ref")
    if isinstance(ref, str):
        defs = root.get("$defs")
        assert isinstance(defs, Mapping)
        target = defs[ref.removeprefix("#/$defs/")]
        assert isinstance(target, Mapping)
        return target
    return node


Node = Mapping[str, object]


def _leaves(root: Node, node: Node, path: str) -> Iterator[tuple[str, Node]]:
    node = _resolve(root, node)
    for key in ("anyOf", "oneOf", "allOf"):
        options = node.get(key)
        if isinstance(options, list):
            for option in options:
                yield from _leaves(root, option, path)
            return
    properties = node.get("properties")
    if isinstance(properties, Mapping):
        for name, child in properties.items():
            yield from _leaves(root, child, f"{path}.{name}" if path else name)
        return
    items = node.get("items")
    if isinstance(items, Mapping):
        yield from _leaves(root, items, path)
        return
    yield path, node


def problems(model: type[BaseModel]) -> list[str]:
    """What in `model`'s schema looks like personal data or free text."""
    schema = model.model_json_schema()
    found: list[str] = []
    for path, leaf in _leaves(schema, schema, ""):
        parts = set(path.split(".")[-1].split("_"))
        if parts & FORBIDDEN:
            found.append(f"{path}: name suggests personal data or free text")
        is_code = "enum" in leaf or "const" in leaf
        if parts & CODES_ONLY and not is_code:
            found.append(f"{path}: must be a code from an enumeration, not text")
        if leaf.get("type") == "string" and not (is_code or "pattern" in leaf or "format" in leaf):
            found.append(f"{path}: unconstrained string could carry free text")
    return found


# Names that are not a person's: an organisation's and a funding period's, shown on the coordinator page and in mails.
NOT_PERSONAL: dict[str, list[str]] = {
    "OrganisationRegistered": ["name: name suggests personal data or free text"],
    "FundingPeriodDefined": ["name: name suggests personal data or free text"],
}


@pytest.mark.parametrize("event", EVENTS, ids=[e.__name__ for e in EVENTS])
def test_events_carry_no_personal_data_or_free_text(event: type[BaseMessage]) -> None:
    assert sorted(set(problems(event))) == NOT_PERSONAL.get(event.__name__, [])


def test_the_check_finds_personal_data_and_free_text() -> None:
    class Leaky(BaseModel):
        display_name: str
        email: str
        birth_date: date
        reason: str
        comment: OrgId
        authority_note: list[str]
        ok_code: OrgId

    found = problems(Leaky)
    assert [f.split(":")[0] for f in found] == [
        "display_name",
        "display_name",
        "email",
        "email",
        "birth_date",
        "reason",
        "reason",
        "comment",
        "authority_note",
        "authority_note",
    ]

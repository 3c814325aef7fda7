"""The partner guide's worked examples, as a partner reads them: every payload is valid against the published
JSON Schema of the type it names (formats checked), and the walks cover every route."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from shared.contracts.catalogue import BY_TYPE
from shared.contracts.enums import Route
from shared.contracts.topics import Kind

ROOT = Path(__file__).resolve().parents[3]
GUIDE = ROOT / "docs" / "partners.md"
SCHEMAS = ROOT / "docs" / "contracts" / "schemas"
STEP = re.compile(r"^\d+\. Send `(?P<type>[^`]+)`:\n\n   ```json\n   (?P<payload>.+)\n   ```$", re.MULTILINE)


def worked_examples(title: str = "### Worked examples, one per route") -> str:
    guide = GUIDE.read_text(encoding="utf-8")
    return guide.split(title, 1)[1].split("\n### ", 1)[0]


STORIES_TITLE = "### Worked examples: counselling, organisations, consent and the life cycle"


def sends() -> list[tuple[str, str]]:
    sections = worked_examples() + worked_examples(STORIES_TITLE)
    return [(m["type"], m["payload"]) for m in STEP.finditer(sections)]


def test_the_guide_has_a_worked_example_for_every_route() -> None:
    section = worked_examples()
    assert {route for route in Route if f"#### `{route}`" in section} == set(Route)
    assert len(sends()) > 50


def test_the_guide_has_a_worked_example_for_counselling_organisations_consent_and_the_life_cycle() -> None:
    section = worked_examples(STORIES_TITLE)
    for command in ("RecordFirstContact", "InvolveOrganisation", "HandOverLead", "PauseParticipation",
                    "CompleteParticipation", "RevokeConsent", "RegisterOrganisation", "LinkFirstContact"):  # fmt: skip
        assert f"journey.recruitment.{command}.v1" in section, command


@pytest.mark.parametrize(("ce_type", "payload"), sends(), ids=lambda v: v if v.startswith("journey.") else "")
def test_each_worked_example_payload_is_valid_against_its_published_schema(ce_type: str, payload: str) -> None:
    assert BY_TYPE[ce_type].kind is Kind.COMMAND, f"{ce_type}: a partner sends commands only"
    schema = json.loads((SCHEMAS / f"{ce_type}.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(json.loads(payload))]
    assert not errors, errors


def test_the_validation_catches_a_broken_example() -> None:
    """Not a test that cannot fail: a date in the wrong form is caught."""
    ce_type, payload = next((t, p) for t, p in sends() if t.endswith("SubmitApplication.v1"))
    broken = json.loads(payload) | {"submitted_on": "01.06.2026"}
    schema = json.loads((SCHEMAS / f"{ce_type}.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(broken))

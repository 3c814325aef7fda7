"""The directory file: YAML entries become recipients; mistakes are reported with the entry they are in."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.notifications.directory_file import DirectoryFileError, load_directory, parse_directory
from shared.contracts.enums import Milestone
from shared.contracts.notifications import MailLanguage, RecipientKind

EXAMPLE = Path(__file__).resolve().parents[3] / "deploy" / "directory.example.yaml"

TWO = """
recipients:
  - recipient_id: coordination-de-sl
    recipient_kind: coordinator
    email: coordination@example.org
    display_name: Koordination Saarland (Beispiel)
    regions: [DE-SL]
  - recipient_id: partner-saar
    recipient_kind: partner_organisation
    partner_org: iq-saar-example
    consent_scope: employer
    email: partner@example.org
    display_name: Partner Example
    milestones: [recognition_decided, employment_ended]
    language: en
"""


def test_entries_become_recipients_and_no_milestones_means_all() -> None:
    coordinator, partner = parse_directory(TWO)
    assert coordinator.recipient_kind is RecipientKind.COORDINATOR and coordinator.regions == {"DE-SL"}
    assert coordinator.milestones == frozenset(Milestone) and coordinator.language is MailLanguage.DE
    assert partner.partner_org == "iq-saar-example" and partner.language is MailLanguage.EN
    assert partner.milestones == {Milestone.RECOGNITION_DECIDED, Milestone.EMPLOYMENT_ENDED}


def test_milestones_all_subscribes_to_every_milestone() -> None:
    text = TWO.replace("    milestones: [recognition_decided, employment_ended]", "    milestones: all")
    assert parse_directory(text)[1].milestones == frozenset(Milestone)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("recipients: nobody", "top-level `recipients:` list"),
        ("- just a list", "top-level `recipients:` list"),
        ("recipients: [1]", r"recipients\[0\]: expected a mapping"),
        (TWO.replace("coordination@example.org", "not-an-address"), r"recipients\[0\]: email"),
        (TWO.replace("language: en", "language: fr"), r"recipients\[1\]: language"),
        (TWO.replace("    partner_org: iq-saar-example\n", ""), r"recipients\[1\]: .*partner_org is required"),
        (TWO.replace("partner-saar", "coordination-de-sl"), "defined twice"),
        (TWO.replace("display_name: Partner", "display_nam: Partner"), "display_nam: Extra inputs"),
        ("recipients: [", "not YAML"),
    ],
)
def test_mistakes_name_the_entry_and_field(text: str, problem: str) -> None:
    with pytest.raises(DirectoryFileError, match=problem):
        parse_directory(text)


def test_a_missing_file_is_an_error_not_an_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(DirectoryFileError, match="cannot read"):
        load_directory(tmp_path / "missing.yaml")


def test_the_example_directory_file_is_valid_and_uses_example_addresses_only() -> None:
    recipients = load_directory(EXAMPLE)
    assert {r.recipient_kind for r in recipients} == set(RecipientKind)
    assert all(r.email.endswith("@example.org") for r in recipients)

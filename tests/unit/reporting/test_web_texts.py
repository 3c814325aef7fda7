"""The page's texts are complete in German and English: every key in both, and every code the figures can
report (stages, spans, outcomes, counselling types, follow-up kinds, indicator categories...) has words."""

from __future__ import annotations

import re
from pathlib import Path

from services.reporting import cells, figures
from services.reporting.domain.exits import CountryGroup
from services.reporting.web import texts
from shared.contracts.enums import Profession
from shared.contracts.regions import REGION_NAMES

TEMPLATES = Path(texts.__file__).parent / "templates"


def test_german_and_english_have_the_same_keys_and_no_empty_text() -> None:
    assert set(texts.DE) == set(texts.EN)
    assert all(texts.DE.values()) and all(texts.EN.values())


def codes() -> list[tuple[str, str]]:
    """(group, code) of everything the page shows in words."""
    found = [("stage", stage) for stage, _, _ in cells.STAGES] + [("stage", "exit")]
    found += [("span", span) for span, _, _ in cells.SPANS]
    found += [(f"outcome.{stage}", outcome) for stage, outcome in figures.OUTCOMES]
    found += [("counselling", kind) for kind in figures.COUNSELLING_TYPES]
    found += [("kind", kind) for kind in figures.FOLLOW_UP_KINDS]
    found += [("profession", p.value) for p in Profession]
    found += [("country_group", g.value) for g in CountryGroup]
    found += [("role", r.value) for r in figures.Role]
    for indicator, categories in figures.INDICATOR_CATEGORIES:
        found.append(("indicator", indicator))
        found += [(f"category.{indicator}", category) for category in categories]
    return found


def test_every_code_the_figures_report_has_words() -> None:
    missing = [f"{group}.{code}" for group, code in codes() if f"{group}.{code}" not in texts.DE]
    assert not missing
    assert texts.label("kind", "decision_overdue", "de") == "Bescheid überfällig"
    assert texts.label("kind", "decision_overdue", "en") == "Decision overdue"


def test_every_key_the_templates_use_exists() -> None:
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_.]+)["']\s*\)""", template.read_text()))
    assert used and used <= set(texts.DE), used - set(texts.DE)


def test_regions_are_named_in_both_languages() -> None:
    assert texts.region("DE-BY", "de") == "Bayern" and texts.region("DE-BY", "en") == "Bavaria"
    assert set(REGION_NAMES) >= {"DE-SL", "DE-BY"}


def test_unknown_codes_show_as_they_are_and_unknown_languages_fall_back_to_german() -> None:
    assert texts.label("kind", "something_new", "de") == "something_new"
    assert texts.language("fr") == "de" and texts.language("en") == "en"

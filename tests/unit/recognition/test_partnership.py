"""A recognition partnership (§16d(3) AufenthG): the person works for an employer while the recognition runs —
German at A2 at least, a written agreement with the employer, the procedure applied for after entry."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.recognition import domain
from services.recognition.domain import Track
from shared.refusals import InvalidValue
from tests.unit.recognition.steps import NURSE, PARTNERSHIP_EMPLOYER, application, opened


def test_a_partnership_is_submitted_with_its_employer_and_the_event_names_it() -> None:
    decision = domain.submit(opened(NURSE), application(NURSE, Track.RECOGNITION_PARTNERSHIP_16D))
    assert decision.state.partnership_employer == PARTNERSHIP_EMPLOYER
    [submitted] = decision.events
    assert submitted.partnership_employer == PARTNERSHIP_EMPLOYER  # type: ignore[attr-defined]


@pytest.mark.parametrize("level", ["A1", None])
def test_a_partnership_needs_german_at_a2_at_least(level: str | None) -> None:
    case = replace(opened(NURSE), language_level=level)
    with pytest.raises(InvalidValue, match="A2") as refused:
        domain.submit(case, application(NURSE, Track.RECOGNITION_PARTNERSHIP_16D))
    assert refused.value.field == "track"


def test_a2_is_enough() -> None:
    case = replace(opened(NURSE), language_level="A2")
    assert domain.submit(case, application(NURSE, Track.RECOGNITION_PARTNERSHIP_16D)).state.track is (
        Track.RECOGNITION_PARTNERSHIP_16D
    )


def test_a_partnership_is_applied_for_after_entry() -> None:
    case = replace(opened(NURSE), residence="abroad")
    with pytest.raises(InvalidValue, match="after entry"):
        domain.submit(case, application(NURSE, Track.RECOGNITION_PARTNERSHIP_16D))


def test_a_partnership_names_its_employer_and_only_a_partnership_does() -> None:
    without = application(NURSE, Track.RECOGNITION_PARTNERSHIP_16D).model_copy(update={"partnership_employer": None})
    with pytest.raises(InvalidValue) as refused:
        domain.submit(opened(NURSE), without)
    assert refused.value.field == "partnership_employer"
    standard = application(NURSE).model_copy(update={"partnership_employer": PARTNERSHIP_EMPLOYER})
    with pytest.raises(InvalidValue, match="only with the recognition partnership") as refused:
        domain.submit(opened(NURSE), standard)
    assert refused.value.field == "partnership_employer"

"""The domain's own codes stay the contracts' codes, value for value."""

from __future__ import annotations

from enum import StrEnum

import pytest

from services.recognition.domain import DOCTOR, Licence, Outcome, Track
from shared.contracts.enums import Profession, RecognitionOutcome, RecognitionTrack
from shared.contracts.recognition import LicenceKind


@pytest.mark.parametrize(
    ("domain", "contract"), [(Track, RecognitionTrack), (Outcome, RecognitionOutcome), (Licence, LicenceKind)]
)
def test_domain_codes_match_the_contract_codes(domain: type[StrEnum], contract: type[StrEnum]) -> None:
    assert [m.value for m in domain] == [m.value for m in contract]


def test_the_doctor_code_is_the_contracts_doctor() -> None:
    assert Profession(DOCTOR) is Profession.DOCTOR

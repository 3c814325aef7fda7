"""Invented participants and commands; random ids so a shared database needs no clean-up."""

from __future__ import annotations

import uuid
from typing import Any

from shared.contracts.enums import CefrLevel, ConsentScope, Profession, ReferralSource, Residence
from shared.contracts.recruitment import PersonalData, RegisterCandidate


def register_candidate(**overrides: Any) -> RegisterCandidate:
    fields: dict[str, Any] = {
        "participant_id": uuid.uuid4(),
        "personal": PersonalData(given_name="Amara", family_name="Example", email="amara@example.org"),
        "target_profession": Profession.NURSING_PROFESSIONAL,
        "country_of_training": "PH",
        "language_level": CefrLevel.B1,
        "residence": Residence.ABROAD,
        "region": "DE-SL",
        "referral_source": ReferralSource.COUNSELLING_ABROAD,
        "partner_org": "iq-saar-example",
        "consents": frozenset({ConsentScope.EMPLOYER, ConsentScope.LANGUAGE_PROVIDER}),
    }
    fields.update(overrides)
    return RegisterCandidate(**fields)

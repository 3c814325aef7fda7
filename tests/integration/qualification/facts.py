"""Other stages' facts and partners' commands about invented participants, with the dates tests use."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from shared.contracts.enums import (
    CefrLevel,
    CompensationMeasure,
    ConsentScope,
    LanguageCertificate,
    Profession,
    RecognitionOutcome,
    RecognitionTrack,
    ReferralSource,
    Residence,
)
from shared.contracts.qualification import (
    ExamKind,
    ExamResult,
    LanguageDomain,
    RecordExamResult,
    RecordLanguageCertificate,
)
from shared.contracts.recognition import (
    ApplicationSubmitted,
    CompensationMeasureChosen,
    LegalBasis,
    RecognitionDecided,
)
from shared.contracts.recruitment import ParticipantRecruited
from tests.support.kafka import Received

DAY = date(2026, 3, 2)


def recruited(
    pid: uuid.UUID, profession: Profession = Profession.NURSING_PROFESSIONAL, level: CefrLevel = CefrLevel.B1
) -> ParticipantRecruited:
    return ParticipantRecruited(
        participant_id=pid,
        target_profession=profession,
        isco_code="2221",
        country_of_training="PH",
        language_level=level,
        residence=Residence.ABROAD,
        region="DE-SL",
        referral_source=ReferralSource.COUNSELLING_ABROAD,
        partner_org="iq-saar-example",
        consents=frozenset({ConsentScope.LANGUAGE_PROVIDER}),
    )


def decided(pid: uuid.UUID, outcome: RecognitionOutcome, *offered: CompensationMeasure) -> RecognitionDecided:
    return RecognitionDecided(participant_id=pid, outcome=outcome, measures_offered=frozenset(offered), decided_on=DAY)


def chosen(
    pid: uuid.UUID, measure: CompensationMeasure, previous: CompensationMeasure | None = None
) -> CompensationMeasureChosen:
    return CompensationMeasureChosen(participant_id=pid, measure=measure, chosen_on=DAY, previous_measure=previous)


LEGAL_BASIS = {Profession.DOCTOR: LegalBasis.BAEO, Profession.NURSING_PROFESSIONAL: LegalBasis.PFLBG}


def submitted(pid: uuid.UUID, profession: Profession = Profession.NURSING_PROFESSIONAL) -> ApplicationSubmitted:
    """The application as recognition publishes it; the route is left to the published rules."""
    return ApplicationSubmitted(
        participant_id=pid,
        authority="authority-x",
        reference_profession=profession,
        legal_basis=LEGAL_BASIS.get(profession, LegalBasis.BQFG),
        track=RecognitionTrack.STANDARD,
        submitted_on=DAY,
    )


def certificate(pid: uuid.UUID, level: CefrLevel = CefrLevel.B2, **overrides: Any) -> RecordLanguageCertificate:
    fields: dict[str, Any] = {
        "participant_id": pid,
        "certificate": LanguageCertificate.TELC,
        "level": level,
        "language_domain": LanguageDomain.PROFESSIONAL,
        "obtained_on": DAY,
    }
    return RecordLanguageCertificate(**(fields | overrides))


def exam(
    pid: uuid.UUID, attempt: int, result: ExamResult, kind: ExamKind = ExamKind.KNOWLEDGE_TEST, **overrides: Any
) -> RecordExamResult:
    fields: dict[str, Any] = {
        "participant_id": pid,
        "exam": kind,
        "attempt": attempt,
        "result": result,
        "taken_on": DAY,
    }
    return RecordExamResult(**(fields | overrides))


def name(record: Received) -> str:
    """`MeasurePlanned` for `journey.qualification.MeasurePlanned.v1`."""
    return record.ce_type.split(".")[2]

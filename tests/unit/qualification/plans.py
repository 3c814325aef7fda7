"""Plans and messages about one invented participant, built through the domain as the service would build them."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from uuid import UUID

from services.qualification import domain
from services.qualification.domain import Measure, Plan
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
    Route,
)
from shared.contracts.qualification import (
    CompleteMeasure,
    EnrolInMeasure,
    ExamKind,
    ExamResult,
    LanguageDomain,
    MeasureKind,
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

PID = uuid.UUID("7d3c1b2a-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
DAY = date(2026, 3, 2)


def recruited_event(
    profession: Profession = Profession.NURSING_PROFESSIONAL, level: CefrLevel = CefrLevel.B1
) -> ParticipantRecruited:
    return ParticipantRecruited(
        participant_id=PID,
        target_profession=profession,
        isco_code=None,
        country_of_training="PH",
        language_level=level,
        residence=Residence.ABROAD,
        region="DE-SL",
        referral_source=ReferralSource.COUNSELLING_ABROAD,
        partner_org="iq-saar-example",
        consents=frozenset({ConsentScope.LANGUAGE_PROVIDER}),
    )


def decided(outcome: RecognitionOutcome, *offered: CompensationMeasure) -> RecognitionDecided:
    return RecognitionDecided(participant_id=PID, outcome=outcome, measures_offered=frozenset(offered), decided_on=DAY)


def chosen(
    measure: CompensationMeasure, on: date = DAY, previous: CompensationMeasure | None = None
) -> CompensationMeasureChosen:
    return CompensationMeasureChosen(participant_id=PID, measure=measure, chosen_on=on, previous_measure=previous)


LEGAL_BASIS = {Profession.DOCTOR: LegalBasis.BAEO, Profession.NURSING_PROFESSIONAL: LegalBasis.PFLBG}


def submitted(
    profession: Profession = Profession.NURSING_PROFESSIONAL, route: Route | None = None, on: date = DAY
) -> ApplicationSubmitted:
    """The application, with the route recognition named (None: an event from before it named one)."""
    return ApplicationSubmitted(
        participant_id=PID,
        authority="authority-x",
        reference_profession=profession,
        legal_basis=LEGAL_BASIS.get(profession, LegalBasis.BQFG),
        track=RecognitionTrack.STANDARD,
        submitted_on=on,
        route=route,
    )


def certificate(level: CefrLevel = CefrLevel.B2, **overrides: Any) -> RecordLanguageCertificate:
    fields: dict[str, Any] = {
        "participant_id": PID,
        "certificate": LanguageCertificate.TELC,
        "level": level,
        "language_domain": LanguageDomain.PROFESSIONAL,
        "obtained_on": DAY,
    }
    return RecordLanguageCertificate(**(fields | overrides))


def exam(
    attempt: int, result: ExamResult, kind: ExamKind = ExamKind.KNOWLEDGE_TEST, **overrides: Any
) -> RecordExamResult:
    fields: dict[str, Any] = {
        "participant_id": PID,
        "exam": kind,
        "attempt": attempt,
        "result": result,
        "taken_on": DAY,
    }
    return RecordExamResult(**(fields | overrides))


def enrol(measure_id: UUID, on: date = DAY) -> EnrolInMeasure:
    return EnrolInMeasure(participant_id=PID, measure_id=measure_id, enrolled_on=on)


def complete(measure_id: UUID, on: date = DAY) -> CompleteMeasure:
    return CompleteMeasure(participant_id=PID, measure_id=measure_id, completed_on=on)


def recruited(profession: Profession = Profession.NURSING_PROFESSIONAL, level: CefrLevel = CefrLevel.B1) -> Plan:
    """A plan after recruitment: for a B1 nurse, one language course planned."""
    return domain.participant_recruited(Plan(PID), recruited_event(profession, level), DAY).state


def applied(profession: Profession = Profession.NURSING_PROFESSIONAL, level: CefrLevel = CefrLevel.B1) -> Plan:
    """A plan after recruitment and the application for the same profession: on its route."""
    return domain.application_submitted(recruited(profession, level), submitted(profession)).state


def the(plan: Plan, kind: MeasureKind) -> Measure:
    """The plan's one measure of `kind`."""
    [measure] = [m for m in plan.measures if m.kind is kind]
    return measure


def choosing(plan: Plan, measure: CompensationMeasure) -> Plan:
    """`plan` after a decision requiring compensation and the first choice of `measure`."""
    after = domain.recognition_decided(plan, decided(RecognitionOutcome.COMPENSATION_REQUIRED, measure)).state
    return domain.compensation_measure_chosen(after, chosen(measure)).state


def enrolled(plan: Plan, kind: MeasureKind) -> Plan:
    return domain.enrol_in_measure(plan, enrol(the(plan, kind).measure_id)).state

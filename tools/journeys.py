"""The partner systems, played: each stage's events answered with the commands a partner would send next.

Used by `simulate` (a sample cohort people can watch) and by the load generator, benchmark and fault drill.
Dates are chosen so the run is deterministic: the decision is due in the future (no overdue race) and employment
started a little over six months ago, so the six-month retention check is already due.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from shared.contracts import placement as pl
from shared.contracts import qualification as q
from shared.contracts import recognition as rc
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
from shared.contracts.envelope import BaseMessage
from shared.contracts.recruitment import PersonalData, RegisterCandidate

FINAL_EVENT = "RetentionCheckRecorded"
COMPENSATION_EXAM = {
    CompensationMeasure.KNOWLEDGE_TEST: q.ExamKind.KNOWLEDGE_TEST,
    CompensationMeasure.APTITUDE_TEST: q.ExamKind.APTITUDE_TEST,
}
GIVEN_NAMES = ["Amara", "Luis", "Mei", "Olek", "Priya", "Tunde", "Sofia", "Jomo", "Lina", "Ravi"]


@dataclass(frozen=True)
class Profile:
    """How one participant's journey goes."""

    compensation: CompensationMeasure | None  # None: full equivalence, only language to prove
    fail_first_exam: bool = False
    region: str = "DE-SL"
    partner_org: str = "iq-network-example"


@dataclass
class Journey:
    participant_id: uuid.UUID
    profile: Profile
    offer_id: uuid.UUID = field(default_factory=uuid.uuid4)
    events: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return FINAL_EVENT in self.events


def cohort_profile(index: int, rng: random.Random) -> Profile:
    """Roughly the 2022 mix for nurses: most need compensation, some get full equivalence."""
    compensation = rng.choice([CompensationMeasure.KNOWLEDGE_TEST, CompensationMeasure.ADAPTATION_COURSE, None])
    return Profile(compensation=compensation, fail_first_exam=compensation is not None and index % 3 == 0)


class PartnerPlay:
    """Reacts to the journey's events with the next partner commands, per participant."""

    def __init__(self, today: date | None = None) -> None:
        self.today = today or date.today()
        self.journeys: dict[str, Journey] = {}

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def start(self, profile: Profile, participant_id: uuid.UUID | None = None) -> list[BaseMessage]:
        pid = participant_id or uuid.uuid4()
        self.journeys[str(pid)] = Journey(pid, profile)
        return [
            RegisterCandidate(
                participant_id=pid,
                personal=PersonalData(
                    given_name=random.choice(GIVEN_NAMES),
                    family_name="Example",
                    email=f"participant-{str(pid)[:8]}@example.org",
                ),
                target_profession=Profession.NURSING_PROFESSIONAL,
                country_of_training="PH",
                language_level=CefrLevel.B1,
                residence=Residence.ABROAD,
                region=profile.region,
                referral_source=ReferralSource.COUNSELLING_ABROAD,
                partner_org=profile.partner_org,
                consents=frozenset({ConsentScope.EMPLOYER, ConsentScope.LANGUAGE_PROVIDER}),
            )
        ]

    def react(self, ce_type: str, body: dict[str, Any]) -> list[BaseMessage]:
        """The commands the partners send on seeing this event (none for a participant not ours)."""
        journey = self.journeys.get(str(body.get("participant_id")))
        if journey is None:
            return []
        name = ce_type.split(".")[2] if ce_type.count(".") >= 3 else ce_type
        journey.events.append(name)
        step = getattr(self, f"on_{name}", None)
        return list(step(journey, body)) if step else []

    def on_RecognitionCaseOpened(self, j: Journey, body: dict[str, Any]) -> list[BaseMessage]:
        pid = j.participant_id
        return [
            rc.SubmitApplication(
                participant_id=pid,
                authority="authority-example",
                reference_profession=Profession.NURSING_PROFESSIONAL,
                legal_basis=rc.LegalBasis.PFLBG,
                track=RecognitionTrack.STANDARD,
                submitted_on=self.day(-28),  # within the month the receipt confirmation is due in
            ),
            rc.ConfirmReceipt(participant_id=pid, received_on=self.day(-26), missing_documents=frozenset()),
            rc.CompleteApplication(participant_id=pid, complete_on=self.day(-24)),
        ]

    def on_ApplicationCompleted(self, j: Journey, body: dict[str, Any]) -> list[BaseMessage]:
        pid, measure = j.participant_id, j.profile.compensation
        if measure is None:
            return [
                rc.RecordDecision(
                    participant_id=pid,
                    outcome=RecognitionOutcome.FULL_EQUIVALENCE,
                    measures_offered=frozenset(),
                    decided_on=self.day(-10),
                )
            ]
        return [
            rc.RecordDecision(
                participant_id=pid,
                outcome=RecognitionOutcome.COMPENSATION_REQUIRED,
                decided_on=self.day(-10),
                measures_offered=frozenset({CompensationMeasure.KNOWLEDGE_TEST, CompensationMeasure.ADAPTATION_COURSE}),
            ),
            rc.ChooseCompensationMeasure(participant_id=pid, measure=measure, chosen_on=self.day(-9)),
        ]

    def on_MeasurePlanned(self, j: Journey, body: dict[str, Any]) -> list[BaseMessage]:
        pid, measure_id = j.participant_id, uuid.UUID(body["measure_id"])
        kind = q.MeasureKind(body["measure_kind"])
        enrol = q.EnrolInMeasure(participant_id=pid, measure_id=measure_id, enrolled_on=self.day(-8))
        if kind is q.MeasureKind.LANGUAGE_COURSE:
            return [
                enrol,
                q.RecordLanguageCertificate(
                    participant_id=pid,
                    certificate=LanguageCertificate.TELC,
                    level=CefrLevel(body["target_level"]),
                    language_domain=q.LanguageDomain(body.get("language_domain") or "general"),
                    obtained_on=self.day(-3),
                    measure_id=measure_id,
                ),
                q.CompleteMeasure(participant_id=pid, measure_id=measure_id, completed_on=self.day(-3)),
            ]
        if kind is q.MeasureKind.ADAPTATION_COURSE:
            return [enrol, q.CompleteMeasure(participant_id=pid, measure_id=measure_id, completed_on=self.day(-2))]
        assert j.profile.compensation is not None, "only a compensation measure ends in an exam"
        exam = COMPENSATION_EXAM[CompensationMeasure(j.profile.compensation)]
        results = [q.ExamResult.FAILED, q.ExamResult.PASSED] if j.profile.fail_first_exam else [q.ExamResult.PASSED]
        return [enrol] + [
            q.RecordExamResult(
                participant_id=pid, exam=exam, attempt=n, result=r, taken_on=self.day(-6 + n), measure_id=measure_id
            )
            for n, r in enumerate(results, start=1)
        ]

    def on_QualificationCompleted(self, j: Journey, body: dict[str, Any]) -> list[BaseMessage]:
        return [
            rc.GrantLicence(
                participant_id=j.participant_id, licence=rc.LicenceKind.NURSING_LICENCE, granted_on=self.day(-1)
            )
        ]

    def on_LicenceGranted(self, j: Journey, body: dict[str, Any]) -> list[BaseMessage]:
        pid, offer = j.participant_id, j.offer_id
        return [
            pl.RecordOffer(
                participant_id=pid,
                offer_id=offer,
                employer_id="care-home-example",
                role_level=pl.RoleLevel.SKILLED_WORKER,
                in_region=True,
                offered_on=self.day(-200),
            ),
            pl.ConfirmPlacement(
                participant_id=pid,
                offer_id=offer,
                contract_signed_on=self.day(-195),
                starts_on=self.day(-190),
                role_level=pl.RoleLevel.SKILLED_WORKER,
                in_region=True,
            ),
            pl.StartEmployment(participant_id=pid, started_on=self.day(-190)),
        ]

    def on_RetentionCheckDue(self, j: Journey, body: dict[str, Any]) -> list[BaseMessage]:
        if body["months"] != 6:
            return []
        return [
            pl.RecordRetentionCheck(
                participant_id=j.participant_id,
                months=6,
                still_employed=True,
                still_in_region=True,
                checked_on=self.today,
            )
        ]

"""A seeded cohort of twelve participants in two regions with chosen dates, whose figures are counted by hand in
the tests. Each cohort lives in a district and with organisations of its own, so that the figures of other tests
never mix in (the tests filter by the district or the organisations).

    S1..S7 in DE-SL (lead A), B1..B5 in DE-BY (lead B); C, an employer, is involved with S1, S2, S3, B1, B2
    (and released from S2's case on 2025-12-15).
    All recruited in 2025 except B5 (2024-12-15). Nurses except B4, B5 (doctors); S1-S5 trained in PH, S6-S7 in
    PL, the B's in IN.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date

from shared.calendar import add_months
from shared.contracts.counselling import CounsellingOutcome, CounsellingSessionHeld, CounsellingType
from shared.contracts.counselling import FirstContactRecorded as FirstContact
from shared.contracts.enums import (
    CefrLevel,
    CompensationMeasure,
    ConsentScope,
    Profession,
    RecognitionOutcome,
    RecognitionTrack,
    ReferralSource,
    Residence,
    Route,
)
from shared.contracts.envelope import BaseMessage
from shared.contracts.organisations import OrganisationInvolved, OrganisationRegistered, OrganisationReleased, OrgKind
from shared.contracts.placement import (
    EmploymentEnded,
    EmploymentEndNoticeDue,
    EmploymentEndReason,
    EmploymentStarted,
    OfferRecorded,
    RetentionCheckDue,
    RetentionCheckOverdue,
    RetentionCheckRecorded,
    RoleLevel,
)
from shared.contracts.qualification import (
    EnrolledInMeasure,
    ExamFinallyFailed,
    ExamKind,
    ExamPart,
    MeasureKind,
    QualificationCompleted,
)
from shared.contracts.recognition import (
    ApplicationCompleted,
    ApplicationSubmitted,
    DocumentKind,
    LegalBasis,
    LicenceGranted,
    LicenceKind,
    ReceiptConfirmed,
    RecognitionDecided,
)
from shared.contracts.recruitment import (
    OrgRole,
    ParticipantRecruited,
    ParticipantWithdrawn,
    ParticipationCompleted,
    ParticipationPaused,
    ParticipationResult,
    PauseReason,
    WithdrawalReason,
)
from shared.contracts.reporting import (
    AgeBand,
    EducationLevel,
    EntryIndicators,
    Gender,
    LabourMarketStatus,
    RecordEntryIndicators,
)

D = date

RECRUITED = {
    "S1": D(2025, 1, 10), "S2": D(2025, 1, 15), "S3": D(2025, 1, 20), "S4": D(2025, 2, 1), "S5": D(2025, 2, 10),
    "S6": D(2025, 3, 1), "S7": D(2025, 3, 5), "B1": D(2025, 1, 12), "B2": D(2025, 1, 25), "B3": D(2025, 2, 5),
    "B4": D(2025, 2, 20), "B5": D(2024, 12, 15),
}  # fmt: skip
SUBMITTED = {
    "S1": D(2025, 2, 9), "S2": D(2025, 2, 14), "S3": D(2025, 3, 1), "S4": D(2025, 3, 3), "S5": D(2025, 3, 22),
    "S6": D(2025, 4, 10), "B1": D(2025, 2, 11), "B2": D(2025, 3, 6), "B3": D(2025, 3, 7), "B4": D(2025, 4, 11),
}  # fmt: skip
FULL, COMPENSATION = RecognitionOutcome.FULL_EQUIVALENCE, RecognitionOutcome.COMPENSATION_REQUIRED
DECIDED = {
    "S1": (D(2025, 5, 10), FULL), "S2": (D(2025, 5, 15), COMPENSATION), "S3": (D(2025, 6, 9), FULL),
    "S4": (D(2025, 6, 1), FULL), "S5": (D(2025, 6, 30), COMPENSATION), "B1": (D(2025, 5, 12), FULL),
    "B2": (D(2025, 6, 14), FULL),
}  # fmt: skip
LICENSED = {"S1": D(2025, 6, 9), "S3": D(2025, 7, 9), "S4": D(2025, 7, 1), "B1": D(2025, 6, 11), "B2": D(2025, 7, 14)}
OFFERED = {
    "S1": D(2025, 7, 1), "S3": D(2025, 7, 15), "S4": D(2025, 8, 1), "B1": D(2025, 6, 20), "B2": D(2025, 8, 1),
    "S2": D(2025, 12, 1),
}  # fmt: skip
STARTED = {"S1": D(2025, 8, 8), "S3": D(2025, 8, 8), "S4": D(2025, 8, 30), "B1": D(2025, 7, 11), "B2": D(2025, 9, 12)}
COMPLETED = {
    "S1": D(2025, 10, 1), "S3": D(2025, 10, 15), "S4": D(2025, 11, 1), "B1": D(2025, 9, 1), "B2": D(2025, 12, 20),
}  # fmt: skip
FEMALE = {"S1", "S2", "S3", "S4", "S5", "S6", "B1", "B2"}
INACTIVE_AT_ENTRY = {"S1", "S2", "S3", "S4", "S5", "S6"}
INVOLVED_WITH_C = ("S1", "S2", "S3", "B1", "B2")


@dataclass
class Cohort:
    """The cohort's participants by name, its district and organisations."""

    run: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    district: str = field(default_factory=lambda: f"9{random.randrange(10000):04d}")
    ids: dict[str, uuid.UUID] = field(default_factory=lambda: {name: uuid.uuid4() for name in RECRUITED})

    @property
    def lead_sl(self) -> str:
        return f"iq-saar-{self.run}"

    @property
    def lead_by(self) -> str:
        return f"iq-bayern-{self.run}"

    @property
    def employer(self) -> str:
        return f"care-home-{self.run}"

    def __getitem__(self, name: str) -> uuid.UUID:
        return self.ids[name]

    def recruitment(self) -> list[tuple[BaseMessage, date | None]]:
        """Recruitment's facts and the indicators recruitment forwards (published last: other stages' facts come
        first, as they may)."""
        facts: list[tuple[BaseMessage, date | None]] = [
            (OrganisationRegistered(org_id=org, org_kind=kind, name=name, region=region, district=None,
                                    size_class=None), None)
            for org, kind, name, region in (
                (self.lead_sl, OrgKind.COUNSELLING_CENTRE, "IQ Beratung Saar Beispiel", "DE-SL"),
                (self.lead_by, OrgKind.COUNSELLING_CENTRE, "IQ Beratung Bayern Beispiel", "DE-BY"),
                (self.employer, OrgKind.EMPLOYER, "Pflegeheim Beispiel gGmbH", "DE-SL"),
            )
        ]  # fmt: skip
        for name, recruited_on in RECRUITED.items():
            pid = self[name]
            saarland = name.startswith("S")
            facts.append(
                (
                    ParticipantRecruited(
                        participant_id=pid,
                        target_profession=Profession.DOCTOR
                        if name in ("B4", "B5")
                        else Profession.NURSING_PROFESSIONAL,
                        isco_code=None,
                        country_of_training=("PH" if name < "S6" else "PL") if saarland else "IN",
                        language_level=CefrLevel.B1,
                        residence=Residence.IN_GERMANY,
                        region="DE-SL" if saarland else "DE-BY",
                        referral_source=ReferralSource.SELF,
                        partner_org=self.lead_sl if saarland else self.lead_by,
                        consents=frozenset({ConsentScope.EMPLOYER}),
                        district=self.district,
                    ),
                    recruited_on,
                )
            )
            indicators = EntryIndicators(
                gender=Gender.FEMALE if name in FEMALE else Gender.MALE,
                age_band=AgeBand.FROM_30_TO_54,
                education_level=EducationLevel.ISCED_5_8,
                labour_market_status=(
                    LabourMarketStatus.INACTIVE if name in INACTIVE_AT_ENTRY else LabourMarketStatus.UNEMPLOYED
                ),
            )
            facts.append(
                (RecordEntryIndicators(participant_id=pid, recorded_on=recruited_on, indicators=indicators), None)
            )
        for name in INVOLVED_WITH_C:
            involved = OrganisationInvolved(
                participant_id=self[name],
                org_id=self.employer,
                role=OrgRole.EMPLOYER,
                org_kind=OrgKind.EMPLOYER,
                involved_on=OFFERED[name],
            )
            facts.append((involved, None))
        # The employer no longer takes part in S2's case: it still counts S2, but no longer follows S2 up.
        released = OrganisationReleased(
            participant_id=self["S2"],
            org_id=self.employer,
            role=OrgRole.EMPLOYER,
            released_on=D(2025, 12, 15),
        )
        facts.append((released, None))
        for name in ("S1", "S2", "S3", "S4", "S5"):
            held_on = D.fromordinal(RECRUITED[name].toordinal() + 3)
            facts.append(
                (
                    CounsellingSessionHeld(
                        participant_id=self[name],
                        held_on=held_on,
                        org_id=self.lead_sl,
                        counselling_type=CounsellingType.RECOGNITION,
                        outcome=CounsellingOutcome.NO_FURTHER_NEED,
                    ),
                    None,
                )
            )
        for month in range(1, 7):  # six anonymous first contacts in DE-SL
            facts.append(
                (
                    FirstContact(
                        contact_id=uuid.uuid4(),
                        held_on=D(2025, month, 2),
                        org_id=self.lead_sl,
                        counselling_type=CounsellingType.RECOGNITION,
                        outcome=CounsellingOutcome.NO_FURTHER_NEED,
                        region="DE-SL",
                        district=self.district,
                    ),
                    None,
                )
            )
        facts += [
            (
                ParticipantWithdrawn(
                    participant_id=self["S7"], reason=WithdrawalReason.MOVED_AWAY, withdrawn_on=D(2025, 5, 20)
                ),
                None,
            ),
            (
                ParticipationPaused(
                    participant_id=self["B4"],
                    reason=PauseReason.ILLNESS,
                    paused_on=D(2025, 9, 1),
                    expected_return_on=D(2026, 3, 1),
                ),
                None,
            ),
        ]
        for name, completed_on in COMPLETED.items():
            result = (
                ParticipationResult.RECOGNISED_AND_EMPLOYED
                if name == "B2"
                else ParticipationResult.LICENSED_AND_EMPLOYED
            )
            facts.append(
                (
                    ParticipationCompleted(participant_id=self[name], result=result, completed_on=completed_on),
                    None,
                )
            )
        return facts

    def recognition(self) -> list[BaseMessage]:
        facts: list[BaseMessage] = []
        for name, submitted_on in SUBMITTED.items():
            doctor = name == "B4"
            facts.append(
                ApplicationSubmitted(
                    participant_id=self[name],
                    authority=f"authority-{self.run}",
                    reference_profession=Profession.DOCTOR if doctor else Profession.NURSING_PROFESSIONAL,
                    legal_basis=LegalBasis.BAEO if doctor else LegalBasis.PFLBG,
                    track=RecognitionTrack.STANDARD,
                    submitted_on=submitted_on,
                    route=Route.DOCTOR if doctor else Route.NURSE,
                    receipt_due_on=add_months(submitted_on, 1),
                )
            )
        facts += [
            ReceiptConfirmed(
                participant_id=self["B4"],
                received_on=D(2025, 4, 30),
                missing_documents=frozenset({DocumentKind.CERTIFIED_TRANSLATION}),
                documents_due_on=D(2025, 6, 15),
            ),
            ReceiptConfirmed(participant_id=self["B3"], received_on=D(2025, 3, 20), missing_documents=frozenset()),
            ApplicationCompleted(participant_id=self["B3"], complete_on=D(2025, 4, 1), decision_due_on=D(2025, 7, 1)),
        ]
        for name, (decided_on, outcome) in DECIDED.items():
            measures = frozenset({CompensationMeasure.KNOWLEDGE_TEST}) if outcome is COMPENSATION else frozenset()
            facts.append(
                RecognitionDecided(
                    participant_id=self[name], outcome=outcome, measures_offered=measures, decided_on=decided_on
                )
            )
        for name, granted_on in LICENSED.items():
            facts.append(
                LicenceGranted(
                    participant_id=self[name],
                    licence=LicenceKind.NURSING_LICENCE,
                    granted_on=granted_on,
                    valid_until=None,
                )
            )
        return facts

    def qualification(self) -> list[BaseMessage]:
        s2, s5, s7 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        return [
            QualificationCompleted(
                participant_id=self["S1"], completed_on=D(2025, 6, 5), language_level=CefrLevel.B2, route=Route.NURSE
            ),
            EnrolledInMeasure(
                participant_id=self["S2"],
                measure_id=s2,
                measure_kind=MeasureKind.ADAPTATION_COURSE,
                enrolled_on=D(2025, 6, 1),
                expected_end_on=None,
            ),
            QualificationCompleted(
                participant_id=self["S2"], completed_on=D(2025, 11, 20), language_level=CefrLevel.B2, route=Route.NURSE
            ),
            EnrolledInMeasure(
                participant_id=self["S5"],
                measure_id=s5,
                measure_kind=MeasureKind.KNOWLEDGE_TEST_PREPARATION,
                enrolled_on=D(2025, 7, 15),
                expected_end_on=None,
            ),
            ExamFinallyFailed(
                participant_id=self["S5"],
                exam=ExamKind.KNOWLEDGE_TEST,
                part=ExamPart.PRACTICAL,
                attempts=2,
                failed_on=D(2025, 12, 1),
                measure_id=s5,
            ),
            EnrolledInMeasure(
                participant_id=self["S7"],
                measure_id=s7,
                measure_kind=MeasureKind.LANGUAGE_COURSE,
                enrolled_on=D(2025, 4, 1),
                expected_end_on=None,
            ),
        ]

    def placement(self) -> list[BaseMessage]:
        facts: list[BaseMessage] = []
        for name, offered_on in OFFERED.items():
            facts.append(
                OfferRecorded(
                    participant_id=self[name],
                    offer_id=uuid.uuid4(),
                    employer_id=self.employer,
                    role_level=RoleLevel.SKILLED_WORKER,
                    in_region=True,
                    offered_on=offered_on,
                )
            )
        for name, started_on in STARTED.items():
            facts.append(
                EmploymentStarted(
                    participant_id=self[name],
                    employer_id=self.employer,
                    role_level=RoleLevel.SKILLED_WORKER,
                    in_region=True,
                    started_on=started_on,
                )
            )
            facts.append(RetentionCheckDue(participant_id=self[name], months=6, due_on=add_months(started_on, 6)))
        b1 = self["B1"]
        facts += [
            EmploymentEnded(
                participant_id=b1,
                ended_on=D(2025, 11, 30),
                reason=EmploymentEndReason.RESIGNED,
                authority_notice_due_on=D(2025, 12, 28),
            ),
            EmploymentEndNoticeDue(
                participant_id=b1, employer_id=self.employer, ended_on=D(2025, 11, 30), notice_due_on=D(2025, 12, 28)
            ),
            RetentionCheckOverdue(participant_id=self["S4"], months=6, due_on=D(2026, 2, 28)),
            RetentionCheckRecorded(
                participant_id=self["S1"], months=6, still_employed=True, still_in_region=True,
                checked_on=D(2026, 2, 10),
            ),
            RetentionCheckRecorded(
                participant_id=b1, months=6, still_employed=False, still_in_region=True, checked_on=D(2026, 1, 15)
            ),
        ]  # fmt: skip
        return facts

    def everything(self) -> list[tuple[BaseMessage, date | None]]:
        """The other stages' facts first, then recruitment's (Kafka orders no two topics)."""
        others = [*self.recognition(), *self.qualification(), *self.placement()]
        return [*((m, None) for m in others), *self.recruitment()]

"""One worked walk per route: the commands a partner sends, in order, and the events it waits for between them.

The same walks are the partner guide's worked examples (rendered with fixed dates), the end-to-end tests (each one
played against the five services, side by side) and the simulator's and load generator's participants (played in
the mix `MIX` gives). A walk only sends what a partner can know from the guide: its own ids (measures and offers
it plans itself, derived here from the participant so a replay sends the same ones) and dates; it waits where a
command depends on another stage having caught up.

Dates are relative to the day the walk is played: the application goes in 28 days before (inside the month the
receipt confirmation is due in, so no `ReceiptOverdue` races the confirmation) and the decision is due months after,
so no deadline passes while a walk plays; the employment starts the day before.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from shared.contracts import counselling as co
from shared.contracts import organisations as og
from shared.contracts import placement as pl
from shared.contracts import qualification as q
from shared.contracts import recognition as rc
from shared.contracts.enums import (
    CefrLevel,
    CompensationMeasure,
    ConsentScope,
    LanguageCertificate,
    Milestone,
    Profession,
    RecognitionOutcome,
    RecognitionTrack,
    ReferralSource,
    Residence,
    Route,
)
from shared.contracts.envelope import BaseMessage
from shared.contracts.notifications import RecipientKind, RegisterRecipient
from shared.contracts.recruitment import (
    CompleteParticipation,
    ConsentMethod,
    OrgRole,
    ParticipationResult,
    PauseParticipation,
    PauseReason,
    PersonalData,
    RegisterCandidate,
    ResumeParticipation,
    RevokeConsent,
)
from shared.contracts.topics import Stage

WALK_NAMESPACE = uuid.UUID("6d0c3f7e-2b8a-4c51-9e3d-7a1f0b5c2d94")
NOBODY = uuid.UUID(int=0)
GIVEN_NAMES = ["Amara", "Luis", "Mei", "Olek", "Priya", "Tunde", "Sofia", "Jomo", "Lina", "Ravi"]


@dataclass(frozen=True)
class Send:
    message: BaseMessage


@dataclass(frozen=True)
class Await:
    """Wait for the next `event` (its class name) on `stage`'s events topic about this participant (or about `key`:
    an organisation, a recipient, a first contact)."""

    stage: Stage
    event: str
    why: str
    key: str | None = None
    where: tuple[tuple[str, str], ...] = ()
    """Fields the event must have (e.g. the milestone and recipient of a NotificationSent)."""

    def matches(self, name: str, body: Mapping[str, object]) -> bool:
        return name == self.event and all(str(body.get(k)) == v for k, v in self.where)


Step = Send | Await


@dataclass(frozen=True)
class Walk:
    name: str
    route: Route | None  # None: not a route's walk (counselling, organisations, the life cycle)
    title: str
    steps: tuple[Step, ...]
    milestones: tuple[Milestone, ...]
    """Every milestone the walk reaches, once per time (a coordinator subscribed to all gets these mails)."""
    ends_with: str
    """The event that shows the walk is through."""
    participant_id: uuid.UUID = NOBODY  # set by `walk()`
    mailboxes: Mapping[str, tuple[Milestone, ...]] = field(default_factory=dict)
    """For organisations the walk registers a mailbox for: the milestones each is told (its role, the consent)."""

    def sends(self) -> Iterator[BaseMessage]:
        return (step.message for step in self.steps if isinstance(step, Send))


@dataclass
class _Script:
    """Builds a walk's steps; `day(n)` is n days from the day played, `id(label)` an id of the participant's own."""

    participant_id: uuid.UUID
    today: date
    region: str
    partner_org: str
    steps: list[Step] = field(default_factory=list)

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def id(self, label: str) -> uuid.UUID:
        return uuid.uuid5(WALK_NAMESPACE, f"{self.participant_id}:{label}")

    def send(self, *messages: BaseMessage) -> None:
        self.steps.extend(Send(m) for m in messages)

    def wait(self, stage: Stage, event: str, why: str, key: str | None = None, **where: str) -> None:
        self.steps.append(Await(stage, event, why, key, tuple(sorted(where.items()))))

    # Steps most walks share.

    def register(
        self,
        profession: Profession,
        country: str,
        level: CefrLevel,
        occupation: str,
        *,
        consents: frozenset[ConsentScope] = frozenset({ConsentScope.EMPLOYER, ConsentScope.LANGUAGE_PROVIDER}),
        role: OrgRole = OrgRole.COUNSELLING_CENTRE,
    ) -> None:
        pid = self.participant_id
        self.send(
            RegisterCandidate(
                participant_id=pid,
                personal=PersonalData(
                    given_name=GIVEN_NAMES[pid.int % len(GIVEN_NAMES)],
                    family_name="Example",
                    email=f"participant-{str(pid)[:8]}@example.org",
                ),
                target_profession=profession,
                occupation=occupation,
                country_of_training=country,
                language_level=level,
                residence=Residence.ABROAD,
                region=self.region,
                referral_source=ReferralSource.COUNSELLING_ABROAD,
                partner_org=self.partner_org,
                consents=consents,
                partner_role=role,
                consent_form_version="consent-2026-01" if consents else None,
                consent_method=ConsentMethod.WRITTEN if consents else None,
            )
        )
        self.wait(Stage.RECOGNITION, "RecognitionCaseOpened", "recognition knows the participant")

    def apply(
        self,
        profession: Profession,
        legal_basis: rc.LegalBasis,
        *,
        occupation: str | None = None,
        regulated: bool | None = None,
        start: int = -28,
    ) -> None:
        """Application, receipt and complete file, each a couple of days apart from `start`."""
        pid = self.participant_id
        self.send(
            rc.SubmitApplication(
                participant_id=pid,
                authority="authority-example",
                reference_profession=profession,
                legal_basis=legal_basis,
                track=RecognitionTrack.STANDARD,
                submitted_on=self.day(start),
                occupation=occupation,
                regulated=regulated,
            ),
            rc.ConfirmReceipt(participant_id=pid, received_on=self.day(start + 2), missing_documents=frozenset()),
            rc.CompleteApplication(participant_id=pid, complete_on=self.day(start + 4)),
        )

    def decide(self, outcome: RecognitionOutcome, on: int, *measures: CompensationMeasure) -> None:
        self.send(
            rc.RecordDecision(
                participant_id=self.participant_id,
                outcome=outcome,
                measures_offered=frozenset(measures),
                decided_on=self.day(on),
            )
        )

    def choose(self, measure: CompensationMeasure, on: int) -> None:
        self.send(
            rc.ChooseCompensationMeasure(participant_id=self.participant_id, measure=measure, chosen_on=self.day(on))
        )

    def plan(
        self,
        label: str,
        kind: q.MeasureKind,
        provider: str,
        on: int,
        level: CefrLevel | None = None,
        domain: q.LanguageDomain | None = None,
    ) -> uuid.UUID:
        """Plan a measure of the partner's own and enrol in it the same day."""
        pid, measure_id = self.participant_id, self.id(label)
        self.send(
            q.PlanMeasure(
                participant_id=pid,
                measure_id=measure_id,
                measure_kind=kind,
                provider_id=provider,
                target_level=level,
                language_domain=domain,
                starts_on=self.day(on),
            ),
            q.EnrolInMeasure(participant_id=pid, measure_id=measure_id, enrolled_on=self.day(on)),
        )
        return measure_id

    def language(
        self,
        label: str,
        level: CefrLevel,
        domain: q.LanguageDomain,
        on: int,
        certificate: LanguageCertificate,
        provider: str = "language-school-example",
    ) -> None:
        """A language course of the partner's own, its certificate and its completion."""
        pid = self.participant_id
        course = self.plan(label, q.MeasureKind.LANGUAGE_COURSE, provider, on - 60, level, domain)
        self.send(
            q.RecordLanguageCertificate(
                participant_id=pid,
                certificate=certificate,
                level=level,
                language_domain=domain,
                obtained_on=self.day(on),
                measure_id=course,
            ),
            q.CompleteMeasure(participant_id=pid, measure_id=course, completed_on=self.day(on)),
        )

    def exam(
        self,
        exam: q.ExamKind,
        attempt: int,
        result: q.ExamResult,
        on: int,
        measure_id: uuid.UUID | None = None,
        part: q.ExamPart | None = None,
    ) -> None:
        self.send(
            q.RecordExamResult(
                participant_id=self.participant_id,
                exam=exam,
                attempt=attempt,
                result=result,
                taken_on=self.day(on),
                measure_id=measure_id,
                part=part,
            )
        )

    def licence(self, licence: rc.LicenceKind, on: int) -> None:
        self.wait(Stage.RECOGNITION, "LicenceConditionsMet", "recognition accepts the licence from now on")
        self.send(rc.GrantLicence(participant_id=self.participant_id, licence=licence, granted_on=self.day(on)))

    def employ(self, employer: str, role: pl.RoleLevel, start: int = -1) -> None:
        """Offer, contract and first working day (yesterday, unless `start` says otherwise)."""
        pid, offer = self.participant_id, self.id("offer")
        self.send(
            pl.RecordOffer(
                participant_id=pid,
                offer_id=offer,
                employer_id=employer,
                role_level=role,
                in_region=True,
                offered_on=self.day(start - 19),
            ),
            pl.ConfirmPlacement(
                participant_id=pid,
                offer_id=offer,
                contract_signed_on=self.day(start - 9),
                starts_on=self.day(start),
                role_level=role,
                in_region=True,
            ),
            pl.StartEmployment(participant_id=pid, started_on=self.day(start)),
        )
        self.wait(Stage.PLACEMENT, "EmploymentStarted", "the walk is through")

    # Organisations around the participant (issue 12).

    def org(self, label: str) -> str:
        """An organisation id of this walk's own (so that walks played side by side do not share mailboxes)."""
        return f"{label}-{str(self.participant_id)[:8]}"

    def organisation(self, label: str, kind: og.OrgKind, size: og.SizeClass | None = None) -> str:
        """Register the organisation and its mailbox (a directory recipient for every milestone), and wait for both."""
        org_id = self.org(label)
        self.send(
            og.RegisterOrganisation(org_id=org_id, org_kind=kind, region=self.region, size_class=size),
            self.mailbox(org_id),
        )
        self.wait(Stage.RECRUITMENT, "OrganisationRegistered", "the organisation is known", key=org_id)
        self.wait(Stage.NOTIFICATIONS, "RecipientRegistered", "its mailbox is in the directory", key=org_id)
        return org_id

    def mailbox(self, org_id: str) -> RegisterRecipient:
        return RegisterRecipient(
            recipient_id=org_id,
            recipient_kind=RecipientKind.PARTNER_ORGANISATION,
            email=f"{org_id}@example.org",
            display_name=f"{org_id} (Beispiel)",
            partner_org=org_id,
            milestones=frozenset(Milestone),
        )

    def involve(self, org_id: str, role: OrgRole, on: int) -> None:
        self.send(og.InvolveOrganisation(participant_id=self.participant_id, org_id=org_id, role=role,
                                         involved_on=self.day(on)))  # fmt: skip
        self.wait(Stage.RECRUITMENT, "OrganisationInvolved", f"{org_id} takes part before what it should hear of")


MS = Milestone
APPLIED = (MS.APPLICATION_SUBMITTED, MS.APPLICATION_COMPLETE, MS.RECOGNITION_DECIDED)
EMPLOYED = (MS.PLACEMENT_CONFIRMED, MS.EMPLOYMENT_STARTED)


def doctor_third_country(s: _Script) -> Walk:
    """A doctor trained in Egypt: B2, the Fachsprachprüfung (C1), a failed first knowledge-test attempt, a
    Berufserlaubnis in between, the Approbation."""
    kt = q.ExamKind.KNOWLEDGE_TEST
    s.register(Profession.DOCTOR, "EG", CefrLevel.B1, "81404")
    s.apply(Profession.DOCTOR, rc.LegalBasis.BAEO, occupation="81404")
    s.send(
        rc.GrantLicence(
            participant_id=s.participant_id,
            licence=rc.LicenceKind.BERUFSERLAUBNIS,
            granted_on=s.day(-22),
            valid_until=s.day(600),
        )
    )
    s.decide(RecognitionOutcome.COMPENSATION_REQUIRED, -20, CompensationMeasure.KNOWLEDGE_TEST)
    s.choose(CompensationMeasure.KNOWLEDGE_TEST, -19)
    s.language("german-b2", CefrLevel.B2, q.LanguageDomain.GENERAL, -15, LanguageCertificate.GOETHE)
    medical = s.plan("german-c1-medical", q.MeasureKind.LANGUAGE_COURSE, "language-school-example", -70,
                     CefrLevel.C1, q.LanguageDomain.MEDICAL)  # fmt: skip
    s.exam(q.ExamKind.FACHSPRACHPRUEFUNG, 1, q.ExamResult.PASSED, -12, medical)
    s.send(q.CompleteMeasure(participant_id=s.participant_id, measure_id=medical, completed_on=s.day(-12)))
    preparation = s.plan("knowledge-test", q.MeasureKind.KNOWLEDGE_TEST_PREPARATION, "medical-academy-example", -18)
    s.exam(kt, 1, q.ExamResult.FAILED, -10, preparation)
    s.exam(kt, 2, q.ExamResult.PASSED, -4, preparation)
    s.licence(rc.LicenceKind.APPROBATION, -2)
    s.employ("hospital-example", pl.RoleLevel.SKILLED_WORKER)
    milestones = (
        MS.PARTICIPANT_RECRUITED, *APPLIED, MS.LICENCE_GRANTED, MS.EXAM_FAILED, MS.LANGUAGE_TARGET_REACHED,
        MS.QUALIFICATION_COMPLETED, MS.LICENCE_GRANTED, *EMPLOYED,
    )  # fmt: skip
    return Walk("doctor", Route.DOCTOR, doctor_third_country.__doc__ or "", (), milestones, "EmploymentStarted")


def nurse_adaptation_course(s: _Script) -> Walk:
    """A nurse trained in the Philippines chooses the adaptation course, completes it with its final interview,
    proves B2 and gets the licence to use the title."""
    s.register(Profession.NURSING_PROFESSIONAL, "PH", CefrLevel.B1, "81302")
    s.apply(Profession.NURSING_PROFESSIONAL, rc.LegalBasis.PFLBG, occupation="81302")
    s.decide(RecognitionOutcome.COMPENSATION_REQUIRED, -20, CompensationMeasure.ADAPTATION_COURSE,
             CompensationMeasure.KNOWLEDGE_TEST)  # fmt: skip
    s.choose(CompensationMeasure.ADAPTATION_COURSE, -19)
    course = s.plan("adaptation-course", q.MeasureKind.ADAPTATION_COURSE, "care-academy-example", -18)
    s.language("german-b2", CefrLevel.B2, q.LanguageDomain.PROFESSIONAL, -8, LanguageCertificate.TELC)
    s.send(q.CompleteMeasure(participant_id=s.participant_id, measure_id=course, completed_on=s.day(-4)))
    s.licence(rc.LicenceKind.NURSING_LICENCE, -2)
    s.employ("care-home-example", pl.RoleLevel.SKILLED_WORKER)
    milestones = (
        MS.PARTICIPANT_RECRUITED, *APPLIED, MS.LANGUAGE_TARGET_REACHED, MS.QUALIFICATION_COMPLETED,
        MS.LICENCE_GRANTED, *EMPLOYED,
    )  # fmt: skip
    return Walk("nurse-adaptation", Route.NURSE, nurse_adaptation_course.__doc__ or "", (), milestones,
                "EmploymentStarted")  # fmt: skip


def nurse_final_failure(s: _Script) -> Walk:
    """A nurse starts the adaptation course, leaves it for the knowledge test, passes its oral part and fails the
    practical part twice: the knowledge test is finally failed, and the coordinator is told."""
    kt, practical = q.ExamKind.KNOWLEDGE_TEST, q.ExamPart.PRACTICAL
    s.register(Profession.NURSING_PROFESSIONAL, "IN", CefrLevel.B2, "81302")
    s.apply(Profession.NURSING_PROFESSIONAL, rc.LegalBasis.PFLBG)
    s.decide(RecognitionOutcome.COMPENSATION_REQUIRED, -20, CompensationMeasure.ADAPTATION_COURSE,
             CompensationMeasure.KNOWLEDGE_TEST)  # fmt: skip
    s.choose(CompensationMeasure.ADAPTATION_COURSE, -19)
    s.wait(Stage.RECOGNITION, "CompensationMeasureChosen", "the choice is recorded")
    s.plan("adaptation-course", q.MeasureKind.ADAPTATION_COURSE, "care-academy-example", -18)
    s.wait(Stage.QUALIFICATION, "EnrolledInMeasure", "the course has begun before the participant leaves it")
    s.choose(CompensationMeasure.KNOWLEDGE_TEST, -15)  # the service drops the adaptation course (measure_changed)
    s.wait(Stage.RECOGNITION, "CompensationMeasureChosen", "the change is recorded before the exams are sat")
    preparation = s.plan("knowledge-test", q.MeasureKind.KNOWLEDGE_TEST_PREPARATION, "care-academy-example", -14)
    s.exam(kt, 1, q.ExamResult.PASSED, -9, preparation, q.ExamPart.ORAL)
    s.exam(kt, 1, q.ExamResult.FAILED, -8, preparation, practical)
    s.exam(kt, 2, q.ExamResult.FAILED, -3, preparation, practical)
    s.wait(Stage.QUALIFICATION, "ExamFinallyFailed", "the walk is through")
    milestones = (MS.PARTICIPANT_RECRUITED, *APPLIED, MS.EXAM_FAILED, MS.EXAM_FAILED, MS.EXAM_FINALLY_FAILED)
    return Walk("nurse-final-failure", Route.NURSE, nurse_final_failure.__doc__ or "", (), milestones,
                "ExamFinallyFailed")  # fmt: skip


def educator_regulated(s: _Script) -> Walk:
    """An educator trained in Colombia, regulated by Land law: compensation required, the aptitude test chosen and
    passed, then the state recognition as Erzieherin."""
    s.register(Profession.OTHER, "CO", CefrLevel.B2, "83112")
    s.apply(Profession.OTHER, rc.LegalBasis.LAND_BQFG, occupation="83112")
    s.decide(RecognitionOutcome.COMPENSATION_REQUIRED, -20, CompensationMeasure.ADAPTATION_COURSE,
             CompensationMeasure.APTITUDE_TEST)  # fmt: skip
    s.choose(CompensationMeasure.APTITUDE_TEST, -19)
    preparation = s.plan("aptitude-test", q.MeasureKind.APTITUDE_TEST_PREPARATION, "social-academy-example", -18)
    s.exam(q.ExamKind.APTITUDE_TEST, 1, q.ExamResult.PASSED, -5, preparation)
    s.licence(rc.LicenceKind.OTHER, -2)
    s.employ("day-care-example", pl.RoleLevel.SKILLED_WORKER)
    milestones = (MS.PARTICIPANT_RECRUITED, *APPLIED, MS.QUALIFICATION_COMPLETED, MS.LICENCE_GRANTED, *EMPLOYED)
    return Walk("educator", Route.REGULATED, educator_regulated.__doc__ or "", (), milestones, "EmploymentStarted")


def engineer_comparability(s: _Script) -> Walk:
    """An engineer with a degree from Brazil: the ZAB's statement of comparability, then straight to placement."""
    s.register(Profession.OTHER, "BR", CefrLevel.B2, "27104")
    s.send(rc.RecordComparabilityStatement(participant_id=s.participant_id, issued_on=s.day(-21), occupation="27104"))
    s.wait(Stage.QUALIFICATION, "QualificationCompleted", "nothing more to prove on this route")
    s.employ("engineering-firm-example", pl.RoleLevel.SKILLED_WORKER)
    milestones = (MS.PARTICIPANT_RECRUITED, MS.COMPARABILITY_STATED, MS.QUALIFICATION_COMPLETED, *EMPLOYED)
    return Walk("engineer", Route.STATEMENT_OF_COMPARABILITY, engineer_comparability.__doc__ or "", (), milestones,
                "EmploymentStarted")  # fmt: skip


def electrician_partial(s: _Script) -> Walk:
    """An electrician trained in Turkey: partial equivalence from the Handwerkskammer, an adaptation qualification,
    a follow-up application, full equivalence."""
    pid = s.participant_id
    s.register(Profession.OTHER, "TR", CefrLevel.B1, "26212")
    s.apply(Profession.OTHER, rc.LegalBasis.BQFG, occupation="26212", regulated=False, start=-28)
    s.decide(RecognitionOutcome.PARTIAL_EQUIVALENCE, -22)
    s.wait(Stage.RECOGNITION, "RecognitionDecided", "the adaptation qualification answers the partial notice")
    course = s.plan("adaptation-qualification", q.MeasureKind.ADAPTATION_QUALIFICATION, "craft-trainer-example", -21)
    s.send(q.CompleteMeasure(participant_id=pid, measure_id=course, completed_on=s.day(-13)))
    s.apply(Profession.OTHER, rc.LegalBasis.BQFG, occupation="26212", regulated=False, start=-12)
    s.decide(RecognitionOutcome.FULL_EQUIVALENCE, -3)
    s.wait(Stage.RECOGNITION, "RecognitionDecided", "full equivalence")
    s.employ("electrical-firm-example", pl.RoleLevel.SKILLED_WORKER)
    milestones = (MS.PARTICIPANT_RECRUITED, *APPLIED, MS.QUALIFICATION_COMPLETED, *APPLIED, *EMPLOYED)
    return Walk("electrician", Route.NON_REGULATED, electrician_partial.__doc__ or "", (), milestones,
                "EmploymentStarted")  # fmt: skip


def no_recognition_needed(s: _Script) -> Walk:
    """A warehouse logistics worker from Ukraine: the counselling advises no procedure; a job-related language
    course, then work."""
    s.register(Profession.OTHER, "UA", CefrLevel.A2, "51312")
    s.send(
        rc.RecordNoRecognitionNeeded(
            participant_id=s.participant_id, decided_on=s.day(-25), partner_org=s.partner_org, occupation="51312"
        )
    )
    s.wait(Stage.RECOGNITION, "RecognitionNotNeeded", "qualification goes on")
    s.language("german-b1", CefrLevel.B1, q.LanguageDomain.PROFESSIONAL, -6, LanguageCertificate.TELC)
    s.wait(Stage.QUALIFICATION, "QualificationCompleted", "the course is done")
    s.employ("logistics-example", pl.RoleLevel.SKILLED_WORKER)
    milestones = (MS.PARTICIPANT_RECRUITED, MS.RECOGNITION_NOT_NEEDED, MS.QUALIFICATION_COMPLETED, *EMPLOYED)
    return Walk("no-recognition", Route.NO_RECOGNITION_NEEDED, no_recognition_needed.__doc__ or "", (), milestones,
                "EmploymentStarted")  # fmt: skip


def trainee(s: _Script) -> Walk:
    """A young woman from Vietnam trains as a Pflegefachfrau in Germany: start, nursing school, final examination,
    the licence to use the title."""
    pid = s.participant_id
    s.register(Profession.NURSING_PROFESSIONAL, "VN", CefrLevel.B2, "81302")
    s.send(
        rc.StartTraining(
            participant_id=pid,
            school_id="nursing-school-example",
            profession=Profession.NURSING_PROFESSIONAL,
            occupation="81302",
            starts_on=s.day(-3 * 365),
            expected_end_on=s.day(-10),
        ),
        rc.CompleteTraining(participant_id=pid, completed_on=s.day(-10)),
        rc.GrantLicence(participant_id=pid, licence=rc.LicenceKind.NURSING_LICENCE, granted_on=s.day(-5)),
    )
    s.employ("care-home-example", pl.RoleLevel.SKILLED_WORKER)
    milestones = (
        MS.PARTICIPANT_RECRUITED, MS.TRAINING_STARTED, MS.TRAINING_COMPLETED, MS.QUALIFICATION_COMPLETED,
        MS.LICENCE_GRANTED, *EMPLOYED,
    )  # fmt: skip
    return Walk("trainee", Route.VOCATIONAL_TRAINING, trainee.__doc__ or "", (), milestones, "EmploymentStarted")


WALKS: dict[str, Callable[[_Script], Walk]] = {
    "doctor": doctor_third_country,
    "nurse-adaptation": nurse_adaptation_course,
    "nurse-final-failure": nurse_final_failure,
    "educator": educator_regulated,
    "engineer": engineer_comparability,
    "electrician": electrician_partial,
    "no-recognition": no_recognition_needed,
    "trainee": trainee,
}

# Counselling, organisations, consent and the life cycle (issue 12): not routes, but what happens around them.


def first_contact(s: _Script) -> Walk:
    """An anonymous first contact at a counselling centre (Arabic, with an interpreter) recommends the nurse's route;
    the person registers, the contact is linked, and a qualification counselling refers her to a language school."""
    centre = s.partner_org = s.organisation("counselling-centre", og.OrgKind.COUNSELLING_CENTRE)
    contact = s.id("first-contact")
    s.send(
        co.RecordFirstContact(
            contact_id=contact,
            held_on=s.day(-40),
            org_id=centre,
            counselling_type=co.CounsellingType.RECOGNITION,
            counselling_language="ar",
            interpreter_used=True,
            outcome=co.CounsellingOutcome.ROUTE_RECOMMENDED,
            route_recommended=Route.NURSE,
            follow_up_on=s.day(-33),
            region=s.region,
            profession=Profession.NURSING_PROFESSIONAL,
            country_of_training="SY",
        )
    )
    s.wait(Stage.RECRUITMENT, "FirstContactRecorded", "counted, without personal data", key=str(contact))
    s.register(Profession.NURSING_PROFESSIONAL, "SY", CefrLevel.B1, "81302")
    s.send(
        co.LinkFirstContact(participant_id=s.participant_id, contact_id=contact, linked_on=s.day(-33)),
        co.RecordCounsellingSession(
            participant_id=s.participant_id,
            held_on=s.day(-33),
            org_id=centre,
            counselling_type=co.CounsellingType.QUALIFICATION,
            outcome=co.CounsellingOutcome.REFERRAL,
            referred_to=s.org("language-school"),
            follow_up_on=s.day(-5),
        ),
    )
    s.wait(Stage.RECRUITMENT, "FirstContactLinked", "the contact counts for the participant")
    s.wait(Stage.RECRUITMENT, "ReferralMade", "the walk is through")
    milestones = (MS.PARTICIPANT_RECRUITED, MS.COUNSELLING_HELD, MS.REFERRAL_MADE)
    return Walk("first-contact", None, first_contact.__doc__ or "", (), milestones, "ReferralMade",
                mailboxes={centre: milestones})  # fmt: skip


def organisations_around_a_nurse(s: _Script) -> Walk:
    """A counselling centre registers a nurse, a language school teaches her and a care home hires her: each is
    told what its role and her consent allow, and nothing else."""
    centre = s.partner_org = s.organisation("counselling-centre", og.OrgKind.COUNSELLING_CENTRE)
    school = s.organisation("language-school", og.OrgKind.LANGUAGE_SCHOOL)
    home = s.organisation("care-home", og.OrgKind.EMPLOYER, og.SizeClass.MEDIUM)
    s.register(Profession.NURSING_PROFESSIONAL, "PH", CefrLevel.B1, "81302")  # consents: employer, language provider
    s.involve(school, OrgRole.MEASURE_PROVIDER, -60)
    s.involve(home, OrgRole.EMPLOYER, -40)
    s.apply(Profession.NURSING_PROFESSIONAL, rc.LegalBasis.PFLBG, occupation="81302")
    s.decide(RecognitionOutcome.FULL_EQUIVALENCE, -20)
    s.language("german-b2", CefrLevel.B2, q.LanguageDomain.PROFESSIONAL, -8, LanguageCertificate.TELC, school)
    s.licence(rc.LicenceKind.NURSING_LICENCE, -2)
    s.employ(home, pl.RoleLevel.SKILLED_WORKER)
    decided = (MS.RECOGNITION_DECIDED, MS.LANGUAGE_TARGET_REACHED, MS.QUALIFICATION_COMPLETED)
    everything = (MS.PARTICIPANT_RECRUITED, *APPLIED[:2], *decided, MS.LICENCE_GRANTED, *EMPLOYED)
    mailboxes = {
        centre: everything,  # the lead: every milestone
        school: decided,  # measure provider, with the language-provider consent
        home: (MS.RECOGNITION_DECIDED, MS.QUALIFICATION_COMPLETED, MS.LICENCE_GRANTED, *EMPLOYED),  # employer
    }
    return Walk("organisations", None, organisations_around_a_nurse.__doc__ or "", (), everything,
                "EmploymentStarted", mailboxes=mailboxes)  # fmt: skip


def lead_handover(s: _Script) -> Walk:
    """A recruiting partner abroad registers a nurse and hands the lead over to a counselling centre in Germany:
    from then on the centre hears of her application, the recruiter (without the employer consent) no longer does."""
    recruiter = s.partner_org = s.organisation("recruiter", og.OrgKind.RECRUITING_PARTNER)
    centre = s.organisation("counselling-centre", og.OrgKind.COUNSELLING_CENTRE)
    s.register(Profession.NURSING_PROFESSIONAL, "PH", CefrLevel.B2, "81302", role=OrgRole.RECRUITER,
               consents=frozenset({ConsentScope.LANGUAGE_PROVIDER}))  # fmt: skip
    s.involve(centre, OrgRole.COUNSELLING_CENTRE, -31)
    s.send(og.HandOverLead(participant_id=s.participant_id, to_org=centre, handed_over_on=s.day(-30)))
    s.wait(Stage.RECRUITMENT, "LeadHandedOver", "the centre leads")
    s.wait(Stage.NOTIFICATIONS, "NotificationSent", "the mails follow the new lead from here on",
           milestone="lead_handed_over", recipient_id=centre)  # fmt: skip
    s.apply(Profession.NURSING_PROFESSIONAL, rc.LegalBasis.PFLBG)
    s.wait(Stage.RECOGNITION, "ApplicationCompleted", "the walk is through")
    milestones = (MS.PARTICIPANT_RECRUITED, MS.LEAD_HANDED_OVER, *APPLIED[:2])
    mailboxes = {
        recruiter: (MS.PARTICIPANT_RECRUITED, MS.LEAD_HANDED_OVER),
        centre: (MS.LEAD_HANDED_OVER, *APPLIED[:2]),
    }
    return Walk("lead-handover", None, lead_handover.__doc__ or "", (), milestones, "ApplicationCompleted",
                mailboxes=mailboxes)  # fmt: skip


def pause_and_return(s: _Script) -> Walk:
    """A participant pauses for parental leave and returns."""
    centre = s.partner_org = s.organisation("counselling-centre", og.OrgKind.COUNSELLING_CENTRE)
    s.register(Profession.OTHER, "UA", CefrLevel.B1, "51312")
    s.send(
        PauseParticipation(
            participant_id=s.participant_id,
            reason=PauseReason.PARENTAL_LEAVE,
            paused_on=s.day(-30),
            expected_return_on=s.day(-5),
        ),
        ResumeParticipation(participant_id=s.participant_id, resumed_on=s.day(-3)),
    )
    s.wait(Stage.RECRUITMENT, "ParticipationResumed", "the walk is through")
    milestones = (MS.PARTICIPANT_RECRUITED, MS.PARTICIPATION_PAUSED, MS.PARTICIPATION_RESUMED)
    return Walk("pause-and-return", None, pause_and_return.__doc__ or "", (), milestones, "ParticipationResumed",
                mailboxes={centre: milestones})  # fmt: skip


def completed_while_employed(s: _Script) -> Walk:
    """A participant who needs no recognition starts work, has the six-month check, and completes the programme
    while employed: the 12-, 24- and 36-month follow-ups go on."""
    pid = s.participant_id
    centre = s.partner_org = s.organisation("counselling-centre", og.OrgKind.COUNSELLING_CENTRE)
    s.register(Profession.OTHER, "UA", CefrLevel.B2, "51312")
    s.send(rc.RecordNoRecognitionNeeded(participant_id=pid, decided_on=s.day(-220), partner_org=centre))
    s.wait(Stage.QUALIFICATION, "QualificationCompleted", "nothing to prove on this route")
    s.employ(s.org("logistics"), pl.RoleLevel.SKILLED_WORKER, start=-190)
    s.wait(Stage.PLACEMENT, "RetentionCheckDue", "the six-month check is due")
    s.send(
        pl.RecordRetentionCheck(
            participant_id=pid,
            months=6,
            still_employed=True,
            still_in_region=True,
            checked_on=s.day(-2),
            district="10041",
            still_in_district=True,
        ),
        CompleteParticipation(
            participant_id=pid, result=ParticipationResult.EMPLOYED_WITHOUT_RECOGNITION, completed_on=s.day(-1)
        ),
    )
    s.wait(Stage.RECRUITMENT, "ParticipationCompleted", "the walk is through")
    milestones = (
        MS.PARTICIPANT_RECRUITED, MS.RECOGNITION_NOT_NEEDED, MS.QUALIFICATION_COMPLETED, *EMPLOYED,
        MS.RETENTION_CHECK_RECORDED, MS.PARTICIPATION_COMPLETED,
    )  # fmt: skip
    return Walk("completed-while-employed", None, completed_while_employed.__doc__ or "", (), milestones,
                "ParticipationCompleted", mailboxes={centre: milestones})  # fmt: skip


def consent_revoked(s: _Script) -> Walk:
    """A care home is told of a nurse's recognition with her consent; she revokes it; her next milestone is not
    mailed to the care home, and the audit event says why."""
    centre = s.partner_org = s.organisation("counselling-centre", og.OrgKind.COUNSELLING_CENTRE)
    home = s.organisation("care-home", og.OrgKind.EMPLOYER, og.SizeClass.SMALL)
    s.register(Profession.NURSING_PROFESSIONAL, "PH", CefrLevel.B2, "81302")
    s.involve(home, OrgRole.EMPLOYER, -30)
    s.apply(Profession.NURSING_PROFESSIONAL, rc.LegalBasis.PFLBG)
    s.decide(RecognitionOutcome.FULL_EQUIVALENCE, -20)
    s.wait(Stage.NOTIFICATIONS, "NotificationSent", "the care home was told", milestone="recognition_decided",
           recipient_id=home)  # fmt: skip
    s.send(RevokeConsent(participant_id=s.participant_id, scopes=frozenset({ConsentScope.EMPLOYER}),
                         revoked_on=s.day(-15)))  # fmt: skip
    s.send(PauseParticipation(participant_id=s.participant_id, reason=PauseReason.ILLNESS, paused_on=s.day(-14)))
    s.wait(Stage.NOTIFICATIONS, "NotificationSuppressed", "not mailed, and why", milestone="participation_paused",
           recipient_id=home, reason="no_consent")  # fmt: skip
    milestones = (MS.PARTICIPANT_RECRUITED, *APPLIED, MS.PARTICIPATION_PAUSED)
    mailboxes = {centre: milestones, home: (MS.RECOGNITION_DECIDED,)}
    return Walk("consent-revoked", None, consent_revoked.__doc__ or "", (), milestones, "NotificationSuppressed",
                mailboxes=mailboxes)  # fmt: skip


STORIES: dict[str, Callable[[_Script], Walk]] = {
    "first-contact": first_contact,
    "organisations": organisations_around_a_nurse,
    "lead-handover": lead_handover,
    "pause-and-return": pause_and_return,
    "completed-while-employed": completed_while_employed,
    "consent-revoked": consent_revoked,
}


# The simulator's and load generator's mix, in percent. From the 2022 federal statistics in the handbook (nursing
# 42 % and doctors 19 % of new applications; of all decisions 47 % full, 10 % partial, 41 % compensation required)
# and the seeds (IQ counsels all professions; most are non-regulated, many advised against a procedure; INGE and the
# welfare organisations recruit trainees): health professions stay the largest group, non-regulated routes a third.
MIX: dict[str, int] = {
    "nurse-adaptation": 30,
    "doctor": 15,
    "nurse-final-failure": 5,
    "electrician": 15,
    "educator": 5,
    "engineer": 10,
    "no-recognition": 12,
    "trainee": 8,
}


def walk(
    name: str,
    participant_id: uuid.UUID | None = None,
    *,
    today: date | None = None,
    region: str = "DE-SL",
    partner_org: str = "iq-network-example",
) -> Walk:
    """The walk `name` for one participant (a new id when none is given), played on `today`."""
    script = _Script(participant_id or uuid.uuid4(), today or date.today(), region, partner_org)
    shape = {**WALKS, **STORIES}[name](script)
    return replace(shape, steps=_entered_before_its_first_fact(script.steps), participant_id=script.participant_id)


def _entered_before_its_first_fact(steps: list[Step]) -> tuple[Step, ...]:
    """A walk is played in minutes, but its facts carry the days they happened, weeks or years back: the
    registration names the day the participant entered, two weeks before the walk's first fact, as a partner
    recording a registration afterwards does (so that durations and funding periods count as in real life)."""
    days = [d for step in steps if isinstance(step, Send) for d in _days(step.message.model_dump())]
    if not days:
        return tuple(steps)
    entered = min(days) - timedelta(days=14)
    return tuple(
        Send(step.message.model_copy(update={"registered_on": entered}))
        if isinstance(step, Send) and isinstance(step.message, RegisterCandidate) and step.message.registered_on is None
        else step
        for step in steps
    )


def _days(value: object) -> Iterator[date]:
    if type(value) is date:  # a day; not a moment (datetime is a date too)
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _days(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _days(item)


def pick(rng_value: float) -> str:
    """The walk at `rng_value` (0 <= x < 1) of the mix."""
    total, point = sum(MIX.values()), rng_value * sum(MIX.values())
    for name, share in MIX.items():
        point -= share
        if point < 0:
            return name
    return next(reversed(MIX)) if total else "nurse-adaptation"

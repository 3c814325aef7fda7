"""What each partner's command decides about a plan: the plan after it, the facts in order, and the refusals."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from services.qualification import domain
from services.qualification.domain import Plan
from services.qualification.domain.measures import MeasureStatus
from services.qualification.domain.plan import PlannedBy
from shared.contracts.enums import (
    CefrLevel,
    CompensationMeasure,
    LanguageCertificate,
    Profession,
    RecognitionOutcome,
    Route,
)
from shared.contracts.qualification import (
    AssignProvider,
    DropMeasure,
    DropReason,
    EnrolledInMeasure,
    LanguageCertificateObtained,
    LanguageDomain,
    LanguageTargetReached,
    MeasureCompleted,
    MeasureDropped,
    MeasureKind,
    MeasurePlanned,
    PlanMeasure,
    ProviderAssigned,
    QualificationCompleted,
)
from shared.refusals import AlreadyExists, NotAllowed, UnknownParticipant
from tests.unit.qualification.plans import (
    DAY,
    PID,
    applied,
    certificate,
    choosing,
    complete,
    decided,
    enrol,
    enrolled,
    recruited,
    the,
)

COURSE = MeasureKind.LANGUAGE_COURSE
PREPARATION = MeasureKind.KNOWLEDGE_TEST_PREPARATION
LATER = date(2026, 9, 1)


def plan_command(measure_id: uuid.UUID) -> PlanMeasure:
    return PlanMeasure(
        participant_id=PID,
        measure_id=measure_id,
        measure_kind=MeasureKind.ADAPTATION_COURSE,
        provider_id="care-school-example",
        starts_on=DAY,
    )


def test_a_partner_plans_a_measure_under_its_own_id() -> None:
    cmd = plan_command(uuid.uuid4())

    decision = domain.plan_measure(recruited(), cmd, id_in_use=False, today=DAY)

    assert decision.events == (MeasurePlanned(**cmd.model_dump()),)
    added = decision.state.measure(cmd.measure_id)
    assert added is not None
    assert (added.status, added.planned_by, added.provider_id) == (
        MeasureStatus.PLANNED,
        PlannedBy.PARTNER,
        cmd.provider_id,
    )
    assert decision.state.measures[-1] == added


def test_a_measure_id_in_use_is_refused_as_existing() -> None:
    plan = recruited()
    with pytest.raises(AlreadyExists, match="is planned already"):
        domain.plan_measure(plan, plan_command(uuid.uuid4()), id_in_use=True, today=DAY)
    with pytest.raises(AlreadyExists):
        domain.plan_measure(plan, plan_command(the(plan, COURSE).measure_id), id_in_use=False, today=DAY)


def test_a_plan_opened_by_another_stage_is_unknown_to_partners_until_recruitment() -> None:
    with pytest.raises(UnknownParticipant, match=f"qualification has no participant {PID}"):
        domain.plan_measure(Plan(PID), plan_command(uuid.uuid4()), id_in_use=False, today=DAY)


def test_a_withdrawn_plan_takes_no_commands() -> None:
    withdrawn = domain.withdraw(recruited()).state
    course_id = the(withdrawn, COURSE).measure_id
    with pytest.raises(NotAllowed, match="the participant is withdrawn"):
        domain.enrol_in_measure(withdrawn, enrol(course_id))
    with pytest.raises(NotAllowed, match="the participant is withdrawn"):
        domain.record_language_certificate(withdrawn, certificate())


def test_enrolling_records_the_days_and_reports_the_measure_kind() -> None:
    plan = recruited()
    course = the(plan, COURSE)
    cmd = enrol(course.measure_id).model_copy(update={"expected_end_on": LATER})

    decision = domain.enrol_in_measure(plan, cmd)

    assert decision.events == (EnrolledInMeasure(**cmd.model_dump(), measure_kind=COURSE),)
    assert decision.state.measure(course.measure_id) == replace(
        course, status=MeasureStatus.ENROLLED, enrolled_on=DAY, expected_end_on=LATER
    )


def test_an_unknown_measure_is_refused_as_not_allowed_in_state() -> None:
    nowhere = uuid.uuid4()
    with pytest.raises(NotAllowed) as refused:
        domain.enrol_in_measure(recruited(), enrol(nowhere))
    assert refused.value.message == f"unknown measure: participant {PID} has no measure {nowhere}"


def test_completing_a_measure_not_enrolled_in_is_refused() -> None:
    plan = recruited()
    with pytest.raises(NotAllowed, match="planned; only an enrolled measure"):
        domain.complete_measure(plan, complete(the(plan, COURSE).measure_id))


def test_completing_the_course_reports_it_and_waits_while_recognition_is_open() -> None:
    plan = enrolled(recruited(), COURSE)
    course_id = the(plan, COURSE).measure_id

    decision = domain.complete_measure(plan, complete(course_id, LATER))

    assert decision.events == (
        MeasureCompleted(participant_id=PID, measure_id=course_id, measure_kind=COURSE, completed_on=LATER),
    )
    assert decision.state.measure(course_id) == replace(
        the(plan, COURSE), status=MeasureStatus.COMPLETED, ended_on=LATER
    )
    assert decision.state.completed_on is None


def test_completing_the_last_open_measure_completes_the_plan_on_that_day() -> None:
    plan = domain.recognition_decided(applied(), decided(RecognitionOutcome.FULL_EQUIVALENCE)).state
    plan = domain.record_language_certificate(plan, certificate()).state
    plan = enrolled(plan, COURSE)

    decision = domain.complete_measure(plan, complete(the(plan, COURSE).measure_id, LATER))

    assert [type(e) for e in decision.events] == [MeasureCompleted, QualificationCompleted]
    assert decision.events[1] == QualificationCompleted(
        participant_id=PID, completed_on=LATER, language_level=CefrLevel.B2, route=Route.NURSE
    )
    assert decision.state.completed_on == LATER


def test_dropping_the_last_open_measure_completes_the_plan_too() -> None:
    plan = domain.recognition_decided(applied(), decided(RecognitionOutcome.FULL_EQUIVALENCE)).state
    plan = domain.record_language_certificate(plan, certificate()).state
    course = the(plan, COURSE)
    cmd = DropMeasure(participant_id=PID, measure_id=course.measure_id, dropped_on=LATER, reason=DropReason.MOVED_AWAY)

    decision = domain.drop_measure(plan, cmd)

    assert decision.events[0] == MeasureDropped(**cmd.model_dump(), measure_kind=COURSE)
    assert isinstance(decision.events[1], QualificationCompleted) and decision.events[1].completed_on == LATER
    assert decision.state.measure(course.measure_id) == replace(course, status=MeasureStatus.DROPPED, ended_on=LATER)
    with pytest.raises(NotAllowed, match="cannot drop a language_course that is dropped"):
        domain.drop_measure(decision.state, cmd)


def test_the_first_certificate_proving_the_target_announces_it_once() -> None:
    decision = domain.record_language_certificate(recruited(), certificate(CefrLevel.B2))

    assert decision.events == (
        LanguageCertificateObtained(**certificate(CefrLevel.B2).model_dump(exclude={"measure_id"})),
        LanguageTargetReached(
            participant_id=PID,
            level=CefrLevel.B2,
            target_level=CefrLevel.B2,
            language_domain=LanguageDomain.PROFESSIONAL,
            reached_on=DAY,
        ),
    )
    assert decision.state.language_target_reached_on == DAY
    assert len(decision.state.certificates) == 1

    again = domain.record_language_certificate(decision.state, certificate(CefrLevel.C1, obtained_on=LATER))
    assert [type(e) for e in again.events] == [LanguageCertificateObtained]
    assert again.state.language_target_reached_on == DAY and len(again.state.certificates) == 2


def test_a_certificate_below_the_target_is_recorded_but_reaches_nothing() -> None:
    decision = domain.record_language_certificate(recruited(), certificate(CefrLevel.B1))
    assert [type(e) for e in decision.events] == [LanguageCertificateObtained]
    assert decision.state.language_target_reached_on is None


def test_a_doctors_target_is_reached_with_the_second_proof_at_its_level_and_domain() -> None:
    plan = recruited(Profession.DOCTOR)
    general = domain.record_language_certificate(
        plan, certificate(CefrLevel.B2, language_domain=LanguageDomain.GENERAL)
    )
    assert [type(e) for e in general.events] == [LanguageCertificateObtained]

    telc_medical = certificate(CefrLevel.C1, language_domain=LanguageDomain.MEDICAL, obtained_on=LATER)
    assert [type(e) for e in domain.record_language_certificate(general.state, telc_medical).events] == [
        LanguageCertificateObtained
    ]
    medical = telc_medical.model_copy(update={"certificate": LanguageCertificate.FACHSPRACHPRUEFUNG})
    decision = domain.record_language_certificate(general.state, medical)

    reached = decision.events[1]
    assert isinstance(reached, LanguageTargetReached)
    assert (reached.level, reached.target_level, reached.language_domain) == (
        CefrLevel.C1,
        CefrLevel.C1,
        LanguageDomain.MEDICAL,
    )
    assert decision.state.language_target_reached_on == LATER


def test_a_profession_without_a_language_rule_never_reaches_a_target() -> None:
    decision = domain.record_language_certificate(recruited(Profession.OTHER), certificate(CefrLevel.C2))
    assert [type(e) for e in decision.events] == [LanguageCertificateObtained]


def test_a_certificate_may_name_its_language_course_but_no_other_measure() -> None:
    plan = choosing(recruited(), CompensationMeasure.KNOWLEDGE_TEST)
    domain.record_language_certificate(plan, certificate(measure_id=the(plan, COURSE).measure_id))
    with pytest.raises(NotAllowed, match="a certificate cannot come from a knowledge_test_preparation"):
        domain.record_language_certificate(plan, certificate(measure_id=the(plan, PREPARATION).measure_id))
    with pytest.raises(NotAllowed, match="unknown measure"):
        domain.record_language_certificate(plan, certificate(measure_id=uuid.uuid4()))


def test_the_certificate_that_settles_the_plan_announces_target_then_completion() -> None:
    declared_b2 = applied(level=CefrLevel.B2)  # no course planned
    plan = domain.recognition_decided(declared_b2, decided(RecognitionOutcome.FULL_EQUIVALENCE)).state
    assert plan.measures == () and plan.completed_on is None  # declared is not proved

    decision = domain.record_language_certificate(plan, certificate(CefrLevel.C1))

    assert [type(e) for e in decision.events] == [
        LanguageCertificateObtained,
        LanguageTargetReached,
        QualificationCompleted,
    ]
    assert decision.events[2] == QualificationCompleted(
        participant_id=PID, completed_on=DAY, language_level=CefrLevel.C1, route=Route.NURSE
    )


def test_a_partners_course_for_the_same_level_supersedes_the_untaken_one_of_the_rules() -> None:
    plan = recruited()
    rules_course = the(plan, COURSE)
    own = PlanMeasure(
        participant_id=PID,
        measure_id=uuid.uuid4(),
        measure_kind=COURSE,
        provider_id="language-school-example",
        target_level=CefrLevel.B2,
        language_domain=LanguageDomain.GENERAL,
    )

    decision = domain.plan_measure(plan, own, id_in_use=False, today=LATER)

    assert decision.events == (
        MeasureDropped(
            participant_id=PID,
            measure_id=rules_course.measure_id,
            measure_kind=COURSE,
            dropped_on=LATER,
            reason=DropReason.SUPERSEDED,
        ),
        MeasurePlanned(**own.model_dump()),
    )
    other_level = own.model_copy(update={"measure_id": uuid.uuid4(), "target_level": CefrLevel.C1})
    assert [type(e) for e in domain.plan_measure(plan, other_level, id_in_use=False, today=DAY).events] == [
        MeasurePlanned
    ]


def test_a_measure_of_the_rules_a_provider_took_on_is_not_superseded() -> None:
    plan = recruited()
    rules_course = the(plan, COURSE)
    assign = AssignProvider(participant_id=PID, measure_id=rules_course.measure_id, provider_id="school-x")
    plan = domain.assign_provider(plan, assign).state
    own = PlanMeasure(
        participant_id=PID, measure_id=uuid.uuid4(), measure_kind=COURSE, provider_id="p", target_level=CefrLevel.B2
    )
    assert [type(e) for e in domain.plan_measure(plan, own, id_in_use=False, today=DAY).events] == [MeasurePlanned]


def test_assigning_a_provider_to_an_open_measure_announces_it_once() -> None:
    plan = recruited()
    course = the(plan, COURSE)
    assign = AssignProvider(participant_id=PID, measure_id=course.measure_id, provider_id="school-x", starts_on=LATER)

    decision = domain.assign_provider(plan, assign)

    assert decision.events == (ProviderAssigned(**assign.model_dump(), measure_kind=COURSE),)
    assert decision.state.measure(course.measure_id) == replace(course, provider_id="school-x", starts_on=LATER)
    assert domain.assign_provider(decision.state, assign).events == ()


def test_assigning_a_provider_to_a_closed_measure_is_refused() -> None:
    plan = recruited()
    course = the(plan, COURSE)
    drop = DropMeasure(participant_id=PID, measure_id=course.measure_id, dropped_on=DAY, reason=DropReason.OTHER)
    plan = domain.drop_measure(plan, drop).state
    with pytest.raises(NotAllowed, match="cannot assign a provider to a language_course that is dropped"):
        domain.assign_provider(plan, AssignProvider(participant_id=PID, measure_id=course.measure_id, provider_id="x"))

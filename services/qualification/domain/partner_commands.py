"""What each partner's command decides about the plan: the plan after it and the facts to publish, the cascade
included (a passed exam ends its preparation, which may complete the plan). Pure."""

from __future__ import annotations

from dataclasses import replace

from services.qualification.domain import exams, measures
from services.qualification.domain.language import Certificate, language_target_reached, target_level
from services.qualification.domain.measures import EXAM_ENDS, MEASURE_FOR_EXAM, MeasureStatus, is_open
from services.qualification.domain.plan import Measure, Plan, PlannedBy, active, measure_of, planned, settle
from shared.contracts.qualification import (
    CompleteMeasure,
    DropMeasure,
    EnrolInMeasure,
    EnrolledInMeasure,
    ExamFailed,
    ExamPassed,
    LanguageCertificateObtained,
    LanguageTargetReached,
    MeasureCompleted,
    MeasureDropped,
    MeasureKind,
    PlanMeasure,
    RecordExamResult,
    RecordLanguageCertificate,
)
from shared.decision import Decision
from shared.refusals import AlreadyExists, NotAllowed


def plan_measure(plan: Plan, cmd: PlanMeasure, *, id_in_use: bool) -> Decision[Plan]:
    """A partner plans a measure under an id of its choice; `id_in_use`: a measure of any participant has it."""
    active(plan)
    if id_in_use or plan.measure(cmd.measure_id) is not None:
        raise AlreadyExists(f"measure {cmd.measure_id} is planned already")
    measure = Measure(
        cmd.measure_id,
        cmd.measure_kind,
        MeasureStatus.PLANNED,
        cmd.provider_id,
        PlannedBy.PARTNER,
        target_level=cmd.target_level,
        language_domain=cmd.language_domain,
        starts_on=cmd.starts_on,
    )
    return planned(plan, measure)


def enrol_in_measure(plan: Plan, cmd: EnrolInMeasure) -> Decision[Plan]:
    active(plan)
    measure = measure_of(plan, cmd.measure_id)
    status = measures.enrol(measure.kind, measure.status)
    enrolled = replace(measure, status=status, enrolled_on=cmd.enrolled_on, expected_end_on=cmd.expected_end_on)
    event = EnrolledInMeasure(**cmd.model_dump(), measure_kind=measure.kind)
    return Decision(plan.with_measure(enrolled), (event,))


def complete_measure(plan: Plan, cmd: CompleteMeasure) -> Decision[Plan]:
    active(plan)
    measure = measure_of(plan, cmd.measure_id)
    status = measures.complete(measure.kind, measure.status)
    after = plan.with_measure(replace(measure, status=status, ended_on=cmd.completed_on))
    event = MeasureCompleted(**cmd.model_dump(), measure_kind=measure.kind)
    return Decision(after, (event,)).then(settle(after, cmd.completed_on))


def drop_measure(plan: Plan, cmd: DropMeasure) -> Decision[Plan]:
    active(plan)
    measure = measure_of(plan, cmd.measure_id)
    status = measures.drop(measure.kind, measure.status)
    after = plan.with_measure(replace(measure, status=status, ended_on=cmd.dropped_on))
    event = MeasureDropped(**cmd.model_dump(), measure_kind=measure.kind)
    return Decision(after, (event,)).then(settle(after, cmd.dropped_on))


def record_language_certificate(plan: Plan, cmd: RecordLanguageCertificate) -> Decision[Plan]:
    """The certificate is recorded; the first time the certificates prove the profession's whole target,
    LanguageTargetReached is announced (with the level and domain of this certificate); then the plan settles."""
    profession = active(plan)
    if cmd.measure_id is not None:
        kind = measure_of(plan, cmd.measure_id).kind
        if kind is not MeasureKind.LANGUAGE_COURSE:
            raise NotAllowed(f"a certificate cannot come from a {kind.value}")
    certificate = Certificate(cmd.level, cmd.language_domain, cmd.certificate, cmd.obtained_on)
    after = replace(plan, certificates=(*plan.certificates, certificate))
    decision = Decision(after, (LanguageCertificateObtained(**cmd.model_dump(exclude={"measure_id"})),))
    target = target_level(profession)
    if (
        plan.language_target_reached_on is None
        and target is not None
        and language_target_reached(profession, after.certificates)
    ):
        reached = LanguageTargetReached(
            participant_id=plan.participant_id,
            level=cmd.level,
            target_level=target,
            language_domain=cmd.language_domain,
            reached_on=cmd.obtained_on,
        )
        decision = decision.then(Decision(replace(after, language_target_reached_on=cmd.obtained_on), (reached,)))
    return decision.then(settle(decision.state, cmd.obtained_on))


def record_exam_result(plan: Plan, cmd: RecordExamResult) -> Decision[Plan]:
    """The attempt is counted (in order, within the limit); a pass ends the preparation the exam belongs to, the
    last failed attempt closes it; ExamPassed or ExamFailed names that preparation; then the plan settles."""
    profession = active(plan)
    measure = _measure_for_exam(plan, cmd)
    limit = exams.attempt_limit(cmd.exam, profession)
    record = exams.sit_exam(cmd.exam, plan.exams.get(cmd.exam, exams.ExamRecord()), cmd.attempt, cmd.result, limit)
    record = replace(record, last_taken_on=cmd.taken_on)
    after = replace(plan, exams={**plan.exams, cmd.exam: record})
    if measure is not None:
        status = exams.measure_after_exam(measure.kind, measure.status, record, limit)
        if status is not measure.status:
            after = after.with_measure(replace(measure, status=status, ended_on=cmd.taken_on))
    event = (ExamPassed if record.passed else ExamFailed)(
        participant_id=plan.participant_id,
        exam=cmd.exam,
        attempt=cmd.attempt,
        taken_on=cmd.taken_on,
        measure_id=None if measure is None else measure.measure_id,
    )
    return Decision(after, (event,)).then(settle(after, cmd.taken_on))


def _measure_for_exam(plan: Plan, cmd: RecordExamResult) -> Measure | None:
    """The measure the command names, else the open preparation the exam ends (knowledge or aptitude test)."""
    if cmd.measure_id is not None:
        measure = measure_of(plan, cmd.measure_id)
        exams.check_exam_measure(cmd.exam, measure.kind, measure.status)
        return measure
    kind = MEASURE_FOR_EXAM[cmd.exam]
    if kind not in EXAM_ENDS:
        return None
    return next((m for m in plan.measures if m.kind is kind and is_open(m.kind, m.status)), None)

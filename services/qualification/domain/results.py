"""What partners' results decide about the plan: a language certificate, an exam attempt (in parts where the rules
say so), and their cascade: the language target reached, a preparation passed or finally failed, the plan
complete. Pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from services.qualification.domain import exams
from services.qualification.domain.exams import ExamRecord
from services.qualification.domain.language import Certificate, medical_language_exam, target_level, unmet
from services.qualification.domain.measures import EXAM_ENDS, MEASURE_FOR_EXAM, MeasureStatus, is_open
from services.qualification.domain.plan import Measure, Plan, active, measure_of, settle
from shared.contracts.enums import LanguageCertificate
from shared.contracts.qualification import (
    ExamFailed,
    ExamFinallyFailed,
    ExamKind,
    ExamPassed,
    LanguageCertificateObtained,
    LanguageTargetReached,
    MeasureCompleted,
    MeasureKind,
    RecordExamResult,
    RecordLanguageCertificate,
)
from shared.decision import Decision
from shared.refusals import NotAllowed

FACHSPRACHPRUEFUNG = LanguageCertificate.FACHSPRACHPRUEFUNG


def record_language_certificate(plan: Plan, cmd: RecordLanguageCertificate) -> Decision[Plan]:
    """The certificate is recorded (a second Fachsprachprüfung, e.g. the certificate of an exam recorded passed,
    is the same proof: accepted, nothing changes); then the plan settles."""
    active(plan)
    if cmd.measure_id is not None:
        kind = measure_of(plan, cmd.measure_id).kind
        if kind is not MeasureKind.LANGUAGE_COURSE:
            raise NotAllowed(f"a certificate cannot come from a {kind.value}")
    if cmd.certificate is FACHSPRACHPRUEFUNG and any(c.issuer is FACHSPRACHPRUEFUNG for c in plan.certificates):
        return Decision(plan)
    decision = certified(plan, Certificate(cmd.level, cmd.language_domain, cmd.certificate, cmd.obtained_on))
    return decision.then(settle(decision.state, cmd.obtained_on))


def certified(plan: Plan, certificate: Certificate) -> Decision[Plan]:
    """The certificate added and announced; the first time the certificates prove every target, LanguageTargetReached
    (with the level and domain of this certificate)."""
    after = replace(plan, certificates=(*plan.certificates, certificate))
    obtained = LanguageCertificateObtained(
        participant_id=plan.participant_id,
        certificate=certificate.issuer,
        level=certificate.level,
        language_domain=certificate.domain,
        obtained_on=certificate.obtained_on,
    )
    decision = Decision(after, (obtained,))
    target = target_level(plan.targets())
    if plan.language_target_reached_on is None and target is not None and not unmet(plan.targets(), after.certificates):
        reached = LanguageTargetReached(
            participant_id=plan.participant_id,
            level=certificate.level,
            target_level=target,
            language_domain=certificate.domain,
            reached_on=certificate.obtained_on,
        )
        decision = decision.then(
            Decision(replace(after, language_target_reached_on=certificate.obtained_on), (reached,))
        )
    return decision


def record_exam_result(plan: Plan, cmd: RecordExamResult) -> Decision[Plan]:
    """The attempt is counted per part (in order, within the rule's limit). The exam passed in every part ends its
    preparation (`MeasureCompleted` on the exam day); the last attempt allowed failed closes it (`ExamFinallyFailed`);
    a passed Fachsprachprüfung is the C1 medical certificate. Then the plan settles."""
    active(plan)
    rule = plan.exam_rule(cmd.exam)
    exams.check_part(cmd.exam, cmd.part, rule)
    measure = _measure_for_exam(plan, cmd)
    limit = None if rule is None else rule.attempts
    key = (cmd.exam, cmd.part)
    record = exams.sit_exam(cmd.exam, cmd.part, plan.exams.get(key, ExamRecord()), cmd.attempt, cmd.result, limit)
    if exams.finally_failed(cmd.exam, rule, plan.exams):
        raise NotAllowed(f"the {cmd.exam.value} was finally failed: no attempt left")
    record = replace(record, last_taken_on=cmd.taken_on)
    after = replace(plan, exams={**plan.exams, key: record})
    passed = exams.exam_passed(cmd.exam, rule, after.exams)
    measure_id = None if measure is None else measure.measure_id
    result = (ExamPassed if record.passed else ExamFailed)(
        participant_id=plan.participant_id,
        exam=cmd.exam,
        attempt=cmd.attempt,
        taken_on=cmd.taken_on,
        measure_id=measure_id,
        part=cmd.part,
    )
    decision = Decision(after, (result,))
    if measure is not None:
        decision = decision.then(_measure_after(decision.state, measure, passed, record.exhausted(limit), cmd.taken_on))
    if record.exhausted(limit):
        finally_failed = ExamFinallyFailed(
            participant_id=plan.participant_id,
            exam=cmd.exam,
            part=cmd.part,
            attempts=record.attempts,
            failed_on=cmd.taken_on,
            measure_id=measure_id,
        )
        decision = decision.then(Decision(decision.state, (finally_failed,)))
    held = any(c.issuer is FACHSPRACHPRUEFUNG for c in plan.certificates)
    if cmd.exam is ExamKind.FACHSPRACHPRUEFUNG and record.passed and not held:
        decision = decision.then(certified(decision.state, medical_language_exam(cmd.taken_on)))
    return decision.then(settle(decision.state, cmd.taken_on))


def _measure_after(plan: Plan, measure: Measure, passed: bool, failed: bool, on: date) -> Decision[Plan]:
    """The preparation passed (announced as completed on the exam day) or failed; a language course as it was."""
    status = exams.measure_after_exam(measure.kind, measure.status, passed, failed)
    if status is measure.status:
        return Decision(plan)
    after = plan.with_measure(replace(measure, status=status, ended_on=on))
    if status is not MeasureStatus.PASSED:
        return Decision(after)
    completed = MeasureCompleted(
        participant_id=plan.participant_id, measure_id=measure.measure_id, measure_kind=measure.kind, completed_on=on
    )
    return Decision(after, (completed,))


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

"""Qualification's rules, pure. The aggregate is the participant's `Plan` (`plan`); each partner's command about a
measure (`partner_commands`) or result (`results`) and each other stage's fact (`stage_facts`) takes a plan and
returns a `Decision`: the plan after it and the facts it decided. The rules they apply: the German the reference
profession needs (`language`), how measures move (`measures`), exam parts and attempts (`exams`), and when the plan
is complete on its route (`completion`)."""

from services.qualification.domain.partner_commands import (
    assign_provider,
    complete_measure,
    drop_measure,
    enrol_in_measure,
    plan_measure,
)
from services.qualification.domain.plan import Measure, Plan, PlanStatus, settle
from services.qualification.domain.results import record_exam_result, record_language_certificate
from services.qualification.domain.stage_facts import (
    application_submitted,
    comparability_stated,
    compensation_measure_chosen,
    intake_recorded,
    participant_recruited,
    reactivate,
    recognition_decided,
    recognition_not_needed,
    training_completed,
    training_started,
    withdraw,
)

__all__ = [
    "Measure",
    "Plan",
    "PlanStatus",
    "application_submitted",
    "assign_provider",
    "comparability_stated",
    "compensation_measure_chosen",
    "complete_measure",
    "drop_measure",
    "enrol_in_measure",
    "intake_recorded",
    "participant_recruited",
    "plan_measure",
    "reactivate",
    "recognition_decided",
    "recognition_not_needed",
    "record_exam_result",
    "record_language_certificate",
    "settle",
    "training_completed",
    "training_started",
    "withdraw",
]

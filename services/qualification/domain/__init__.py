"""Qualification's rules, pure. The aggregate is the participant's `Plan` (`plan`); each partner's command
(`partner_commands`) and each other stage's fact (`stage_facts`) takes a plan and returns a `Decision`: the plan
after it and the facts it decided. The rules they apply: the German each profession needs (`language`), how
measures move (`measures`), exam attempts (`exams`), and when the plan is complete (`completion`)."""

from services.qualification.domain.partner_commands import (
    complete_measure,
    drop_measure,
    enrol_in_measure,
    plan_measure,
    record_exam_result,
    record_language_certificate,
)
from services.qualification.domain.plan import Measure, Plan, PlanStatus, settle
from services.qualification.domain.stage_facts import (
    compensation_measure_chosen,
    intake_recorded,
    participant_recruited,
    recognition_decided,
    withdraw,
)

__all__ = [
    "Measure",
    "Plan",
    "PlanStatus",
    "compensation_measure_chosen",
    "complete_measure",
    "drop_measure",
    "enrol_in_measure",
    "intake_recorded",
    "participant_recruited",
    "plan_measure",
    "recognition_decided",
    "record_exam_result",
    "record_language_certificate",
    "settle",
    "withdraw",
]

"""The generated routes part of docs/partners.md: what each route allows and requires (from
`shared.contracts.routes`) and one worked example per route (from `tools.walks`), played on a fixed day."""

from __future__ import annotations

import json
import uuid
from datetime import date

from shared.contracts.enums import Profession, Route
from shared.contracts.qualification import ExamKind
from shared.contracts.routes import (
    DEFAULT_EXAM_RULE,
    EXAM_RULES,
    FAST_TRACK_DECISION_MONTHS,
    HEALTH_THIRD_COUNTRY_DECISION_MONTHS,
    LANGUAGE_TARGETS,
    LEGAL_BASES,
    PROFESSION_ROUTES,
    RULES,
    STANDARD_DECISION_MONTHS,
)
from tools.walks import WALKS, Await, Send, Walk, walk

EXAMPLE_DAY = date(2026, 6, 1)
EXAMPLE_NAMESPACE = uuid.UUID("0b9a6c2e-51f4-4d7e-8a3c-9e2f1d0c7b65")


def _codes(values: object) -> str:
    listed = sorted(str(v) for v in values)  # type: ignore[attr-defined]
    return ", ".join(f"`{v}`" for v in listed) or "—"


def section() -> list[str]:
    return [*_routes(), *_requirements(), *_examples()]


def _routes() -> list[str]:
    lines = [
        "### Routes",
        "",
        "Each participant's recognition case follows one route. An application (`SubmitApplication`) decides it from"
        " the reference profession: doctors, nurses, nursing assistants and home support by their own rules, every"
        " other profession by its regulation status (`regulated`; left out: regulated under `land_bqfg`, not"
        " regulated under `bqfg`). Three routes need no application: `RecordComparabilityStatement`,"
        " `RecordNoRecognitionNeeded` and `StartTraining` each open one. The recognition service refuses what the"
        " route does not allow (`invalid_payload` naming the field, or `not_allowed_in_state`).",
        "",
        "| Route | What it is | Decisions | Measures offered (EU/EEA/CH training; elsewhere) | Participant chooses,"
        " may change | Ends in | Source |",
        "|---|---|---|---|---|---|---|",
    ]
    for route, rule in RULES.items():
        measures = (
            f"{_codes(rule.measures_eu)}; {_codes(rule.measures_third_country)}"
            if rule.measures_eu or rule.measures_third_country
            else "—"
        )
        lines.append(
            f"| `{route}` | {rule.description} | {_codes(rule.outcomes)} | {measures} |"
            f" {'yes' if rule.may_choose else 'no'} | {_codes(rule.licences) if rule.licences else 'no licence'} |"
            f" {rule.source} |"
        )
    lines += [
        "",
        "| Reference profession | Route | Legal basis the application names |",
        "|---|---|---|",
    ]
    for profession in Profession:
        own = PROFESSION_ROUTES.get(profession)
        shown = f"`{own}`" if own else "`regulated` or `non_regulated`, by `regulated` and the legal basis"
        bases = LEGAL_BASES[own or Route.NON_REGULATED]
        lines.append(f"| `{profession}` | {shown} | {_codes(bases)} |")
    lines += [
        "",
        f"Deadlines the recognition service watches (a timer and a milestone each): the receipt confirmation 1 month"
        f" after submission (2 weeks on the fast track); the documents the authority listed as missing by the day it"
        f" gave (`documents_due_on`); the decision {STANDARD_DECISION_MONTHS} months after the file is complete,"
        f" {HEALTH_THIRD_COUNTRY_DECISION_MONTHS} for doctors and nurses trained outside the EU/EEA/CH,"
        f" {FAST_TRACK_DECISION_MONTHS} on the fast track — extended once, with a reason (`ExtendDeadline`); a"
        " Berufserlaubnis 8 weeks before and on its end.",
        "",
        "A licence (`GrantLicence`) is accepted only on a route that ends in it and only once the recognition"
        " service says `LicenceConditionsMet` (full equivalence or the chosen measure passed, and the German the"
        " profession needs proved — it learns both from the qualification service); after vocational training,"
        " once `TrainingCompleted`. A doctor's Berufserlaubnis is the exception: any time the case is open, at most"
        " 2 years in total. After `ExamFinallyFailed` no licence follows from that measure.",
        "",
    ]
    return lines


def _requirements() -> list[str]:
    lines = [
        "### What `QualificationCompleted` requires",
        "",
        "The qualification service publishes `QualificationCompleted` once, when all three hold: **recognition"
        " settled** for the route (`non_regulated`: full or partial equivalence; `regulated`, `doctor`, `nurse`: full"
        " equivalence, or compensation required and the chosen measure passed — an adaptation course completed, a"
        " knowledge or aptitude test passed in every part; `statement_of_comparability`, `no_recognition_needed`:"
        " their event; `vocational_training`: `TrainingCompleted`), **the German** of the reference profession"
        " proved by certificates (below; a declared level proves nothing; vocational training needs none), and **no"
        " measure left open** (dropped ones do not count). The reference profession of the application governs, not"
        " the target profession given at registration.",
        "",
        "| Reference profession | Level | Certificates that count (domain; issuer) | Course the service plans"
        " | Source |",
        "|---|---|---|---|---|",
    ]
    for profession, targets in LANGUAGE_TARGETS.items():
        if not targets:
            lines.append(f"| `{profession}` | none | — | — | not regulated, or no rule known |")
        for target in targets:
            issuers = _codes(target.issuers) if target.issuers else "any issuer"
            lines.append(
                f"| `{profession}` | {target.level} | {_codes(target.domains)}; {issuers} |"
                f" `{target.course_domain}` | {target.source} |"
            )
    lines += [
        "",
        "A passed `fachsprachpruefung` (as `RecordExamResult`, or as a certificate of that kind, C1 medical) proves"
        " the doctors' C1 medical German; language certificates of other issuers do not.",
        "",
        "| Reference profession | Exam | Parts (counted on their own) | Attempts in total (per part) | Source |",
        "|---|---|---|---|---|",
    ]
    for profession, exams in EXAM_RULES.items():
        for exam, rule in exams.items():
            parts = _codes(rule.parts) if rule.parts else "sat whole (leave `part` out)"
            lines.append(f"| `{profession}` | `{exam}` | {parts} | {rule.attempts} | {rule.source} |")
    lines += [
        f"| any other | `{ExamKind.KNOWLEDGE_TEST}`, `{ExamKind.APTITUDE_TEST}` | sat whole |"
        f" {DEFAULT_EXAM_RULE.attempts} | {DEFAULT_EXAM_RULE.source} |",
        "",
        "The last attempt allowed, failed, publishes `ExamFinallyFailed` (a milestone). Language exams may be"
        " retaken without limit.",
        "",
        "**Measures the service plans itself.** For the German a profession needs, and for a compensation measure"
        " chosen, the qualification service plans a measure of its own, announced by `MeasurePlanned` with"
        " `provider_id` `unassigned`. Either take it on (`AssignProvider` with its `measure_id`), or plan your own"
        " measure for the same purpose (`PlanMeasure`: same kind; for a language course the same target level):"
        " yours takes its place and the service drops its one (`MeasureDropped`, reason `superseded`). A compensation"
        " measure changed (`ChooseCompensationMeasure` again, where the route lets the participant choose) drops the"
        " open measure of the earlier choice (reason `measure_changed`). A passed knowledge or aptitude test"
        " completes its preparation (`MeasureCompleted`); completing it again is accepted and changes nothing.",
        "",
    ]
    return lines


def _examples() -> list[str]:
    lines = [
        "### Worked examples, one per route",
        "",
        f"Each example is a walk as a partner sends it, played on {EXAMPLE_DAY.isoformat()}: every command on its"
        " stage's commands topic (Kafka key and `ce_subject` = `participant_id`, headers as in *Headers*), in the"
        " order given; where it says *wait*, read the stage's events topic for that participant's next event of"
        " that type before you go on. Ids of measures and offers are the partner's own (fresh random UUIDs; fixed"
        " here). The end-to-end tests play exactly these walks, and a unit test validates every payload below"
        " against its published schema.",
        "",
    ]
    for name in WALKS:
        participant = uuid.uuid5(EXAMPLE_NAMESPACE, name)
        played = walk(name, participant, today=EXAMPLE_DAY, region="DE-SL", partner_org="iq-network-example")
        milestones = ", ".join(f"`{m}`" for m in played.milestones)
        lines += [
            f"#### `{played.route}`: {played.name}",
            "",
            " ".join(played.title.split()),
            "",
            f"Milestones mailed along the way: {milestones}.",
            "",
        ]
        lines += steps(played)
    return lines


def steps(played: Walk) -> list[str]:
    """A walk's steps as a numbered list: each command as it travels, each wait with what it waits for."""
    lines: list[str] = []
    for number, step in enumerate(played.steps, start=1):
        if isinstance(step, Send):
            message = step.message
            payload = json.dumps(message.model_dump(mode="json"), ensure_ascii=False)
            lines += [f"{number}. Send `{message.ce_type()}`:", "", "   ```json", f"   {payload}", "   ```", ""]
            continue
        assert isinstance(step, Await)
        about = f" about `{step.key}`" if step.key else ""
        fields = ", ".join(f"`{k}` = `{v}`" for k, v in step.where)
        having = f" with {fields}" if fields else ""
        lines += [f"{number}. *Wait* for `journey.{step.stage}.{step.event}.v1`{about}{having} ({step.why}).", ""]
    return lines

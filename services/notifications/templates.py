"""Mail texts for milestones: subject and body from the milestone's coarse facts and what the participant copy
says (profession, region, the organisations' names, the reader's own case reference). Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID

from services.notifications.wording import (
    FACT_VALUES,
    FACTS,
    LABEL_KEYS,
    LABELS,
    NEXT_STEPS,
    NOTES,
    ORG_FACTS,
    PHRASES,
    TITLES,
    VALUES_DE,
)
from shared.contracts.enums import Milestone, Profession
from shared.contracts.notifications import MailLanguage
from shared.contracts.qualification import ExamKind
from shared.contracts.regions import region_name
from shared.contracts.routes import exam_rule

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class MailText:
    subject: str
    body: str


@dataclass(frozen=True, slots=True)
class MailContext:
    """What a mail says beyond the milestone's facts: the participant's profession and region (from the copy), the
    names of organisations (id -> name; an id without one is shown as it is) and the reader's own case reference
    (only ever set for a mailbox of the organisation that gave it)."""

    profession: str | None = None
    region: str | None = None
    org_names: Mapping[str, str] = field(default_factory=dict)
    case_reference: str | None = None


NO_CONTEXT = MailContext()


def render(
    milestone: Milestone,
    participant_id: UUID | str,
    facts: Mapping[str, object],
    language: MailLanguage = MailLanguage.DE,
    context: MailContext = NO_CONTEXT,
) -> MailText:
    """The mail about `milestone`; shows only the facts `wording.FACTS` lists for it, never anything else. Every
    mailbox is greeted alike ("Guten Tag,"): shared mailboxes are read by whoever is on duty."""
    phrases = PHRASES[language]
    title = TITLES[milestone][language]
    subject = phrases["subject"].format(title=title, short=str(participant_id)[:8])
    lines = [
        phrases["greeting"],
        "",
        f"{phrases['milestone']}: {title}",
        f"{phrases['participant']}: {participant_id}",
        *header_lines(milestone, language, context),
        *fact_lines(milestone, facts, language, context),
        *next_step_lines(milestone, facts, language),
    ]
    if milestone in NOTES:
        lines += ["", phrases[NOTES[milestone]]]
    lines += ["", phrases["footer"], ""]
    return MailText(subject, "\n".join(lines))


def header_lines(milestone: Milestone, language: MailLanguage, context: MailContext) -> list[str]:
    """The participant's profession and region (unless the milestone's facts name them) and the reader's own case
    reference."""
    labels = LABELS[language]
    shown = FACTS[milestone]
    lines = []
    if context.profession is not None and "target_profession" not in shown:
        lines.append(f"{labels['participant_profession']}: {format_value(context.profession, language, 'profession')}")
    if context.region is not None and "region" not in shown:
        lines.append(f"{labels['region']}: {region_name(context.region, language.value)}")
    if context.case_reference is not None:
        lines.append(f"{labels['case_reference']}: {context.case_reference}")
    return lines


def fact_lines(
    milestone: Milestone, facts: Mapping[str, object], language: MailLanguage, context: MailContext = NO_CONTEXT
) -> list[str]:
    """ "Label: value" for each fact the milestone shows that the event holds."""
    label_keys = LABEL_KEYS.get(milestone, {})
    lines = []
    for name in FACTS[milestone]:
        value = facts.get(name)
        if value is None or value == []:
            continue
        label = LABELS[language][label_keys.get(name, name)]
        lines.append(f"{label}: {fact_value(milestone, name, value, facts, language, context)}")
    return lines


def fact_value(
    milestone: Milestone,
    name: str,
    value: object,
    facts: Mapping[str, object],
    language: MailLanguage,
    context: MailContext,
) -> str:
    """A fact as the reader reads it: organisations by name, regions by name, an exam attempt out of those allowed."""
    if name in ORG_FACTS and isinstance(value, str):
        return context.org_names.get(value) or value
    if name == "region" and isinstance(value, str):
        return region_name(value, language.value)
    if name in ("attempt", "attempts") and isinstance(value, int):
        allowed = attempts_allowed(facts.get("exam"), context.profession)
        if allowed is not None:
            return PHRASES[language]["of_attempts"].format(attempt=value, allowed=allowed)
    return format_value(value, language, name)


def attempts_allowed(exam: object, profession: str | None) -> int | None:
    """How many attempts the law allows at `exam` for the profession (`shared.contracts.routes.exam_rule`); None for
    exams without a limit, an unknown profession and codes this build does not know."""
    if profession is None:  # the rules differ by profession: say nothing rather than something wrong
        return None
    try:
        kind = ExamKind(str(exam))
        trade = Profession(profession)
    except ValueError:
        return None
    rule = exam_rule(trade, kind)
    return None if rule is None else rule.attempts


def next_step_lines(milestone: Milestone, facts: Mapping[str, object], language: MailLanguage) -> list[str]:
    """What to do next and by when, for the milestones that leave something to do."""
    step = NEXT_STEPS.get(milestone)
    if step is None:
        return []
    key, day_fact, passed = step
    phrases = PHRASES[language]
    lines = ["", f"{phrases['next_step']}: {phrases[key]}"]
    day = facts.get(day_fact) if day_fact is not None else None
    if day is not None:
        when = phrases["overdue_since" if passed else "by"].format(day=format_value(day, language))
        lines.append(f"{phrases['by_when']}: {when}")
    return lines


def next_step(milestone: Milestone, facts: Mapping[str, object], language: MailLanguage) -> str | None:
    """The next step on one line (for a digest), or None when there is nothing to do."""
    lines = next_step_lines(milestone, facts, language)
    if not lines:
        return None
    return " ".join([lines[1].split(": ", 1)[1], *lines[2:]])


def format_value(value: object, language: MailLanguage, fact: str | None = None) -> str:
    """Dates as the reader writes them, booleans as words, codes in the reader's language (as `fact` reads them,
    when `wording.FACT_VALUES` says), lists joined."""
    if isinstance(value, bool):
        return PHRASES[language]["yes" if value else "no"]
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(format_value(item, language, fact) for item in sorted(value, key=str))
    text = str(value)
    if fact in FACT_VALUES and text in FACT_VALUES[fact][language]:
        return FACT_VALUES[fact][language][text]
    date = _ISO_DATE.match(text)
    if date:
        year, month, day = date.groups()
        return f"{day}.{month}.{year}" if language is MailLanguage.DE else text
    if language is MailLanguage.DE:
        return VALUES_DE.get(text, text)
    return text.replace("_", " ") if text.islower() else text

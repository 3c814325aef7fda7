"""Mail texts for milestones: subject and body from the milestone's coarse facts. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from services.notifications.wording import FACT_VALUES, FACTS, LABEL_KEYS, LABELS, NOTES, PHRASES, TITLES, VALUES_DE
from shared.contracts.enums import Milestone
from shared.contracts.notifications import MailLanguage

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class MailText:
    subject: str
    body: str


def render(
    milestone: Milestone,
    participant_id: UUID | str,
    facts: Mapping[str, object],
    language: MailLanguage = MailLanguage.DE,
    salutation: str = "",
) -> MailText:
    """The mail about `milestone`; shows only the facts `wording.FACTS` lists for it, never anything else."""
    phrases = PHRASES[language]
    title = TITLES[milestone][language]
    subject = phrases["subject"].format(title=title, short=str(participant_id)[:8])
    lines = [
        phrases["greeting"].format(name=salutation).replace(" ,", ","),
        "",
        f"{phrases['milestone']}: {title}",
        f"{phrases['participant']}: {participant_id}",
    ]
    label_keys = LABEL_KEYS.get(milestone, {})
    for name in FACTS[milestone]:
        value = facts.get(name)
        if value is not None and value != []:
            label = LABELS[language][label_keys.get(name, name)]
            lines.append(f"{label}: {format_value(value, language, name)}")
    if milestone in NOTES:
        lines += ["", phrases[NOTES[milestone]]]
    lines += ["", phrases["footer"], ""]
    return MailText(subject, "\n".join(lines))


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

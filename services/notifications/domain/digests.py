"""Digests: which periods of a recipient are due, and the one mail that tells a period's milestones. Pure.

Days end at midnight Europe/Berlin, weeks on Sunday midnight; a period's digest is composed from `send_hour` local
time of the day after it. The first period is the one the recipient joined the directory in; after that every period
follows the last digest, so a service that was down across several periods catches up every one, oldest first.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from services.notifications.templates import MailContext, fact_lines, format_value, next_step
from services.notifications.wording import DIGEST_PHRASES, PHRASES, TITLES
from shared.contracts.enums import Milestone
from shared.contracts.notifications import URGENT_MILESTONES, DigestPeriod, MailLanguage
from shared.contracts.regions import region_name
from shared.ids import derived_id

BERLIN = ZoneInfo("Europe/Berlin")
DASH = "\u2013"  # en dash, as in 23.\u201329.11.2026
MIN_CELL = 5  # a count below this (1..4) is never shown in a figure; 0 is shown as 0

_LENGTH = {DigestPeriod.DAY: timedelta(days=1), DigestPeriod.WEEK: timedelta(days=7)}


def period_of(period: DigestPeriod, moment: datetime) -> date:
    """The first day of the period `moment` falls in (a Monday for weeks), in Berlin's calendar."""
    day = moment.astimezone(BERLIN).date()
    return day if period is DigestPeriod.DAY else day - timedelta(days=day.weekday())


def period_end(period: DigestPeriod, start: date) -> date:
    """The day after the period (exclusive end)."""
    return start + _LENGTH[period]


def bounds(period: DigestPeriod, start: date) -> tuple[datetime, datetime]:
    """The period as instants: from local midnight of its first day to local midnight after its last."""
    return _midnight(start), _midnight(period_end(period, start))


def due_at(period: DigestPeriod, start: date, send_hour: int) -> datetime:
    """When the period's digest is composed: `send_hour` local time of the day after the period."""
    return datetime.combine(period_end(period, start), time(send_hour), BERLIN)


def periods_due(
    period: DigestPeriod, registered_at: datetime, last_start: date | None, now: datetime, send_hour: int
) -> list[date]:
    """The periods that have ended and have no digest yet, oldest first: from the one after the last digest (or the
    one the recipient joined in) up to the last one whose sending hour has come."""
    start = period_of(period, registered_at) if last_start is None else period_end(period, last_start)
    due = []
    while due_at(period, start, send_hour) <= now:
        due.append(start)
        start = period_end(period, start)
    return due


def digest_delivery_id(recipient_id: str, period: DigestPeriod, start: date) -> UUID:
    """The same for every attempt at the same digest: also its Message-ID, so a re-send is recognisable."""
    return UUID(derived_id("digest", recipient_id, period.value, start.isoformat()))


@dataclass(frozen=True, slots=True)
class DigestEntry:
    """One milestone in a digest, with what the copy says of its participant. `mailed`: it went out at once (an
    urgent one), listed for the overview and the action needed, not as news."""

    participant_id: UUID
    milestone: Milestone
    happened_at: datetime
    facts: Mapping[str, object]
    profession: str | None = None
    region: str | None = None
    org_id: str | None = None
    case_reference: str | None = None
    mailed: bool = False


@dataclass(frozen=True, slots=True)
class DigestText:
    """A composed digest: the mail's subject, its text and HTML alternatives, and what it counts."""

    subject: str
    text: str
    html: str
    milestones: int
    participants: int


@dataclass(frozen=True, slots=True)
class DigestInput:
    """Everything a digest is made of."""

    period: DigestPeriod
    start: date
    language: MailLanguage
    entries: Sequence[DigestEntry]
    org_names: Mapping[str, str] = field(default_factory=dict)
    reporting_url: str = "http://127.0.0.1:8006/"


def counted(n: int, language: MailLanguage) -> str:
    """A headline figure under the disclosure rule: 1 to 4 as "fewer than 5"."""
    if 0 < n < MIN_CELL:
        return DIGEST_PHRASES[language]["fewer_than_5"]
    return str(n)


def span(period: DigestPeriod, start: date, language: MailLanguage) -> str:
    """23.11.2026, or 23.-29.11.2026 (23.11.-6.12.2026 across a month); in English 23 Nov 2026, 23-29 Nov 2026;
    with an en dash."""
    last = period_end(period, start) - timedelta(days=1)
    if language is MailLanguage.DE:
        if period is DigestPeriod.DAY:
            return f"{start:%d.%m.%Y}"
        if start.month == last.month:
            return f"{start:%d}.{DASH}{last:%d.%m.%Y}"
        if start.year == last.year:
            return f"{start:%d.%m}.{DASH}{last:%d.%m.%Y}"
        return f"{start:%d.%m.%Y}{DASH}{last:%d.%m.%Y}"
    if period is DigestPeriod.DAY:
        return f"{start.day} {start:%b %Y}"
    if start.month == last.month:
        return f"{start.day}{DASH}{last.day} {last:%b %Y}"
    return f"{start.day} {start:%b} {DASH} {last.day} {last:%b %Y}"


def compose(digest: DigestInput) -> DigestText | None:
    """The digest mail: the period's milestones grouped by participant, then the action needed (the urgent ones and
    their next step), then the headline figures per milestone (disclosure rule), then the link to the coordinators'
    page. None when the period kept nothing for the digest: nothing is sent."""
    if not any(not e.mailed for e in digest.entries):
        return None
    lang = digest.language
    words = DIGEST_PHRASES[lang]
    entries = sorted(digest.entries, key=lambda e: (e.happened_at, str(e.participant_id), e.milestone.value))
    people: dict[UUID, list[DigestEntry]] = {}
    for entry in entries:
        people.setdefault(entry.participant_id, []).append(entry)
    when = span(digest.period, digest.start, lang)
    subject = words[f"{digest.period.value}_subject"].format(
        span=when,
        # Counts in the subject follow the disclosure rule too (the list below names each one to its reader).
        milestones=counted(len(entries), lang),
        milestones_word=words["milestone_many"],
        participants=counted(len(people), lang),
    )
    text = _Doc()
    text.para(PHRASES[lang]["greeting"])
    text.para(words[f"intro_{digest.period.value}"].format(span=when))
    text.heading(words["by_participant"])
    for pid, theirs in people.items():
        text.item_heading(_who(theirs[0], digest, pid))
        for entry in theirs:
            text.bullet(_line(entry, digest))
    text.heading(words["action"])
    urgent = [e for e in entries if e.milestone in URGENT_MILESTONES]
    if not urgent:
        text.para(words["no_action"])
    for entry in urgent:
        title = TITLES[entry.milestone][lang]
        step = next_step(entry.milestone, entry.facts, lang) or ""
        text.bullet(f"{str(entry.participant_id)[:8]}…: {title}. {step}".strip())
    text.heading(words["figures"])
    counts: dict[Milestone, int] = {}
    for entry in entries:
        counts[entry.milestone] = counts.get(entry.milestone, 0) + 1
    rows = [(words["participants_total"], counted(len(people), lang))]
    rows += [(TITLES[m][lang], counted(counts[m], lang)) for m in Milestone if m in counts]
    text.table(rows)
    text.para(words["figures_note"])
    text.para(words["link"].format(url=digest.reporting_url), link=digest.reporting_url)
    text.para(PHRASES[lang]["footer"])
    return DigestText(subject, text.plain(), text.html(lang), len(entries), len(people))


def _who(entry: DigestEntry, digest: DigestInput, pid: UUID) -> str:
    """Pseudonym short form, profession, region, organisation, and the reader's own case reference."""
    lang = digest.language
    parts = [DIGEST_PHRASES[lang]["participant"].format(short=str(pid)[:8])]
    if entry.profession is not None:
        parts.append(format_value(entry.profession, lang, "profession"))
    if entry.region is not None:
        parts.append(region_name(entry.region, lang.value))
    if entry.org_id is not None:
        parts.append(digest.org_names.get(entry.org_id) or entry.org_id)
    if entry.case_reference is not None:
        parts.append(f"{PHRASES[lang]['case_reference']}: {entry.case_reference}")
    return " · ".join(parts)


def _line(entry: DigestEntry, digest: DigestInput) -> str:
    lang = digest.language
    day = format_value(entry.happened_at.astimezone(BERLIN).date().isoformat(), lang)
    context = MailContext(profession=entry.profession, org_names=digest.org_names)
    facts = "; ".join(fact_lines(entry.milestone, entry.facts, lang, context))
    line = f"{day}: {TITLES[entry.milestone][lang]}"
    if entry.mailed:
        line += f" ({DIGEST_PHRASES[lang]['mailed']})"
    return f"{line} {DASH} {facts}" if facts else line


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), BERLIN)


@dataclass(frozen=True, slots=True)
class _Block:
    kind: str  # para, heading, item, bullet, table
    text: str = ""
    link: str | None = None
    rows: tuple[tuple[str, str], ...] = ()


class _Doc:
    """The digest's text built once for both alternatives: plain text and simple HTML (no assets, nothing fetched)."""

    def __init__(self) -> None:
        self._blocks: list[_Block] = []

    def para(self, text: str, link: str | None = None) -> None:
        self._blocks.append(_Block("para", text, link))

    def heading(self, text: str) -> None:
        self._blocks.append(_Block("heading", text))

    def item_heading(self, text: str) -> None:
        self._blocks.append(_Block("item", text))

    def bullet(self, text: str) -> None:
        self._blocks.append(_Block("bullet", text))

    def table(self, rows: list[tuple[str, str]]) -> None:
        self._blocks.append(_Block("table", rows=tuple(rows)))

    def plain(self) -> str:
        out: list[str] = []
        for i, block in enumerate(self._blocks):
            following = self._blocks[i + 1].kind if i + 1 < len(self._blocks) else ""
            if block.kind == "para":
                out += [block.text, ""]
            elif block.kind == "heading":
                out += [block.text, "=" * len(block.text), ""]
            elif block.kind == "item":
                out.append(block.text)
            elif block.kind == "bullet":
                out.append(f"  - {block.text}")
                if following != "bullet":
                    out.append("")
            else:
                width = max(len(label) for label, _ in block.rows)
                out += [f"{label.ljust(width)}  {figure}" for label, figure in block.rows]
                out.append("")
        return "\n".join(out)

    def html(self, language: MailLanguage) -> str:
        out = [f'<!DOCTYPE html><html lang="{language.value}"><head><meta charset="utf-8"></head><body>']
        for i, block in enumerate(self._blocks):
            before = self._blocks[i - 1].kind if i else ""
            following = self._blocks[i + 1].kind if i + 1 < len(self._blocks) else ""
            text = html.escape(block.text)
            if block.kind == "para":
                body = text.replace("\n", "<br>")
                if block.link:
                    link = html.escape(block.link)
                    body = body.replace(link, f'<a href="{link}">{link}</a>')
                out.append(f"<p>{body}</p>")
            elif block.kind == "heading":
                out.append(f"<h2>{text}</h2>")
            elif block.kind == "item":
                out.append(f"<h3>{text}</h3>")
            elif block.kind == "bullet":
                out.append(("<ul>" if before != "bullet" else "") + f"<li>{text}</li>")
                if following != "bullet":
                    out.append("</ul>")
            else:
                cells = "".join(
                    f'<tr><td>{html.escape(label)}</td><td style="text-align:right">{html.escape(figure)}</td></tr>'
                    for label, figure in block.rows
                )
                out.append(f"<table>{cells}</table>")
        out.append("</body></html>")
        return "\n".join(out)

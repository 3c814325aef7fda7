"""A report as a download: CSV as German Excel opens it, and XLSX with one sheet per figure.

Both are built from the same sections (title, header, rows) with the page's labels, so the files say what the page
says. A suppressed count (1 to 4, or hidden so as not to give one away) is the text "x" in every format; nothing
here computes or un-suppresses a figure.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.reporting.figures import MIN_CELL, Count, Report, Role
from services.reporting.web.texts import Texts, label, region, text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SUPPRESSED = "x"  # as German statistics mark a cell kept secret
DASH = "\u2013"  # en dash, between the first and the last day
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | float


@dataclass(frozen=True)
class Section:
    key: str  # stable: funnel, durations, outcomes, counselling, retention, indicators, follow_up
    title: str
    header: list[str]
    rows: list[list[Cell]]


def file_stem(lang: str) -> str:
    return "bericht" if lang == "de" else "report"


def info(report: Report, lang: str) -> list[tuple[str, Cell]]:
    """What the figures are about: period, filters, scope, when, and the disclosure rule."""
    t = Texts(lang)
    f = report.filters
    if report.period is not None:
        period = (
            f"{report.period.name} ({report.period.starts_on.isoformat()} {DASH} {report.period.ends_on.isoformat()})"
        )
    elif f.from_day or f.to_day:
        period = f"{f.from_day.isoformat() if f.from_day else '…'} {DASH} {f.to_day.isoformat() if f.to_day else '…'}"
    else:
        period = t("headline.all_time")
    chosen = [
        (t("filters.region"), region(f.region, lang) if f.region else None),
        (t("filters.district"), f.district),
        (t("filters.org"), f.org_id),
        (t("filters.profession"), label("profession", f.profession, lang) if f.profession else None),
        (t("filters.country_group"), label("country_group", f.country_group, lang) if f.country_group else None),
    ]
    filters = "; ".join(f"{name}: {value}" for name, value in chosen if value) or t("info.none")
    scope = report.scope
    if scope.role is Role.COORDINATOR:
        seen = ", ".join(region(code, lang) for code in sorted(scope.regions))
    elif scope.role is Role.PARTNER:
        seen = scope.org_id or ""
    else:
        seen = t("scope.all_regions")
    return [
        (t("info.report"), t("title")),
        (t("info.period"), period),
        (t("info.filters"), filters),
        (t("info.scope"), f"{label('role', scope.role.value, lang)}: {seen}"),
        (t("info.generated_at"), report.generated_at.isoformat(timespec="seconds")),
        (t("info.participants"), _count(report.participants)),
        (t("info.disclosure"), t("legend.disclosure") + f" (MIN_CELL = {MIN_CELL})"),
    ]


def sections(report: Report, lang: str) -> list[Section]:
    """The report's figures as tables with the page's labels."""
    t = Texts(lang)
    result = [
        Section(
            "funnel",
            t("funnel.title"),
            [t("funnel.stage"), t("funnel.entered"), t("funnel.left"), t("funnel.active_at_end")],
            [
                [label("stage", r.stage, lang), _count(r.entered), _count(r.left), _count(r.active_at_end)]
                for r in report.funnel
            ],
        ),
        Section(
            "durations",
            t("durations.title"),
            [t("durations.span"), t("durations.n"), t("durations.median"), t("durations.p75"), t("durations.p90")],
            [
                [label("span", r.span, lang), _count(r.n), _days(r.median_days), _days(r.p75_days), _days(r.p90_days)]
                for r in report.durations
            ],
        ),
        Section(
            "outcomes",
            t("outcomes.title"),
            [t("outcomes.stage"), t("outcomes.outcome"), t("outcomes.count")],
            [
                [label("stage", r.stage, lang), label(f"outcome.{r.stage}", r.outcome, lang), _count(r.count)]
                for r in report.outcomes
            ],
        ),
        Section(
            "counselling",
            t("counselling.title"),
            [t("counselling.type"), t("counselling.count")],
            [[label("counselling", r.counselling_type, lang), _count(r.count)] for r in report.counselling],
        ),
        Section(
            "retention",
            t("retention.title"),
            [t("retention.months"), t("retention.due"), t("retention.still_employed"), t("retention.ended")],
            [[r.months, _count(r.due), _count(r.still_employed), _count(r.ended)] for r in report.retention],
        ),
        Section(
            "indicators",
            t("indicators.title"),
            [t("indicators.indicator"), t("indicators.category"), t("indicators.count")],
            [
                [
                    label("indicator", r.indicator, lang),
                    label(f"category.{r.indicator}", r.category, lang),
                    _count(r.count),
                ]
                for r in report.indicators
            ],
        ),
    ]
    if report.scope.role is not Role.FUNDER:
        own_refs = report.scope.role is Role.PARTNER  # a partner's own case references, only in its own export
        result.append(
            Section(
                "follow_up",
                t("follow_up.title"),
                [
                    t("follow_up.pseudonym"),
                    t("follow_up.profession"),
                    t("follow_up.stage"),
                    t("follow_up.region"),
                    t("follow_up.org"),
                    t("follow_up.kind"),
                    t("follow_up.due_on"),
                    *([t("follow_up.case_reference")] if own_refs else []),
                ],
                [
                    [
                        str(f.participant_id),
                        label("profession", f.profession, lang),
                        label("stage", f.stage, lang),
                        region(f.region, lang),
                        f.org_name or f.org_id or "",
                        label("kind", f.kind, lang),
                        f.due_on.isoformat(),
                        *([f.case_reference or ""] if own_refs else []),
                    ]
                    for f in report.follow_ups
                ],
            )
        )
    return result


def to_csv(report: Report, language: str) -> bytes:
    """UTF-8 with BOM and `;` as German Excel expects; the info first, then one block per figure (title, header,
    rows, an empty line). Decimals are written as the language writes them."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([text("info.sheet", language)])
    for name, value in info(report, language):
        writer.writerow([name, _csv(value, language)])
    for section in sections(report, language):
        writer.writerow([])
        writer.writerow([section.title])
        writer.writerow(section.header)
        writer.writerows([_csv(cell, language) for cell in row] for row in section.rows)
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(report: Report, language: str) -> bytes:
    """One sheet per figure (bold header row, numbers as numbers, "x" as text) and an "Info" sheet.

    openpyxl is imported on the first download, not at start-up: 4 MiB of every instance's memory for a page
    few open."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = text("info.sheet", language)
    for name, value in info(report, language):
        sheet.append([name, value])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    _widen(sheet, [30, 90])
    for section in sections(report, language):
        sheet = book.create_sheet(_sheet_title(section.title))
        sheet.append(section.header)
        for column in range(1, len(section.header) + 1):
            sheet.cell(1, column).font = Font(bold=True)
        for row in section.rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        _widen(
            sheet, [max(len(str(c)) for c in column) + 2 for column in zip(section.header, *section.rows, strict=True)]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _count(value: Count) -> Cell:
    return SUPPRESSED if value is None else value


def _days(value: float | None) -> Cell:
    return "" if value is None else value


def _csv(cell: Cell, lang: str) -> Cell:
    if isinstance(cell, float) and lang == "de":
        return str(cell).replace(".", ",")
    return cell


def _sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    return "".join(" " if c in "[]:*?/\\" else c for c in title)[:31]


def _widen(sheet: Worksheet, widths: Sequence[int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 8), 60)

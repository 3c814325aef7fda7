"""Exports parse with the csv module and openpyxl, carry the report's numbers, and show "x" for every suppressed
count (a local Report, no database)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime

import openpyxl
import pytest

from services.reporting import exports
from services.reporting.figures import (
    CounsellingRow,
    Count,
    DurationRow,
    Filters,
    FollowUp,
    FunnelRow,
    IndicatorRow,
    OutcomeRow,
    PeriodInfo,
    Report,
    RetentionRow,
    Role,
    Scope,
)

PARTICIPANT = uuid.UUID("3f2a9c4e-1b7d-4e8a-9c0f-5d6e7a8b9c0d")


def sample_report(scope: Scope | None = None, filters: Filters | None = None) -> Report:
    """A report as `figures.report` returns it: some counts suppressed (None), some zero, some large."""
    scope = scope or Scope(role=Role.COORDINATOR, regions=frozenset({"DE-SL"}))
    return Report(
        filters=filters or Filters(period_id="esf-2026"),
        scope=scope,
        generated_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
        period=PeriodInfo("esf-2026", "ESF+ 2026", date(2026, 1, 1), date(2026, 12, 31), closed=False),
        participants=1234,
        funnel=[
            FunnelRow("recruitment", 1234, 40, 1194),
            FunnelRow("recognition", 812, 12, 600),
            FunnelRow("qualification", 230, None, 221),
            FunnelRow("placement", 57, 0, 57),
            FunnelRow("follow_up", None, 0, None),
        ],
        durations=[
            DurationRow("recruited_to_application", 812, 21.0, 35.5, 60.0),
            DurationRow("application_to_decision", 300, 88.5, 101.0, 130.0),
            DurationRow("decision_to_licence", None, None, None, None),
            DurationRow("licence_to_employment", 0, None, None, None),
            DurationRow("recruited_to_employment", 57, 240.0, 300.0, 365.0),
        ],
        outcomes=[
            OutcomeRow("recognition", "full_equivalence", 120),
            OutcomeRow("recognition", "rejected", None),
            OutcomeRow("qualification", "completed", 30),
            OutcomeRow("exit", "employed", 57),
        ],
        counselling=[CounsellingRow("first_contact", 410), CounsellingRow("employer", None)],
        retention=[RetentionRow(6, 40, 38, None), RetentionRow(12, 0, 0, 0)],
        indicators=[
            IndicatorRow("gender", "female", 800),
            IndicatorRow("gender", "diverse", None),
            IndicatorRow("age_band", "30_54", 700),
            IndicatorRow("result_at_exit", "employed", 57),
        ],
        follow_ups=[]
        if scope.role is Role.FUNDER
        else [
            FollowUp(
                PARTICIPANT,
                "doctor",
                "recognition",
                "DE-SL",
                "iq-saar-example",
                "IQ Saar <Beispiel>",
                "decision_overdue",
                date(2026, 10, 1),
            ),
            FollowUp(
                uuid.uuid4(),
                "nursing_professional",
                "placement",
                "DE-SL",
                None,
                None,
                "retention_check_due",
                date(2026, 12, 1),
            ),
        ],
    )


def counts(report: Report) -> list[Count]:
    """Every count of the report, in the order the exports write them."""
    found: list[Count] = [report.participants]
    for f in report.funnel:
        found += [f.entered, f.left, f.active_at_end]
    found += [d.n for d in report.durations]
    found += [o.count for o in report.outcomes] + [c.count for c in report.counselling]
    for r in report.retention:
        found += [r.due, r.still_employed, r.ended]
    return found + [i.count for i in report.indicators]


def csv_blocks(body: bytes) -> dict[str, list[list[str]]]:
    """The CSV's blocks by title (first row after an empty line), each with its header and rows."""
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, as German Excel expects"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    blocks: dict[str, list[list[str]]] = {}
    title = None
    for row in rows:
        if not row:
            title = None
        elif title is None:
            title = row[0]
            blocks[title] = []
        else:
            blocks[title].append(row)
    return blocks


def test_csv_has_a_block_per_figure_with_the_report_numbers() -> None:
    report = sample_report()
    blocks = csv_blocks(exports.to_csv(report, "de"))
    assert list(blocks) == [
        "Info",
        "Verlauf nach Phasen",
        "Dauern zwischen Meilensteinen",
        "Ergebnisse",
        "Beratungen nach Art",
        "Verbleib in Beschäftigung",
        "ESF+-Indikatoren",
        "Wiedervorlagen",
    ]
    funnel = blocks["Verlauf nach Phasen"]
    assert funnel[0] == ["Phase", "Eingetreten", "Ausgetreten", "Aktiv am Ende"]
    assert funnel[1] == ["Gewinnung und Erstberatung", "1234", "40", "1194"]
    assert funnel[3] == ["Qualifizierung", "230", "x", "221"]
    assert funnel[5] == ["Nachbetreuung", "x", "0", "x"]
    durations = blocks["Dauern zwischen Meilensteinen"]
    assert durations[2] == ["Antrag → Bescheid", "300", "88,5", "101,0", "130,0"]
    assert durations[3] == ["Bescheid → Berufszulassung", "x", "", "", ""]
    info = dict(row[:2] for row in blocks["Info"])
    assert info["Zeitraum"] == "ESF+ 2026 (2026-01-01 \u2013 2026-12-31)"
    assert info["Teilnehmende (Eintritte)"] == "1234"
    assert info["Sichtbereich"] == "Netzwerkkoordination: Saarland"
    assert str(PARTICIPANT) in [row[0] for row in blocks["Wiedervorlagen"]]


def test_csv_shows_less_than_five_exactly_where_a_count_is_suppressed() -> None:
    report = sample_report()
    cells = [cell for rows in csv_blocks(exports.to_csv(report, "en")).values() for row in rows for cell in row]
    assert cells.count("x") == sum(1 for c in counts(report) if c is None)
    assert not any(cell in {"1", "2", "3", "4"} for cell in cells)


def test_xlsx_has_a_sheet_per_figure_numbers_as_numbers_and_less_than_five_as_text() -> None:
    report = sample_report()
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(report, "de")))
    assert book.sheetnames == [
        "Info",
        "Verlauf nach Phasen",
        "Dauern zwischen Meilensteinen",
        "Ergebnisse",
        "Beratungen nach Art",
        "Verbleib in Beschäftigung",
        "ESF+-Indikatoren",
        "Wiedervorlagen",
    ]
    funnel = book["Verlauf nach Phasen"]
    assert all(cell.font.bold for cell in funnel[1])
    rows = [[cell.value for cell in row] for row in funnel.iter_rows(min_row=2)]
    assert rows[0] == ["Gewinnung und Erstberatung", 1234, 40, 1194]
    assert rows[2] == ["Qualifizierung", 230, "x", 221]
    durations = [[c.value for c in row] for row in book["Dauern zwischen Meilensteinen"].iter_rows(min_row=2)]
    assert durations[1][1:] == [300, 88.5, 101.0, 130.0]
    written: list[object] = [book["Info"]["B6"].value]
    for sheet in book.worksheets[1:7]:
        for row in sheet.iter_rows(min_row=2):
            written += [c.value for c in row if isinstance(c.value, int) or c.value == "x"]
    assert written.count("x") == sum(1 for c in counts(report) if c is None)
    info = {row[0].value: row[1].value for row in book["Info"].iter_rows()}
    assert info["Zeitraum"] == "ESF+ 2026 (2026-01-01 \u2013 2026-12-31)"
    assert info["Erstellt am"] == "2026-11-02T09:30:00+00:00"
    assert "„x“" in str(info["Regel"])


def test_funder_exports_have_no_participant_rows() -> None:
    report = sample_report(Scope(role=Role.FUNDER))
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(report, "en")))
    assert "Follow-up list" not in book.sheetnames
    assert "Follow-up list" not in csv_blocks(exports.to_csv(report, "en"))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_labels_come_from_the_page_texts(lang: str) -> None:
    blocks = csv_blocks(exports.to_csv(sample_report(), lang))
    kinds = [row[5] for row in blocks["Wiedervorlagen" if lang == "de" else "Follow-up list"][1:]]
    assert kinds == (
        ["Bescheid überfällig", "Verbleibsabfrage fällig"]
        if lang == "de"
        else ["Decision overdue", "Retention check due"]
    )

"""The operator's export from the command line: the same report as the page, in the scope given there."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from tests.integration.reporting.test_web_access import reporting_page, web_cohort  # noqa: F401  (the fixtures)
from tests.support.infra import Infra
from tests.support.reporting_page import Cohort, cli


def test_export_for_one_organisation_counts_its_cohort(infra: Infra, web_cohort: Cohort, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "partner-a.xlsx"
    done = cli(infra, "export", "--format", "xlsx", "--out", str(out), "--org", web_cohort.org_a)
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out)
    funnel = [[c.value for c in row] for row in book.worksheets[1].iter_rows(min_row=2)]
    assert funnel[0][1:2] == [6] and funnel[1][1:2] == [5]
    ids = [str(c.value) for row in book.worksheets[-1].iter_rows() for c in row]
    assert str(web_cohort.a[0]) in ids and str(web_cohort.b) not in ids


def test_export_as_a_coordinator_stays_in_the_region(infra: Infra, web_cohort: Cohort, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "saar.csv"
    done = cli(infra, "export", "--format", "csv", "--out", str(out), "--role", "coordinator", "--region", "DE-SL")
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig")), delimiter=";"))
    cells = {cell for row in rows for cell in row}
    assert str(web_cohort.a[0]) in cells and str(web_cohort.b) not in cells


def test_export_refuses_a_partner_scope_without_organisation(infra: Infra, tmp_path: Path) -> None:
    done = cli(infra, "export", "--format", "csv", "--out", str(tmp_path / "x.csv"), "--role", "partner")
    assert done.returncode == 2 and "needs --org" in done.stderr

"""The coordinator page on the real service and database: sign-in, and each role sees exactly its scope. Partner A
never sees partner B's participant (page or export), a Saarland coordinator is refused Bavaria, a funder gets no
follow-up list; the export carries the page's numbers."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.support.infra import Infra
from tests.support.kafka import Partner
from tests.support.reporting_page import Cohort, PageClient, ReportingService, cli, create_account, publish, wait_until


@pytest.fixture(scope="module")
def reporting_page(infra: Infra, log_dir: Path) -> Iterator[ReportingService]:
    service = ReportingService(infra, log_dir).start()
    yield service
    service.stop()


@pytest.fixture(scope="module")
async def web_cohort(
    infra: Infra, partner: Partner, reporting_page: ReportingService, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Cohort]:
    web_cohort = Cohort()
    tmp = tmp_path_factory.mktemp("accounts")
    create_account(infra, tmp, web_cohort.login("coord-saar"), "--role", "coordinator", "--region", "DE-SL")
    create_account(infra, tmp, web_cohort.login("partner-a"), "--role", "partner", "--org", web_cohort.org_a)
    create_account(infra, tmp, web_cohort.login("partner-b"), "--role", "partner", "--org", web_cohort.org_b)
    create_account(infra, tmp, web_cohort.login("funder"), "--role", "funder")
    await publish(partner, web_cohort, date.today())
    page = PageClient(reporting_page.url)
    assert page.log_in(web_cohort.login("partner-a")).status == 200

    def counted() -> bool:
        answer = page.request("/")
        return answer.figure("funnel.recognition.entered") == "5" and answer.figure("participants") == "6"

    wait_until(counted, timeout_s=240, what="partner A's cohort on the page")  # a new group reads the backlog first
    b = PageClient(reporting_page.url)
    assert b.log_in(web_cohort.login("partner-b")).status == 200
    wait_until(lambda: str(web_cohort.b) in b.request("/follow-up").text, what="partner B's participant on its list")
    yield web_cohort


def signed_in(reporting_page: ReportingService, login: str) -> PageClient:
    page = PageClient(reporting_page.url)
    answer = page.log_in(login)
    assert answer.status == 200 and 'id="signed-in-as"' in answer.text
    return page


def test_sign_in_needs_the_forms_csrf_token(reporting_page: ReportingService, web_cohort: Cohort) -> None:
    page = PageClient(reporting_page.url)
    page.request("/login")
    refused = page.request("/login", {"login": web_cohort.login("partner-a"), "password": "cohort-password-example-1"})
    assert refused.status == 403
    assert page.request("/").status == 200 and 'id="login-form"' in page.request("/").text  # still signed out
    assert page.log_in(web_cohort.login("partner-a"), "wrong password here").status == 401


def test_pages_carry_the_security_headers(reporting_page: ReportingService, web_cohort: Cohort) -> None:
    answer = signed_in(reporting_page, web_cohort.login("partner-a")).request("/")
    assert answer.headers["content-security-policy"].startswith("default-src 'self'")
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["cache-control"] == "no-store"


def test_partner_a_sees_its_cohort_and_never_partner_bs_participant(
    reporting_page: ReportingService, web_cohort: Cohort
) -> None:
    page = signed_in(reporting_page, web_cohort.login("partner-a"))
    dashboard = page.request("/")
    assert dashboard.figure("funnel.recruitment.entered") == "6"
    assert dashboard.figure("funnel.recognition.entered") == "5"
    assert dashboard.figure("funnel.placement.entered") == "0"
    follow_up = page.request("/follow-up")
    for pid in web_cohort.a[:5]:
        assert f'data-participant="{pid}" data-kind="receipt_overdue"' in follow_up.text
    assert str(web_cohort.a[5]) not in follow_up.text
    assert "Beratung Saar Beispiel" in follow_up.text
    for path in ("/follow-up", "/export.csv", "/follow-up?region=DE-BY", "/export.csv?region=DE-BY"):
        assert str(web_cohort.b) not in page.request(path).text, path
    xlsx = page.request("/export.xlsx")
    assert xlsx.status == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.body))
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert str(web_cohort.b) not in cells and str(web_cohort.a[0]) in cells
    assert page.request(f"/?org={web_cohort.org_b}").status == 403
    assert page.request(f"/export.xlsx?org={web_cohort.org_b}").status == 403


def test_a_partners_own_case_references_are_shown_to_it_alone(
    reporting_page: ReportingService, web_cohort: Cohort
) -> None:
    own = signed_in(reporting_page, web_cohort.login("partner-a"))
    listed = own.request("/follow-up").text
    assert f'data-case-reference="{web_cohort.reference("a", 0)}"' in listed
    assert web_cohort.reference("a", 0) in own.request("/export.csv").text
    assert web_cohort.reference("b", 0) not in listed
    coordinator = signed_in(reporting_page, web_cohort.login("coord-saar"))
    for path in ("/follow-up", "/export.csv"):
        assert web_cohort.reference("a", 0) not in coordinator.request(path).text, path


def test_a_partner_with_one_participant_sees_less_than_five(
    reporting_page: ReportingService, web_cohort: Cohort
) -> None:
    dashboard = signed_in(reporting_page, web_cohort.login("partner-b")).request("/")
    assert dashboard.figure("funnel.recruitment.entered") == "suppressed"
    assert 'data-figure="funnel.recruitment.entered" data-value="suppressed" class="num suppressed">x<' in (
        dashboard.text
    )
    csv_text = signed_in(reporting_page, web_cohort.login("partner-b")).request("/export.csv").body.decode("utf-8-sig")
    assert ";x;" in csv_text


def test_the_export_carries_the_pages_numbers(reporting_page: ReportingService, web_cohort: Cohort) -> None:
    page = signed_in(reporting_page, web_cohort.login("partner-a"))
    dashboard = page.request("/")
    book = openpyxl.load_workbook(io.BytesIO(page.request("/export.xlsx").body))
    funnel = [[c.value for c in row] for row in book.worksheets[1].iter_rows(min_row=2)]
    stages = ["recruitment", "recognition", "qualification", "placement", "follow_up"]
    for stage, row in zip(stages, funnel, strict=True):
        for column, name in ((1, "entered"), (2, "left"), (3, "active_at_end")):
            shown = dashboard.figure(f"funnel.{stage}.{name}")
            assert str(row[column]) == ("x" if shown == "suppressed" else shown), (stage, name)


def test_a_saarland_coordinator_is_refused_bavaria(reporting_page: ReportingService, web_cohort: Cohort) -> None:
    page = signed_in(reporting_page, web_cohort.login("coord-saar"))
    for path in ("/?region=DE-BY", "/follow-up?region=DE-BY", "/export.csv?region=DE-BY", "/export.xlsx?region=DE-BY"):
        answer = page.request(path)
        assert answer.status == 403 and 'data-reason="error.region_refused"' in answer.text, path
    follow_up = page.request("/follow-up")
    assert str(web_cohort.a[0]) in follow_up.text and str(web_cohort.b) not in follow_up.text
    assert str(web_cohort.b) not in page.request("/export.csv").text
    dashboard = page.request("/?region=DE-SL")
    assert int(dashboard.figure("funnel.recruitment.entered") or "0") >= 6


def test_a_funder_sees_aggregates_only(reporting_page: ReportingService, web_cohort: Cohort) -> None:
    page = signed_in(reporting_page, web_cohort.login("funder"))
    assert page.request("/follow-up").status == 403
    dashboard = page.request("/")
    assert "data-participant" not in dashboard.text and 'id="nav-follow-up"' not in dashboard.text
    book = openpyxl.load_workbook(io.BytesIO(page.request("/export.xlsx").body))
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert str(web_cohort.a[0]) not in cells and str(web_cohort.b) not in cells


def test_a_disabled_account_is_signed_out(infra: Infra, reporting_page: ReportingService, web_cohort: Cohort) -> None:
    page = signed_in(reporting_page, web_cohort.login("partner-b"))
    listed = cli(infra, "accounts", "list")
    assert (
        listed.returncode == 0
        and f"{web_cohort.login('partner-b')}\tpartner\t{web_cohort.org_b}\tactive" in listed.stdout
    )
    assert cli(infra, "accounts", "disable", "--login", web_cohort.login("partner-b")).returncode == 0
    assert 'id="login-form"' in page.request("/").text
    assert page.log_in(web_cohort.login("partner-b")).status == 401

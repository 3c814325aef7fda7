"""The coordinator page in a real browser (Debian's Chromium through Selenium, headless, no network): sign in, see
the funnel of a seeded cohort, filter by region, open the follow-up list, download an export and open it with
openpyxl, and be refused another region's data. The coordinator's region is new each run, so the counts are exact."""

from __future__ import annotations

import io
import os
import random
import string
import time
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.support.infra import Infra
from tests.support.kafka import Partner
from tests.support.reporting_page import (
    PASSWORD,
    Cohort,
    PageClient,
    ReportingService,
    create_account,
    publish,
    wait_until,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = [pytest.mark.browser, pytest.mark.integration]

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI needs Debian's chromium and chromium-driver for the browser test")
    pytest.skip("no /usr/bin/chromium or /usr/bin/chromedriver", allow_module_level=True)

from selenium import webdriver  # noqa: E402  (only once a browser is known to be there)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions as until  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


def new_region() -> str:
    """A region code of the contracts' shape that no other test uses: this cohort's counts are exact."""
    return "DE-" + "".join(random.choices(string.ascii_uppercase, k=3))


@pytest.fixture(scope="module")
def reporting_page(infra: Infra, log_dir: Path) -> Iterator[ReportingService]:
    service = ReportingService(infra, log_dir).start()
    yield service
    service.stop()


@pytest.fixture(scope="module")
async def browser_cohort(
    infra: Infra, partner: Partner, reporting_page: ReportingService, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Cohort]:
    cohort = Cohort(region_a=new_region(), region_b=new_region())
    create_account(
        infra, tmp_path_factory.mktemp("accounts"), cohort.login("coord"), "--role", "coordinator",
        "--region", cohort.region_a,
    )  # fmt: skip
    await publish(partner, cohort, date.today())
    page = PageClient(reporting_page.url)
    page.log_in(cohort.login("coord"))
    wait_until(
        lambda: page.request("/follow-up").text.count('data-kind="receipt_overdue"') == 5,
        timeout_s=240,
        what="the cohort's follow-ups on the page",
    )
    yield cohort


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,1600",
    ):  # fmt: skip
        options.add_argument(flag)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    # An explicit driver path: Selenium Manager must never try to download one (this machine has no network).
    browser = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    browser.implicitly_wait(5)
    yield browser
    browser.quit()


def arrive(browser: WebDriver, url_part: str, timeout_s: float = 20) -> None:
    """Wait until a click's navigation has loaded the page whose address contains `url_part` (a click returns once
    the event is dispatched, not when the next page is there)."""
    WebDriverWait(browser, timeout_s).until(until.url_contains(url_part))
    WebDriverWait(browser, timeout_s).until(lambda b: b.execute_script("return document.readyState") == "complete")


def figure(browser: WebDriver, key: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, f'[data-figure="{key}"]').text


def downloaded(directory: Path, suffix: str, timeout_s: float = 20) -> Path:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        done = [p for p in directory.glob(f"*{suffix}") if not p.name.endswith(".crdownload")]
        if done:
            return done[0]
        time.sleep(0.2)
    raise TimeoutError(f"no {suffix} file in {directory}: {list(directory.iterdir())}")


def test_a_coordinator_works_with_the_page(
    driver: WebDriver, reporting_page: ReportingService, browser_cohort: Cohort, tmp_path: Path
) -> None:
    base, cohort = reporting_page.url, browser_cohort
    driver.get(f"{base}/")
    assert driver.current_url.endswith("/login")
    driver.find_element(By.ID, "login").send_keys(cohort.login("coord"))
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login-submit").click()
    WebDriverWait(driver, 20).until(until.presence_of_element_located((By.ID, "signed-in-as")))

    # The funnel of the seeded cohort: 6 recruited, 5 with an application; chart and table.
    assert driver.find_element(By.ID, "signed-in-as").get_attribute("data-role") == "coordinator"
    assert driver.find_element(By.ID, "funnel-chart").is_displayed()
    assert figure(driver, "funnel.recruitment.entered") == "6"
    assert figure(driver, "funnel.recognition.entered") == "5"
    assert figure(driver, "funnel.placement.entered") == "0"
    assert figure(driver, "participants") == "6"

    # Filter by region (the form works without JavaScript: a GET).
    Select(driver.find_element(By.ID, "filter-region")).select_by_value(cohort.region_a)
    driver.find_element(By.ID, "filter-apply").click()
    arrive(driver, f"region={cohort.region_a}")
    assert figure(driver, "funnel.recruitment.entered") == "6"

    # The follow-up list: the five overdue receipts, partner B's participant nowhere.
    driver.find_element(By.ID, "nav-follow-up").click()
    arrive(driver, "/follow-up")
    rows = driver.find_elements(By.CSS_SELECTOR, "#follow-up-table tbody tr[data-participant]")
    assert sorted(r.get_attribute("data-participant") or "" for r in rows) == sorted(str(p) for p in cohort.a[:5])
    assert all(r.get_attribute("data-kind") == "receipt_overdue" for r in rows)
    assert all("overdue" in (r.get_attribute("class") or "") for r in rows)
    assert str(cohort.b) not in driver.page_source

    # Download the export and open it with the spreadsheet library.
    driver.find_element(By.ID, "export-xlsx").click()
    book = openpyxl.load_workbook(io.BytesIO(downloaded(tmp_path / "downloads", ".xlsx").read_bytes()))
    funnel = [[c.value for c in row] for row in book.worksheets[1].iter_rows(min_row=2)]
    assert funnel[0][1] == 6 and funnel[1][1] == 5
    ids = {str(c.value) for row in book.worksheets[-1].iter_rows(min_row=2) for c in row[:1]}
    assert ids == {str(p) for p in cohort.a[:5]}

    # Another region's data is refused, on the page and for the download.
    for path in (f"/?region={cohort.region_b}", f"/follow-up?region={cohort.region_b}"):
        driver.get(base + path)
        assert driver.find_element(By.ID, "refused").is_displayed()
        assert driver.find_element(By.ID, "refusal-reason").get_attribute("data-reason") == "error.region_refused"
    assert str(cohort.b) not in driver.page_source

    # English on request; signing out ends the session.
    driver.get(f"{base}/?lang=en")
    assert driver.find_element(By.ID, "funnel-title").text == "Funnel by stage"
    driver.find_element(By.ID, "logout").click()
    arrive(driver, "/login")
    driver.get(f"{base}/follow-up")
    assert driver.current_url.endswith("/login")

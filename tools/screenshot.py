"""Screenshots of the coordinator page for the README: signs in to a running reporting service with Debian's Chromium
(headless, no network needed) and saves the overview and the follow-up list as PNG files.

    uv run python -m tools.screenshot --url http://127.0.0.1:8006 --login coord-saar --password-file pw.txt

The lead runs it after `make simulate`; the files go to docs/ (`coordinator-page.png`, `coordinator-follow-up.png`).
"""

from __future__ import annotations

import argparse
import getpass
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[1]
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
)
PAGES = (("/", "coordinator-page.png"), ("/follow-up", "coordinator-follow-up.png"))


def browser(profile: Path, chromium: Path, chromedriver: Path, width: int, language: str = "de") -> WebDriver:
    """Chromium with an explicit driver, so Selenium Manager never tries to download one; in the page's language
    (date fields are shown as the browser's locale has them)."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    locale = "de-DE" if language == "de" else "en-GB"
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},900", f"--lang={locale}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": locale})
    return webdriver.Chrome(service=Service(executable_path=str(chromedriver)), options=options)


def sign_in(driver: WebDriver, url: str, login: str, password: str, language: str) -> None:
    driver.get(f"{url}/login?lang={language}")
    driver.find_element(By.ID, "login").send_keys(login)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "login-submit").click()
    try:  # the click returns before the next page is there
        WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.ID, "signed-in-as"))
    except TimeoutException:
        raise SystemExit(f"sign-in as {login} failed at {url}") from None


def full_page(driver: WebDriver, path: Path, width: int) -> None:
    """The whole page, not only the window: the window is made as tall as the document first."""
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(width, min(max(height, 600), 6000))
    driver.save_screenshot(str(path))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--url", default="http://127.0.0.1:8006", help="the reporting service")
    parser.add_argument("--login", required=True)
    secret = parser.add_mutually_exclusive_group()
    secret.add_argument("--password", help="the password (else --password-file, else asked)")
    secret.add_argument("--password-file", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="directory for the PNG files")
    parser.add_argument("--language", default="de", choices=["de", "en"])
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--chromium", type=Path, default=Path("/usr/bin/chromium"))
    parser.add_argument("--chromedriver", type=Path, default=Path("/usr/bin/chromedriver"))
    args = parser.parse_args(argv)
    if args.password is not None:
        password = args.password
    elif args.password_file is not None:
        password = args.password_file.read_text().splitlines()[0]
    else:
        password = getpass.getpass(f"password for {args.login}: ")
    url = args.url.rstrip("/")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="journey-screenshot-") as profile:
        driver = browser(Path(profile), args.chromium, args.chromedriver, args.width, args.language)
        try:
            sign_in(driver, url, args.login, password, args.language)
            for page, name in PAGES:
                driver.get(url + page)
                full_page(driver, args.out / name, args.width)
                print(args.out / name)
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())

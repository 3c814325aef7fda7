"""The coordinator page over fake accounts and a fake figure source: sign-in with CSRF, sessions that expire when
idle, throttling, the scope from the account only, refusals, security headers, and the figures' cells."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

import pytest
from starlette.types import ASGIApp, Message

from services.reporting.accounts import LOCKOUT, MAX_FAILURES, Account, Session, new_account
from services.reporting.figures import Filters, Options, PeriodInfo, Report, Role, Scope
from services.reporting.web.app import WebConfig, build
from tests.unit.reporting.test_exports import PARTICIPANT, sample_report

PASSWORD = "correct horse battery"


class FakeAccounts:
    """The accounts store in memory, with the same rules as the SQL (lock after MAX_FAILURES, idle expiry)."""

    def __init__(self, *accounts: Account) -> None:
        self.accounts = {a.login: a for a in accounts}
        self.sessions: dict[bytes, Session] = {}

    async def find(self, login: str) -> Account | None:
        return self.accounts.get(login)

    async def record_failure(self, login: str, now: datetime) -> None:
        a = self.accounts[login]
        n = a.failed_logins + 1
        locked = n >= MAX_FAILURES
        self.accounts[login] = replace(
            a, failed_logins=0 if locked else n, locked_until=now + LOCKOUT if locked else a.locked_until
        )

    async def record_success(self, login: str, now: datetime) -> None:
        self.accounts[login] = replace(self.accounts[login], failed_logins=0, locked_until=None)

    async def open_session(self, digest: bytes, session: Session, now: datetime) -> None:
        self.sessions[digest] = session

    async def touch(self, digest: bytes, now: datetime, expires_at: datetime) -> Session | None:
        session = self.sessions.get(digest)
        if session is None or session.expires_at <= now or self.accounts[session.account.login].disabled:
            return None
        self.sessions[digest] = replace(session, expires_at=expires_at)
        return self.sessions[digest]

    async def set_language(self, digest: bytes, language: str) -> None:
        self.sessions[digest] = replace(self.sessions[digest], language=language)

    async def close_session(self, digest: bytes) -> None:
        self.sessions.pop(digest, None)


@dataclass
class FakeFigures:
    """Answers with the sample report; records the scope and filters each call was given."""

    calls: list[tuple[Filters, Scope]] = field(default_factory=list)

    async def report(self, filters: Filters, scope: Scope, today: date) -> Report:
        self.calls.append((filters, scope))
        return sample_report(scope, filters)

    async def options(self, scope: Scope) -> Options:
        regions = sorted(scope.regions) if scope.role is Role.COORDINATOR else ["DE-BY", "DE-SL"]
        period = PeriodInfo("esf-2026", "ESF+ 2026", date(2026, 1, 1), date(2026, 12, 31), closed=False)
        return Options([period], regions, ["10041"], [("iq-saar-example", "IQ Saar")], ["doctor"], ["third_country"])


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name.lower()), None)

    def cookies(self) -> list[str]:
        return [v for k, v in self.headers if k == "set-cookie"]

    def figure(self, key: str) -> str:
        match = re.search(rf'data-figure="{re.escape(key)}"[^>]*>([^<]*)<', self.text)
        assert match, f"no cell {key}"
        return match.group(1)


class Client:
    """Calls the ASGI app directly (httpx is not a dependency), keeping cookies like a browser."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.jar: dict[str, str] = {}

    async def get(self, path: str) -> Answer:
        return await self.request("GET", path)

    async def post(self, path: str, form: dict[str, str]) -> Answer:
        return await self.request("POST", path, urlencode(form).encode())

    async def request(self, method: str, target: str, body: bytes = b"") -> Answer:
        path, _, query = target.partition("?")
        headers = [(b"host", b"testserver")]
        if self.jar:
            headers.append((b"cookie", "; ".join(f"{k}={v}" for k, v in self.jar.items()).encode()))
        if method == "POST":
            headers.append((b"content-type", b"application/x-www-form-urlencoded"))
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 5000),
            "server": ("testserver", 80),
        }
        incoming = [{"type": "http.request", "body": body, "more_body": False}]
        sent: list[Message] = []

        async def receive() -> Message:
            return incoming.pop(0) if incoming else {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            sent.append(message)

        await self.app(scope, receive, send)
        answer = Answer(
            sent[0]["status"],
            [(k.decode().lower(), v.decode()) for k, v in sent[0]["headers"]],
            b"".join(m.get("body", b"") for m in sent[1:]),
        )
        for raw in answer.cookies():
            cookie = SimpleCookie(raw)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.jar.pop(name, None)
                else:
                    self.jar[name] = morsel.value
        return answer

    async def log_in(self, login: str, password: str = PASSWORD) -> Answer:
        form = await self.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert csrf
        return await self.post("/login", {"csrf_token": csrf.group(1), "login": login, "password": password})

    def csrf(self, page: Answer) -> str:
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert match
        return match.group(1)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def people() -> list[Account]:
    return [
        new_account("coord-saar", Role.COORDINATOR, PASSWORD, regions=["DE-SL"]),
        new_account("partner-a", Role.PARTNER, PASSWORD, org_id="iq-saar-example"),
        new_account("funder", Role.FUNDER, PASSWORD),
    ]


@dataclass
class Page:
    client: Client
    accounts: FakeAccounts
    figures: FakeFigures
    clock: Clock


@pytest.fixture
def page(people: list[Account]) -> Page:
    accounts, figures, clock = FakeAccounts(*people), FakeFigures(), Clock()
    return Page(Client(build(accounts, figures, WebConfig(now=clock))), accounts, figures, clock)


async def test_sign_in_without_csrf_token_is_refused(page: Page) -> None:
    await page.client.get("/login")
    answer = await page.client.post("/login", {"login": "coord-saar", "password": PASSWORD})
    assert answer.status == 403
    assert "journey_session" not in page.client.jar


async def test_sign_in_with_a_wrong_csrf_token_is_refused(page: Page) -> None:
    await page.client.get("/login")
    answer = await page.client.post("/login", {"csrf_token": "forged", "login": "coord-saar", "password": PASSWORD})
    assert answer.status == 403
    assert not page.accounts.sessions


async def test_sign_in_sets_a_strict_http_only_session_cookie(page: Page) -> None:
    answer = await page.client.log_in("coord-saar")
    assert answer.status == 303 and answer.header("location") == "/"
    session_cookie = next(c for c in answer.cookies() if c.startswith("journey_session="))
    assert "HttpOnly" in session_cookie and "SameSite=strict" in session_cookie
    assert "Secure" not in session_cookie  # plain http and no setting: a browser would drop a Secure cookie
    token = page.client.jar["journey_session"]
    assert all(token.encode() != digest for digest in page.accounts.sessions)  # stored hashed


async def test_secure_cookies_when_the_settings_say_so(people: list[Account]) -> None:
    client = Client(build(FakeAccounts(*people), FakeFigures(), WebConfig(secure_cookies=True)))
    answer = await client.log_in("coord-saar")
    assert all("Secure" in c for c in answer.cookies())


async def test_a_wrong_password_and_an_unknown_login_look_the_same(page: Page) -> None:
    wrong = await page.client.log_in("coord-saar", "not the password")
    unknown = await page.client.log_in("nobody", PASSWORD)
    assert wrong.status == unknown.status == 401
    assert 'id="login-failed"' in wrong.text and 'id="login-failed"' in unknown.text
    assert "journey_session" not in page.client.jar


async def test_sign_in_is_locked_after_repeated_failures(page: Page) -> None:
    for _ in range(MAX_FAILURES):
        await page.client.log_in("coord-saar", "guess")
    assert (await page.client.log_in("coord-saar")).status == 401  # even the right password, for now
    page.clock.now += LOCKOUT + timedelta(seconds=1)
    assert (await page.client.log_in("coord-saar")).status == 303


async def test_pages_need_a_session(page: Page) -> None:
    for path in ("/", "/follow-up", "/export.csv", "/export.xlsx"):
        answer = await page.client.get(path)
        assert answer.status == 303 and answer.header("location") == "/login", path
    assert (await page.client.post("/logout", {})).status == 403
    assert not page.figures.calls


async def test_a_session_expires_after_eight_idle_hours(page: Page) -> None:
    await page.client.log_in("coord-saar")
    page.clock.now += timedelta(hours=7, minutes=59)
    assert (await page.client.get("/")).status == 200  # activity keeps it alive
    page.clock.now += timedelta(hours=7, minutes=59)
    assert (await page.client.get("/")).status == 200
    page.clock.now += timedelta(hours=8, seconds=1)
    assert (await page.client.get("/")).status == 303


async def test_a_disabled_account_loses_its_sessions(page: Page) -> None:
    await page.client.log_in("coord-saar")
    page.accounts.accounts["coord-saar"] = replace(page.accounts.accounts["coord-saar"], disabled=True)
    assert (await page.client.get("/")).status == 303


async def test_logout_needs_the_sessions_csrf_token(page: Page) -> None:
    await page.client.log_in("coord-saar")
    dashboard = await page.client.get("/")
    assert (await page.client.post("/logout", {})).status == 403
    assert (await page.client.post("/logout", {"csrf_token": "forged"})).status == 403
    assert (await page.client.get("/")).status == 200  # still signed in
    answer = await page.client.post("/logout", {"csrf_token": page.client.csrf(dashboard)})
    assert answer.status == 303
    assert not page.accounts.sessions
    assert (await page.client.get("/")).status == 303


async def test_every_response_carries_the_security_headers(page: Page) -> None:
    login = await page.client.get("/login")
    await page.client.log_in("coord-saar")
    dashboard = await page.client.get("/")
    for answer in (login, dashboard):
        policy = answer.header("content-security-policy") or ""
        assert policy.startswith("default-src 'self'") and "script-src 'none'" in policy
        assert answer.header("x-frame-options") == "DENY"
        assert answer.header("referrer-policy") == "no-referrer"
        assert answer.header("cache-control") == "no-store"
    css = await page.client.get("/static/style.css")
    assert css.status == 200 and (css.header("content-type") or "").startswith("text/css")
    assert "<script" not in dashboard.text and "http://" not in dashboard.text and "https://" not in dashboard.text


async def test_the_dashboard_shows_each_figure_in_a_cell_and_suppressed_ones_as_less_than_five(page: Page) -> None:
    await page.client.log_in("coord-saar")
    answer = await page.client.get("/")
    assert answer.status == 200
    assert answer.figure("participants") == "1.234"
    assert answer.figure("funnel.recognition.entered") == "812"
    assert answer.figure("funnel.qualification.left") == "x"
    assert answer.figure("durations.application_to_decision.median_days") == "88,5"
    assert answer.figure("outcomes.recognition.rejected") == "x"
    assert answer.figure("counselling.first_contact") == "410"
    assert answer.figure("retention.6.still_employed") == "38"
    assert answer.figure("indicators.gender.female") == "800"
    assert 'id="legend-suppressed"' in answer.text
    assert 'id="funnel-chart"' in answer.text and 'id="durations-chart"' in answer.text
    assert "Saarland" in answer.text  # the region in words


async def test_the_scope_comes_from_the_account_only(page: Page) -> None:
    await page.client.log_in("partner-a")
    await page.client.get("/?region=DE-BY")
    await page.client.get("/follow-up")
    assert {scope for _, scope in page.figures.calls} == {Scope(role=Role.PARTNER, org_id="iq-saar-example")}


async def test_a_coordinator_is_refused_another_region(page: Page) -> None:
    await page.client.log_in("coord-saar")
    for path in ("/?region=DE-BY", "/follow-up?region=DE-BY", "/export.csv?region=DE-BY"):
        answer = await page.client.get(path)
        assert answer.status == 403, path
        assert 'data-reason="error.region_refused"' in answer.text
    assert not page.figures.calls
    answer = await page.client.get("/?region=DE-SL&profession=doctor")
    assert answer.status == 200
    assert page.figures.calls[-1][0] == Filters(region="DE-SL", profession="doctor")


async def test_a_partner_is_refused_another_organisation(page: Page) -> None:
    await page.client.log_in("partner-a")
    assert (await page.client.get("/?org=other-org")).status == 403
    assert (await page.client.get("/?org=iq-saar-example")).status == 200


async def test_funders_get_no_follow_up_list(page: Page) -> None:
    await page.client.log_in("funder")
    dashboard = await page.client.get("/")
    assert 'id="nav-follow-up"' not in dashboard.text
    answer = await page.client.get("/follow-up")
    assert answer.status == 403 and 'data-reason="error.funder_follow_up"' in answer.text


async def test_the_follow_up_list_shows_pseudonyms_and_overdue_items(page: Page) -> None:
    await page.client.log_in("coord-saar")
    answer = await page.client.get("/follow-up")
    assert answer.status == 200
    row = re.search(rf'<tr data-participant="{PARTICIPANT}"[^>]*>(.*?)</tr>', answer.text, re.S)
    assert row and 'class="overdue"' in row.group(0)
    assert f'<abbr title="{PARTICIPANT}" class="pseudonym">{str(PARTICIPANT)[:8]}</abbr>' in row.group(1)
    assert "Ärztin/Arzt" in row.group(1) and "Bescheid überfällig" in row.group(1)
    assert "IQ Saar &lt;Beispiel&gt;" in row.group(1)  # autoescaped
    assert "01.10.2026" in row.group(1)


async def test_english_on_request_and_kept_in_the_session(page: Page) -> None:
    await page.client.log_in("coord-saar")
    assert "Verlauf nach Phasen" in (await page.client.get("/")).text
    assert "Funnel by stage" in (await page.client.get("/?lang=en")).text
    follow_up = await page.client.get("/follow-up")
    assert '<html lang="en">' in follow_up.text and "Decision overdue" in follow_up.text


async def test_login_page_in_english(page: Page) -> None:
    answer = await page.client.get("/login?lang=en")
    assert "Sign in" in answer.text and 'name="lang" value="en"' in answer.text


async def test_exports_download_with_the_filters(page: Page) -> None:
    await page.client.log_in("coord-saar")
    csv_answer = await page.client.get("/export.csv?period=esf-2026")
    assert csv_answer.status == 200
    assert csv_answer.header("content-type") == "text/csv; charset=utf-8"
    assert 'attachment; filename="bericht-' in (csv_answer.header("content-disposition") or "")
    assert csv_answer.body.startswith(b"\xef\xbb\xbf")
    xlsx = await page.client.get("/export.xlsx?period=esf-2026")
    assert xlsx.body[:2] == b"PK"
    assert page.figures.calls[-1][0] == Filters(period_id="esf-2026")

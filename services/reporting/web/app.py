"""The coordinator page's routes: sign-in, the figures, the follow-up list and the downloads.

Every route but `/login` and the stylesheet needs a valid session; every POST needs the session's CSRF token (the
sign-in form: a token in a cookie and in the form, as there is no session yet). The scope of every figure is the
signed-in account's (`Account.scope`); the filters can only narrow it.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from services.reporting import exports
from services.reporting.accounts import AccountStore, Session, csrf_matches, current_session, log_in, token_digest
from services.reporting.figures import Filters, Options, Report, Role, Scope
from services.reporting.web import filters as form
from services.reporting.web import view
from services.reporting.web.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    SecurityHeaders,
    clear_cookie,
    set_cookie,
)
from services.reporting.web.texts import LANGUAGES, Texts, language

HERE = Path(__file__).parent
BERLIN = ZoneInfo("Europe/Berlin")


class FigureSource(Protocol):
    """Where the page gets its figures (the read model through `figures`, or a fake in unit tests)."""

    async def report(self, filters: Filters, scope: Scope, today: date) -> Report: ...
    async def options(self, scope: Scope) -> Options: ...


@dataclass(frozen=True)
class WebConfig:
    secure_cookies: bool = False
    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    def today(self) -> date:
        """The business day in Germany, where every deadline on the page falls."""
        return self.now().astimezone(BERLIN).date()


Handler = Callable[[Request, Session], Awaitable[Response]]


def build(accounts: AccountStore, source: FigureSource, config: WebConfig) -> Starlette:
    """The page as a Starlette app, over any account store and figure source."""
    templates = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    templates.globals.update(count=view.count, days=view.days, raw=view.raw, SUPPRESSED=view.SUPPRESSED)

    def render(name: str, lang: str, status: int = 200, **context: Any) -> HTMLResponse:
        defaults: dict[str, Any] = {"session": None, "nav": None, "query": ""}
        page = templates.get_template(name).render({**defaults, **context, "t": Texts(lang), "lang": lang})
        return HTMLResponse(page, status_code=status)

    def forbidden(session: Session, lang: str, reason: str) -> HTMLResponse:
        return render("error.html", lang, 403, session=session, reason=reason)

    def signed_in(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            token = request.cookies.get(SESSION_COOKIE)
            session = await current_session(accounts, token, config.now())
            if session is None or token is None:
                if request.method == "GET":
                    return RedirectResponse("/login", status_code=303)
                return HTMLResponse("Forbidden", status_code=403)
            if request.method == "POST":
                submitted = (await request.form()).get("csrf_token")
                if not csrf_matches(session.csrf_token, submitted if isinstance(submitted, str) else None):
                    return render("error.html", session.language, 403, reason="error.csrf")
            wanted = request.query_params.get("lang")
            if wanted in LANGUAGES and wanted != session.language:
                await accounts.set_language(token_digest(token), wanted)
                session = Session(session.account, session.csrf_token, wanted, session.expires_at)
            return await handler(request, session)

        return endpoint

    async def login_form(request: Request) -> Response:
        lang = language(request.query_params.get("lang"))
        return _login_page(render, request, lang, config, failed=False)

    async def login(request: Request) -> Response:
        data = await request.form()
        lang = language(_text(data.get("lang")))
        if not csrf_matches(request.cookies.get(LOGIN_CSRF_COOKIE, ""), _text(data.get("csrf_token"))):
            return render("error.html", lang, 403, reason="error.csrf")
        token = await log_in(accounts, _text(data.get("login")), _text(data.get("password")), config.now(), lang)
        if token is None:
            return _login_page(render, request, lang, config, failed=True)
        response = RedirectResponse("/", status_code=303)
        set_cookie(response, request, SESSION_COOKIE, token, config.secure_cookies)
        clear_cookie(response, request, LOGIN_CSRF_COOKIE, config.secure_cookies)
        return response

    async def logout(request: Request, session: Session) -> Response:
        await accounts.close_session(token_digest(request.cookies[SESSION_COOKIE]))
        response = RedirectResponse(f"/login?lang={session.language}", status_code=303)
        clear_cookie(response, request, SESSION_COOKIE, config.secure_cookies)
        return response

    async def figures_for(request: Request, session: Session) -> Response | dict[str, Any]:
        """The account's report for the filters asked (or the refusal page when they reach beyond its scope), and
        what every page with the filter form shows."""
        scope = session.account.scope()
        chosen = form.parse(request.query_params)
        if reason := form.refusal(chosen, scope):
            return forbidden(session, session.language, reason)
        return {
            "session": session,
            "report": await source.report(chosen, scope, config.today()),
            "options": await source.options(scope),
            "chosen": form.fields(chosen),
            "query": form.query(chosen),
        }

    async def dashboard(request: Request, session: Session) -> Response:
        shown = await figures_for(request, session)
        if isinstance(shown, Response):
            return shown
        report = shown["report"]
        return render(
            "dashboard.html",
            session.language,
            **shown,
            nav="dashboard",
            funnel_bars=view.funnel_bars(report.funnel),
            duration_bars=view.duration_bars(report.durations),
            chart_height=view.chart_height,
            chart=view,
            indicator_groups=view.by_indicator(report.indicators),
            overdue=sum(1 for item in report.follow_ups if item.due_on < config.today()),
        )

    async def follow_up(request: Request, session: Session) -> Response:
        scope = session.account.scope()
        if scope.role is Role.FUNDER:
            return forbidden(session, session.language, "error.funder_follow_up")
        shown = await figures_for(request, session)
        if isinstance(shown, Response):
            return shown
        return render(
            "follow_up.html",
            session.language,
            **shown,
            nav="follow_up",
            today=config.today(),
        )

    def download(kind: str) -> Handler:
        async def export(request: Request, session: Session) -> Response:
            scope = session.account.scope()
            chosen = form.parse(request.query_params)
            if reason := form.refusal(chosen, scope):
                return forbidden(session, session.language, reason)
            report = await source.report(chosen, scope, config.today())
            stamp = report.generated_at.astimezone(BERLIN).strftime("%Y-%m-%d-%H%M")
            if kind == "csv":
                body, media = exports.to_csv(report, session.language), "text/csv; charset=utf-8"
            else:
                body, media = exports.to_xlsx(report, session.language), exports.XLSX_MEDIA_TYPE
            disposition = f'attachment; filename="{exports.file_stem(session.language)}-{stamp}.{kind}"'
            return Response(body, media_type=media, headers={"Content-Disposition": disposition})

        return export

    return Starlette(
        routes=[
            Route("/login", login_form, methods=["GET"]),
            Route("/login", login, methods=["POST"]),
            Route("/logout", signed_in(logout), methods=["POST"]),
            Route("/", signed_in(dashboard), methods=["GET"]),
            Route("/follow-up", signed_in(follow_up), methods=["GET"]),
            Route("/export.csv", signed_in(download("csv")), methods=["GET"]),
            Route("/export.xlsx", signed_in(download("xlsx")), methods=["GET"]),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        middleware=[Middleware(SecurityHeaders)],
    )


def _login_page(
    render: Callable[..., HTMLResponse], request: Request, lang: str, config: WebConfig, *, failed: bool
) -> Response:
    """The sign-in form with a fresh CSRF token, also set as a cookie the POST must bring back."""
    csrf = secrets.token_urlsafe(32)
    response = render("login.html", lang, 401 if failed else 200, csrf=csrf, failed=failed)
    set_cookie(response, request, LOGIN_CSRF_COOKIE, csrf, config.secure_cookies, max_age=3600)
    return response


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""

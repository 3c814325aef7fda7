"""The coordinator page served by the reporting service on its HTTP port (`ServiceSpec.web`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import asyncpg
from starlette.types import ASGIApp

from services.reporting import figures
from services.reporting.accounts import PgAccounts
from services.reporting.figures import Filters, Options, Report, Scope
from services.reporting.settings import ReportingSettings
from services.reporting.web.app import WebConfig, build
from shared.postgres import connection
from shared.settings import ServiceSettings


class PgFigures:
    """The figures from the reporting read model, one pooled connection per query."""

    def __init__(self, pool: Callable[[], asyncpg.Pool], no_progress_days: int) -> None:
        self._pool = pool
        self._no_progress_days = no_progress_days

    async def report(self, filters: Filters, scope: Scope, today: date) -> Report:
        async with connection(self._pool()) as conn:
            return await figures.report(conn, filters, scope, today, no_progress_days=self._no_progress_days)

    async def options(self, scope: Scope) -> Options:
        async with connection(self._pool()) as conn:
            return await figures.options(conn, scope)


def pages(pool: Callable[[], asyncpg.Pool], settings: ServiceSettings) -> ASGIApp:
    """The page over the service's pool, configured by the reporting settings (the defaults where a test passes the
    common settings only)."""
    s = settings if isinstance(settings, ReportingSettings) else ReportingSettings.model_construct()
    config = WebConfig(secure_cookies=s.secure_cookies)
    return build(PgAccounts(pool), PgFigures(pool, s.no_progress_days), config)

"""The retention schedule: anonymise the participants whose participation ended more than `retention_years` ago,
unless an audit hold keeps them; daily, or when an operator asks (`journey rights retention-run`). Each run is
recorded (`retention_runs`) and announced with counts only (`RetentionRunCompleted`).

Several instances may run the loop: the run holds a session advisory lock, so one instance runs at a time, and each
participant is anonymised in a transaction of its own with the participant locked and the rule checked again there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import asyncpg
import structlog

from services.recruitment import commands, rights_store, store
from services.recruitment.domain import rights
from services.recruitment.settings import RecruitmentSettings, copies_window
from shared.calendar import german_date
from shared.contracts.recruitment import RetentionRunCompleted
from shared.contracts.topics import Stage
from shared.errors import is_transient
from shared.postgres import connection, transaction
from shared.retry import Backoff
from shared.settings import ServiceSettings
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()
LOCK = "SELECT pg_try_advisory_lock(hashtext(current_schema() || ':retention_run'))"
UNLOCK = "SELECT pg_advisory_unlock(hashtext(current_schema() || ':retention_run'))"


@dataclass(frozen=True, slots=True)
class RunCounts:
    run_id: UUID
    dry_run: bool
    anonymised: int
    held: int


class RetentionSchedule:
    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        years: int,
        interval_s: float,
        poll_s: float,
        copies: timedelta,
        backoff: Backoff,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._pool = pool
        self._years = years
        self._interval_s = interval_s
        self._poll_s = poll_s
        self._copies = copies
        self._backoff = backoff
        self._clock = clock

    async def run(self) -> None:
        while True:
            await self._backoff.run(self.tick, what="retention_run")
            await asyncio.sleep(self._poll_s)

    async def tick(self) -> RunCounts | None:
        """Do the run due now, if any and if no other instance is running one."""
        async with connection(self._pool) as lock:
            if not await lock.fetchval(LOCK):
                return None
            try:
                async with transaction(self._pool) as conn:
                    run = await rights_store.next_run(conn, self._clock(), self._interval_s, uuid4())
                if run is None:
                    return None
                return await self._execute(run["run_id"], run["dry_run"])
            finally:
                await lock.execute(UNLOCK)

    async def _execute(self, run_id: UUID, dry_run: bool) -> RunCounts:
        today = german_date(self._clock())
        cut = rights.cut_off(today, self._years)
        log.info("retention_run_started", run_id=str(run_id), cut_off=cut.isoformat(), dry_run=dry_run)
        async with transaction(self._pool) as conn:
            await rights_store.begin_run(conn, run_id, cut, self._years)
            candidates = await rights_store.retention_candidates(conn, cut)
        failure = None
        try:
            for participant_id, left_on in candidates:
                await self._one(run_id, dry_run, participant_id, left_on, cut)
        except Exception as error:
            if is_transient(error):
                raise  # the run stays unfinished; the next tick resumes it
            log.exception("retention_run_failed", run_id=str(run_id))
            failure = f"{type(error).__name__}: {error}"[:500]
        async with transaction(self._pool) as conn:
            row = await rights_store.finish_run(conn, run_id, self._clock(), failure)
            if not dry_run:
                completed = RetentionRunCompleted(
                    run_id=run_id,
                    cut_off=cut,
                    anonymised=row["anonymised"],
                    held=row["held"],
                    started_at=row["started_at"],
                    finished_at=row["finished_at"],
                )
                await UnitOfWork(conn, Stage.RECRUITMENT, f"retention:{run_id}").emit(completed)
        log.info("retention_run_finished", run_id=str(run_id), anonymised=row["anonymised"], held=row["held"])
        return RunCounts(run_id, dry_run, row["anonymised"], row["held"])

    async def _one(self, run_id: UUID, dry_run: bool, participant_id: UUID, left_on: date, cut: date) -> None:
        now = self._clock()
        today = german_date(now)
        async with transaction(self._pool) as conn:
            participant = await store.lock(conn, participant_id)
            if participant is None:
                return
            verdict = rights.verdict(participant, left_on, cut, today)
            if verdict is rights.Verdict.HELD:
                await rights_store.count(conn, run_id, held=1)
            elif verdict is rights.Verdict.ANONYMISE:
                await rights_store.count(conn, run_id, anonymised=1)
                if not dry_run:
                    uow = UnitOfWork(conn, Stage.RECRUITMENT, f"retention:{run_id}:{participant_id}", now)
                    decision = rights.anonymise(participant, today, now + self._copies)
                    await store.save(conn, decision.state, now)
                    await uow.carry_out(decision)
                    await commands.forget(uow, participant_id)


async def run_retention_schedule(pool: asyncpg.Pool, settings: ServiceSettings) -> None:
    """The service's worker: the schedule's loop, until stopped."""
    own = (
        settings
        if isinstance(settings, RecruitmentSettings)
        else RecruitmentSettings.model_construct(**dict(settings))  # run with the common settings: defaults here
    )
    schedule = RetentionSchedule(
        pool,
        years=own.retention_years,
        interval_s=own.retention_run_interval_s,
        poll_s=own.retention_request_poll_s,
        copies=copies_window(own),
        backoff=Backoff(own.retry_initial_s, own.retry_max_s),
    )
    await schedule.run()

"""Reporting's use cases for its commands: the ESF+ indicators recruitment forwards, and the funding periods (load,
decide, save, emit). Closing a period keeps its figures as anonymous counts in the same transaction."""

from __future__ import annotations

from services.reporting import cells, period_store, store
from services.reporting.domain import periods
from shared.contracts.reporting import CloseFundingPeriod, DefineFundingPeriod, RecordEntryIndicators
from shared.unit_of_work import UnitOfWork


async def record_entry_indicators(uow: UnitOfWork, cmd: RecordEntryIndicators) -> None:
    """Kept whether or not the recruitment's fact has arrived (it comes on another topic); dropped for an erased
    participant."""
    if await store.is_erased(uow.conn, cmd.participant_id):
        return
    values = {name: str(value) for name, value in cmd.indicators.model_dump(mode="json").items()}
    await store.indicators(uow.conn, cmd.participant_id, cmd.recorded_on, values)


async def define_funding_period(uow: UnitOfWork, cmd: DefineFundingPeriod) -> None:
    existing = await period_store.lock(uow.conn, cmd.period_id)
    decision = periods.define(existing, cmd)
    if decision.state != existing:
        await period_store.save(uow.conn, decision.state, uow.now)
    await uow.carry_out(decision)


async def close_funding_period(uow: UnitOfWork, cmd: CloseFundingPeriod) -> None:
    """The period's figures, computed once from the read model as it is now, are kept without any participant id."""
    period = periods.closable(await period_store.lock(uow.conn, cmd.period_id), cmd)
    participants = await cells.keep(uow.conn, period.period_id, period.starts_on, period.ends_on)
    decision = periods.close(period, cmd, participants)
    await period_store.save(uow.conn, decision.state, uow.now)
    await uow.carry_out(decision)

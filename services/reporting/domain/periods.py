"""Funding periods: defined (and redefined) while open, closed once; a closed period no longer changes. Pure."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from shared.contracts.reporting import (
    CloseFundingPeriod,
    DefineFundingPeriod,
    FundingPeriodClosed,
    FundingPeriodDefined,
)
from shared.decision import Decision
from shared.refusals import AlreadyExists, InvalidValue, NotAllowed


@dataclass(frozen=True, slots=True)
class Period:
    period_id: str
    name: str
    starts_on: date
    ends_on: date
    closed_on: date | None = None
    participants: int | None = None

    @property
    def closed(self) -> bool:
        return self.closed_on is not None


def define(existing: Period | None, cmd: DefineFundingPeriod) -> Decision[Period]:
    """A new period, or the open one with its new name and days; defining it as it is changes nothing."""
    if existing is not None and existing.closed:
        raise NotAllowed(
            f"funding period {cmd.period_id} was closed on {existing.closed_on}: its figures are final", "period_id"
        )
    period = Period(cmd.period_id, cmd.name, cmd.starts_on, cmd.ends_on)
    if period == existing:
        return Decision(period)
    event = FundingPeriodDefined(period_id=cmd.period_id, name=cmd.name, starts_on=cmd.starts_on, ends_on=cmd.ends_on)
    return Decision(period, (event,))


def closable(existing: Period | None, cmd: CloseFundingPeriod) -> Period:
    """The period `cmd` closes: defined, open and ended before `closed_on`; else the refusal."""
    if existing is None:
        raise InvalidValue(f"no funding period {cmd.period_id} is defined", "period_id")
    if existing.closed:
        raise AlreadyExists(f"funding period {cmd.period_id} was closed on {existing.closed_on}", "period_id")
    if cmd.closed_on <= existing.ends_on:
        raise NotAllowed(
            f"funding period {cmd.period_id} ends on {existing.ends_on}: it can be closed from the day after",
            "closed_on",
        )
    return existing


def close(period: Period, cmd: CloseFundingPeriod, participants: int) -> Decision[Period]:
    """The `closable` period closed, with the `participants` who entered in it (the caller counted them and kept
    the period's figures)."""
    closed = replace(period, closed_on=cmd.closed_on, participants=participants)
    event = FundingPeriodClosed(period_id=cmd.period_id, closed_on=cmd.closed_on, participants=participants)
    return Decision(closed, (event,))

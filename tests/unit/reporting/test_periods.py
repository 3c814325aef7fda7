"""Funding periods: redefined while open, closed once and then final."""

from __future__ import annotations

from datetime import date

import pytest

from services.reporting.domain.periods import Period, closable, close, define
from shared.contracts.reporting import CloseFundingPeriod, DefineFundingPeriod, FundingPeriodClosed
from shared.refusals import AlreadyExists, InvalidValue, NotAllowed

DEFINE = DefineFundingPeriod(
    period_id="esf-2025", name="ESF+ 2025", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31)
)
CLOSE = CloseFundingPeriod(period_id="esf-2025", closed_on=date(2026, 1, 15))


def test_a_period_is_defined_and_redefined_while_open_and_defining_it_as_it_is_changes_nothing() -> None:
    first = define(None, DEFINE)
    assert first.state == Period("esf-2025", "ESF+ 2025", date(2025, 1, 1), date(2025, 12, 31))
    assert [type(e).__name__ for e in first.events] == ["FundingPeriodDefined"]
    assert define(first.state, DEFINE).events == ()
    renamed = define(first.state, DEFINE.model_copy(update={"name": "ESF+ 2025 (Saar)"}))
    assert renamed.state.name == "ESF+ 2025 (Saar)" and len(renamed.events) == 1


def test_a_closed_period_is_final() -> None:
    period = define(None, DEFINE).state
    closed = close(closable(period, CLOSE), CLOSE, participants=412)
    assert closed.state.closed and closed.state.participants == 412
    assert closed.events == (FundingPeriodClosed(period_id="esf-2025", closed_on=date(2026, 1, 15), participants=412),)
    with pytest.raises(NotAllowed, match="closed on 2026-01-15"):
        define(closed.state, DEFINE)
    with pytest.raises(AlreadyExists):
        closable(closed.state, CLOSE)


def test_only_a_defined_period_that_has_ended_can_be_closed() -> None:
    with pytest.raises(InvalidValue, match="no funding period esf-2025"):
        closable(None, CLOSE)
    period = define(None, DEFINE).state
    with pytest.raises(NotAllowed, match="from the day after"):
        closable(period, CLOSE.model_copy(update={"closed_on": date(2025, 12, 31)}))

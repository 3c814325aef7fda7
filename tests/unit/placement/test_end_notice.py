"""The §4a(5) AufenthG notice reminder: an early end of a third-country national's employment must be reported
to the foreigners' authority within 4 weeks of the employer learning of it; a reminder goes out a week before,
unless the notice was recorded first."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from services.placement.domain import employment, end_notice, offers
from services.placement.domain.case import Placement
from shared.calendar import start_of
from shared.contracts.placement import (
    EmploymentEndNoticeDue,
    EmploymentEndReason,
    EndEmployment,
    EndNoticeRecorded,
    RecordEndNotice,
)
from shared.decision import Drop, Due
from shared.refusals import AlreadyExists, InvalidValue, NotAllowed
from tests.unit.placement.cases import OFFER, PID, employed, record

ENDED_ON = date(2026, 10, 31)


def end_of(
    reason: EmploymentEndReason = EmploymentEndReason.DISMISSED, learned_on: date | None = None
) -> EndEmployment:
    return EndEmployment(participant_id=PID, ended_on=ENDED_ON, reason=reason, learned_on=learned_on)


def ended_for(eu_citizen: bool | None, cmd: EndEmployment | None = None) -> Placement:
    return employment.end_employment(replace(employed(), eu_citizen=eu_citizen), cmd or end_of()).state


def notice(notified_on: date = date(2026, 11, 10)) -> RecordEndNotice:
    return RecordEndNotice(participant_id=PID, notified_on=notified_on)


def reminders(cmd: EndEmployment, eu_citizen: bool | None) -> list[Due]:
    decision = employment.end_employment(replace(employed(), eu_citizen=eu_citizen), cmd)
    return [t for t in decision.timers if isinstance(t, Due) and t.kind == end_notice.NOTICE_DUE]


@pytest.mark.parametrize("eu_citizen", [False, None], ids=["third_country", "unknown"])
def test_an_early_end_of_a_third_country_national_sets_the_reminder_a_week_before_the_last_day(
    eu_citizen: bool | None,
) -> None:
    [reminder] = reminders(end_of(), eu_citizen)
    assert reminder.at == start_of(date(2026, 11, 21)) and reminder.key == str(OFFER)
    assert reminder.data == {"offer_id": str(OFFER), "notice_due_on": "2026-11-28"}
    assert ended_for(eu_citizen).offers[OFFER].notice_due_on == date(2026, 11, 28)


def test_an_eu_citizen_needs_no_notice() -> None:
    assert reminders(end_of(), eu_citizen=True) == []
    assert ended_for(True).offers[OFFER].notice_due_on is None


def test_a_fixed_term_contract_that_ran_out_needs_no_notice() -> None:
    assert reminders(end_of(EmploymentEndReason.FIXED_TERM_ENDED), eu_citizen=False) == []
    assert end_notice.needs_notice(EmploymentEndReason.MUTUAL_AGREEMENT, None)
    assert not end_notice.needs_notice(EmploymentEndReason.FIXED_TERM_ENDED, None)


def test_an_end_learnt_of_later_counts_four_weeks_from_that_day() -> None:
    cmd = end_of(learned_on=date(2026, 11, 20))
    decision = employment.end_employment(replace(employed(), eu_citizen=False), cmd)
    [ended_event] = decision.events
    assert ended_event.model_dump()["authority_notice_due_on"] == date(2026, 12, 18)
    [reminder] = reminders(cmd, eu_citizen=False)
    assert reminder.at == start_of(date(2026, 12, 11))


def test_a_reminder_whose_day_has_passed_is_set_all_the_same_and_fires_at_the_next_sweep() -> None:
    """A due date in the past passes at once (the sweep fires every timer due by now)."""
    [reminder] = reminders(end_of(learned_on=date(2020, 1, 1)), eu_citizen=False)
    assert reminder.at == start_of(date(2020, 1, 22))


def test_the_reminder_names_the_employer_the_end_and_the_last_day() -> None:
    assert end_notice.notice_falls_due(ended_for(False), OFFER).events == (
        EmploymentEndNoticeDue(
            participant_id=PID, employer_id="care-home-example", ended_on=ENDED_ON, notice_due_on=date(2026, 11, 28)
        ),
    )


def test_a_notice_recorded_before_the_reminder_drops_it_and_the_reminder_raises_nothing() -> None:
    decision = end_notice.record_end_notice(ended_for(False), notice())

    assert decision.events == (
        EndNoticeRecorded(
            participant_id=PID,
            employer_id="care-home-example",
            notified_on=date(2026, 11, 10),
            notice_due_on=date(2026, 11, 28),
        ),
    )
    assert decision.timers == (Drop(PID, end_notice.NOTICE_DUE, str(OFFER)),)
    assert end_notice.notice_falls_due(decision.state, OFFER).events == ()


def test_a_notice_is_taken_after_the_case_moved_on_to_a_new_search() -> None:
    searching_again = offers.record_offer(ended_for(None), record(uuid.uuid4())).state
    assert end_notice.record_end_notice(searching_again, notice()).state.offers[OFFER].notified_on is not None
    assert end_notice.notice_falls_due(searching_again, OFFER).events != ()


@pytest.mark.parametrize(
    "placement",
    [employed(), ended_for(True), ended_for(False, end_of(EmploymentEndReason.FIXED_TERM_ENDED))],
    ids=["still_employed", "eu_citizen", "fixed_term"],
)
def test_a_notice_without_an_early_end_that_needs_one_is_refused(placement: Placement) -> None:
    with pytest.raises(NotAllowed, match="no employment of this participant ended early"):
        end_notice.record_end_notice(placement, notice())


def test_a_notice_cannot_be_recorded_twice() -> None:
    notified = end_notice.record_end_notice(ended_for(False), notice()).state
    with pytest.raises(AlreadyExists, match="recorded already, on 2026-11-10"):
        end_notice.record_end_notice(notified, notice(date(2026, 11, 12)))


def test_a_notice_before_the_employer_learnt_of_the_end_is_refused() -> None:
    placement = ended_for(False, end_of(learned_on=date(2026, 11, 20)))
    with pytest.raises(InvalidValue) as refused:
        end_notice.record_end_notice(placement, notice(date(2026, 11, 19)))
    assert refused.value.field == "notified_on"

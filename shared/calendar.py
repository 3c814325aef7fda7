"""Calendar arithmetic for legal due dates and follow-ups: whole months with end-of-month clamping, days in German
time (Europe/Berlin: a deadline ends at midnight where the authority sits, not at midnight UTC). Pure."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

GERMAN_TIME = ZoneInfo("Europe/Berlin")


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, or the month's last day when it has none (§188 BGB)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def start_of(day: date) -> datetime:
    """Midnight at the start of `day`, German time."""
    return datetime.combine(day, time(), GERMAN_TIME)


def passed(day: date) -> datetime:
    """The moment a due day has passed: midnight at its end, German time."""
    return start_of(day + timedelta(days=1))


def german_date(moment: datetime) -> date:
    """The calendar day `moment` falls on in Germany."""
    return moment.astimezone(GERMAN_TIME).date()

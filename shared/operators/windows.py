"""`--since`: a moment as ISO 8601 (`2026-03-02`, `2026-03-02T10:30Z`) or as a span back from now (`90m`, `1h`,
`2d`, `1w`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from shared.operators.failures import OperatorError

_SPAN = re.compile(r"(?P<amount>\d+)\s*(?P<unit>[smhdw])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def since(text: str, now: datetime | None = None) -> datetime:
    """The moment `text` names, in UTC; a date or time without an offset is taken as UTC."""
    span = _SPAN.fullmatch(text.strip())
    if span is not None:
        return (now or datetime.now(UTC)) - timedelta(**{_UNITS[span["unit"]]: int(span["amount"])})
    try:
        moment = datetime.fromisoformat(text.strip().upper().replace("Z", "+00:00"))
    except ValueError:
        raise OperatorError(
            f"--since {text!r}: give ISO 8601 (2026-03-02, 2026-03-02T10:30Z) or 30m, 1h, 2d, 1w"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

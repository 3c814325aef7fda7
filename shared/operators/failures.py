"""The failures an operator is told about in one line, with the exit code scripts branch on (no traceback)."""

from __future__ import annotations

USAGE = 2
"""The input cannot be used: an unknown id, a correction that does not parse, a broker or database that is down."""
REFUSED = 1
"""The operation ran and said no: a correction the contract refuses, a stack that is not healthy."""
NO_OUTCOME = 3
"""Something was sent, but its outcome did not come within the wait."""


class OperatorError(Exception):
    """An expected failure: printed as `error: <message>` on standard error, exit code `code`."""

    def __init__(self, message: str, code: int = USAGE) -> None:
        super().__init__(message)
        self.code = code

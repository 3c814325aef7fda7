"""A fake of the one port the pipeline needs of PostgreSQL: a pool whose connections keep transactions' statements
only when the transaction commits, and can be told to fail."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

Statement = tuple[str, tuple[Any, ...]]


class FakeConnection:
    def __init__(self, store: FakeStore) -> None:
        self._store = store
        self._open: list[list[Statement]] = []

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        self._open.append([])
        try:
            yield
        except BaseException:
            self._open.pop()  # rolled back
            raise
        done = self._open.pop()
        (self._open[-1] if self._open else self._store.committed).extend(done)

    def _run(self, sql: str, args: tuple[Any, ...]) -> None:
        if self._store.fail is not None:
            error = self._store.fail(sql, args)
            if error is not None:
                raise error
        (self._open[-1] if self._open else self._store.committed).append((sql, args))

    async def execute(self, sql: str, *args: Any) -> str:
        self._run(sql, args)
        return "OK"

    async def fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        self._run(sql, args)
        return self._store.rows.pop(0) if self._store.rows else []

    async def fetchval(self, sql: str, *args: Any) -> Any:
        if "INSERT INTO inbox" in sql:
            visible = [*self._store.committed, *(s for level in self._open for s in level)]
            if any(done.startswith("INSERT INTO inbox") and done_args[:2] == args[:2] for done, done_args in visible):
                return None  # ON CONFLICT DO NOTHING
            self._run(sql, args)
            return True
        self._run(sql, args)
        return None


class FakeStore:
    """What was committed, and a hook that decides whether a statement fails (return the error to raise)."""

    def __init__(self) -> None:
        self.committed: list[Statement] = []
        self.rows: list[list[dict[str, Any]]] = []
        """What each `fetch` returns, in turn."""
        self.fail: Callable[[str, tuple[Any, ...]], BaseException | None] | None = None

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[FakeConnection]:
        yield FakeConnection(self)

    def outbox_rows(self) -> list[tuple[Any, ...]]:
        return [args for sql, args in self.committed if sql.startswith("INSERT INTO outbox")]

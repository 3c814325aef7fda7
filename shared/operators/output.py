"""Rows as a rich table for people, or as JSON for scripts (`--json`): the same rows either way."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

Row = Mapping[str, Any]
WIDE = 240


def plain(value: Any) -> Any:
    """A value as JSON carries it: times in ISO 8601 (UTC), ids and enums as text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, UUID | bytes):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, default=plain, ensure_ascii=False, indent=2) + "\n")


def emit_table(rows: Sequence[Row], columns: Sequence[str], *, title: str | None = None) -> None:
    """`columns` are the rows' keys, shown in this order; an empty result says so instead of an empty frame."""
    console = Console()
    if not console.is_terminal:
        console = Console(width=WIDE)  # piped into a file or a pager: one line per row, not a folded column
    if not rows:
        console.print(f"[dim]{title or 'nothing'}: none[/dim]")
        return
    table = Table(title=title, header_style="bold")
    for column in columns:
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(column)) for column in columns))
    console.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(plain(value)) if isinstance(value, Enum | UUID | date) else str(value)


Progressed = Callable[[int, int], None]
"""Told (records read, records to read) as a scan goes on."""


@contextmanager
def progress_bar(what: str) -> Iterator[Progressed]:
    """A bar on standard error while topics are read, shown only on a terminal: standard output stays for the
    result, and a script's log gets no bar frames."""
    console = Console(stderr=True)
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    with bar:
        task = bar.add_task(what, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)

"""The runtime owns its tables: no service names `timers`, `outbox` or `inbox` in SQL; they go through
`UnitOfWork` and `shared` (schedule, cancel, erase a participant's rows)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SERVICES = Path(__file__).resolve().parents[2] / "services"
RUNTIME_TABLE = re.compile(r"\b(FROM|INTO|UPDATE|JOIN|TABLE)\s+(timers|outbox|inbox)\b", re.IGNORECASE)


def sql_naming_runtime_tables(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and RUNTIME_TABLE.search(node.value):
            found.append(f"{path.relative_to(SERVICES.parent)}:{node.lineno}: {node.value.strip()[:80]}")
    return found


@pytest.mark.parametrize("path", sorted(SERVICES.rglob("*.py")), ids=lambda p: str(p.relative_to(SERVICES)))
def test_no_service_module_names_the_runtimes_tables_in_sql(path: Path) -> None:
    assert sql_naming_runtime_tables(path) == []


@pytest.mark.parametrize("path", sorted(SERVICES.rglob("*.sql")), ids=lambda p: str(p.relative_to(SERVICES)))
def test_no_service_migration_touches_the_runtimes_tables(path: Path) -> None:
    assert not RUNTIME_TABLE.search(path.read_text(encoding="utf-8")), path

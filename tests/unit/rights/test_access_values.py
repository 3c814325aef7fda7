"""The access document's values are JSON-safe, and the command line's groups parse."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import typer

from shared import cli
from shared.rights.access import json_safe


def test_values_become_what_json_carries() -> None:
    pid = uuid.uuid4()
    value = {
        "on": date(2026, 3, 2),
        "at": datetime(2026, 3, 2, 10, 30, tzinfo=UTC),
        "raw": b"\x00\xff",
        "id": pid,
        "amount": Decimal("1.50"),
        "scopes": ["employer"],
    }

    safe = json_safe(value)

    assert json.loads(json.dumps(safe)) == {
        "on": "2026-03-02",
        "at": "2026-03-02T10:30:00+00:00",
        "raw": base64.b64encode(b"\x00\xff").decode(),
        "id": str(pid),
        "amount": "1.50",
        "scopes": ["employer"],
    }


def parsed(group: str, action: str, *args: str) -> tuple[str | None, dict[str, Any]]:
    """The command `journey <group> <action> <args>` reaches and the parameters it gets (nothing runs)."""
    root = typer.main.get_command(cli.app)
    groups = root.get_command(root.make_context("journey", [group, action]), group)  # type: ignore[attr-defined]
    command = groups.get_command(groups.make_context(group, [action]), action)
    return command.name, command.make_context(action, list(args)).params


def test_the_rights_group_parses_its_commands() -> None:
    pid = uuid.uuid4()
    name, args = parsed("rights", "access", str(pid), "--for", "iq-network-example")
    run_name, run = parsed("rights", "retention-run", "--dry-run")

    assert (name, args["participant_id"], args["org"]) == ("access", pid, "iq-network-example")
    assert run_name == "retention-run" and run["dry_run"] is True and run["wait"] == 120.0

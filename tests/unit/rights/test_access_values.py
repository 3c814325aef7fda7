"""The access document's values are JSON-safe, and the command line's groups parse."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

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


def test_the_rights_group_parses_its_commands() -> None:
    pid = uuid.uuid4()
    args = cli.parser().parse_args(["rights", "access", str(pid), "--for", "iq-network-example"])
    run = cli.parser().parse_args(["rights", "retention-run", "--dry-run"])

    assert (args.group, args.action, args.participant_id, args.org) == ("rights", "access", pid, "iq-network-example")
    assert run.dry_run is True and run.run is cli.run_rights

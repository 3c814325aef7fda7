"""The directory file: recipients defined in YAML, registered or updated at every start (others are left alone)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import structlog
import yaml
from pydantic import ValidationError

from services.notifications import commands
from services.notifications.domain import DirectoryChange, recipient_from
from shared.contracts.enums import Milestone
from shared.contracts.notifications import RegisterRecipient
from shared.contracts.topics import Stage
from shared.postgres import transaction
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()


class DirectoryFileError(ValueError):
    """The directory file cannot be read as a list of recipients."""


def parse_directory(text: str) -> list[RegisterRecipient]:
    """Entries are RegisterRecipient fields; `milestones: all` (or none given) subscribes to every milestone."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DirectoryFileError(f"not YAML: {error}") from None
    entries = data.get("recipients") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise DirectoryFileError("the file needs a top-level `recipients:` list")
    found: dict[str, RegisterRecipient] = {}
    for index, entry in enumerate(entries):
        recipient = _entry(index, entry)
        if recipient.recipient_id in found:
            raise DirectoryFileError(f"recipients[{index}]: {recipient.recipient_id} is defined twice")
        found[recipient.recipient_id] = recipient
    return list(found.values())


def _entry(index: int, entry: Any) -> RegisterRecipient:
    if not isinstance(entry, dict):
        raise DirectoryFileError(f"recipients[{index}]: expected a mapping of recipient fields")
    fields = dict(entry)
    if fields.get("milestones", "all") == "all":
        fields["milestones"] = [m.value for m in Milestone]
    try:
        return RegisterRecipient.model_validate(fields)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(entry)'}: {e['msg']}" for e in error.errors())
        raise DirectoryFileError(f"recipients[{index}]: {problems}") from None


def load_directory(path: Path) -> list[RegisterRecipient]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:  # not transient: a missing file stays missing
        raise DirectoryFileError(f"cannot read {path}: {error}") from None
    return parse_directory(text)


async def apply_directory_file(pool: asyncpg.Pool, path: Path | None) -> dict[str, int]:
    """Apply the file's entries in one transaction (one instance at a time); count what changed."""
    if path is None:
        return {}
    wanted = load_directory(path)
    counts = {change.value: 0 for change in DirectoryChange}
    async with transaction(pool) as conn:
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('notifications:directory-file'))")
        now = datetime.now(UTC)
        for cmd in wanted:
            # A fresh cause per start: the same entry changed back and forth is announced each time.
            uow = UnitOfWork(conn, Stage.NOTIFICATIONS, f"directory-file:{cmd.recipient_id}:{now.isoformat()}", now)
            change = await commands.apply_recipient(uow, recipient_from(cmd), "file")
            counts[change.value] += 1
    log.info("directory_file_applied", path=str(path), **counts)
    return counts

"""Everything held about one participant in every stage's schema, as one machine-readable JSON document (DSGVO
Art. 15, 20). Found by introspection, so a table added later is searched without a change here:

- every row of every table of a stage's schema that has a `participant_id` column (the runtime's timers among them);
- the outbox rows keyed by the participant (events, and rejections with the original bytes sent);
- what is about the participant but keyed otherwise: the notifications digests that listed them (which recipient,
  which period; not the texts, which list other participants too).

The inbox is not searched: it holds message ids only, no participant.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg

from shared.contracts.topics import Stage

FORMAT = "journey.participant-data"
FORMAT_VERSION = 1
SCHEMAS: tuple[str, ...] = tuple(stage.value for stage in Stage)
NOT_SEARCHED = {
    "inbox": "message ids of handled messages only; nothing names a participant",
    "kafka": "the topics: commands and rejections are deleted after their retention (see ParticipantErased."
    "all_copies_gone_by); events carry the pseudonymous id and coarse facts, which this document holds as the"
    " outbox rows and the stages' tables",
}


async def participant_document(
    conn: asyncpg.Connection, participant_id: UUID, produced_for: str, now: datetime
) -> dict[str, Any]:
    """The document; `conn` may have any search_path (every name is qualified)."""
    services: dict[str, Any] = {}
    searched: dict[str, Any] = {}
    for schema in SCHEMAS:
        tables = await _tables_with_participant(conn, schema)
        if not tables and not await _exists(conn, schema):
            searched[schema] = {"schema_present": False}
            continue
        held: dict[str, list[Any]] = {}
        for table in tables:
            rows = await _rows(
                conn, f"SELECT * FROM {_q(schema)}.{_q(table)} WHERE participant_id = $1", participant_id
            )
            if rows:
                held[table] = rows
        related: dict[str, list[Any]] = {}
        if await _has_table(conn, schema, "outbox"):
            outbox = await _rows(
                conn, f"SELECT * FROM {_q(schema)}.outbox WHERE key = $1 ORDER BY id", str(participant_id).encode()
            )
            if outbox:
                related["outbox"] = [_readable_outbox(row) for row in outbox]
        if schema == Stage.NOTIFICATIONS.value and await _has_table(conn, schema, "digest_items"):
            digests = await _rows(conn, _DIGESTS.format(schema=_q(schema)), participant_id)
            if digests:
                related["digests_listing_the_participant"] = digests
        searched[schema] = {
            "schema_present": True,
            "tables_by_participant_id": tables,
            "keyed_otherwise": ["outbox (by key)"]
            + (["digests (through digest_items)"] if schema == Stage.NOTIFICATIONS.value else []),
        }
        services[schema] = {"tables": held, "related": related}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "participant_id": str(participant_id),
        "produced_at": now.isoformat(),
        "produced_for": produced_for,
        "searched": searched,
        "not_searched": NOT_SEARCHED,
        "services": services,
    }


_DIGESTS = (
    "SELECT d.recipient_id, d.period, d.period_start, d.composed_at, d.delivery_id, count(*) AS items"
    " FROM {schema}.digest_items i JOIN {schema}.digests d"
    " ON d.recipient_id = i.recipient_id AND d.period = i.period AND d.period_start = i.digest_start"
    " WHERE i.participant_id = $1 GROUP BY 1, 2, 3, 4, 5 ORDER BY 3, 1"
)


async def _exists(conn: asyncpg.Connection, schema: str) -> bool:
    return bool(await conn.fetchval("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", schema))


async def _has_table(conn: asyncpg.Connection, schema: str, table: str) -> bool:
    return bool(await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", f"{_q(schema)}.{_q(table)}"))


async def _tables_with_participant(conn: asyncpg.Connection, schema: str) -> list[str]:
    rows = await conn.fetch(
        "SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t"
        " ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'"
        " WHERE c.table_schema = $1 AND c.column_name = 'participant_id' ORDER BY c.table_name",
        schema,
    )
    return [r["table_name"] for r in rows]


async def _rows(conn: asyncpg.Connection, sql: str, *args: object) -> list[dict[str, Any]]:
    """Rows as JSON-safe mappings; json and jsonb columns (text to asyncpg) as the objects they hold."""
    statement = await conn.prepare(sql)
    kinds = {a.name: a.type.name for a in statement.get_attributes()}
    return [
        {name: (json.loads(v) if kinds[name] in ("json", "jsonb") and v is not None else json_safe(v))
         for name, v in row.items()}
        for row in await statement.fetch(*args)
    ]  # fmt: skip


def _readable_outbox(row: dict[str, Any]) -> dict[str, Any]:
    """The message as it travels: key as text, payload as the JSON it is (bytes base64 if it is not)."""
    readable = dict(row)
    for name in ("key", "payload"):
        raw = base64.b64decode(row[name]) if isinstance(row.get(name), str) else None
        if raw is None:
            continue
        try:
            text = raw.decode("utf-8")
            readable[name] = text if name == "key" else json.loads(text)
        except ValueError:
            pass  # stays base64
    return readable


def json_safe(value: object) -> Any:
    """A value JSON can carry: dates ISO 8601, bytes base64, UUIDs and decimals as text, arrays as lists."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    return str(value)


def _q(name: str) -> str:
    """A quoted identifier (names come from the catalogue, quoted all the same)."""
    return '"' + name.replace('"', '""') + '"'

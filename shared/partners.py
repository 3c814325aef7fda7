"""A partner acts only for itself: the checks on a command read from a partner's own commands topic.

The broker authenticates every partner (SASL/SCRAM over TLS) and lets partner `<org>` write only
`journey.<stage>.commands.<org>` (deploy/kafka/acls.txt), so a record on that topic was sent by that partner; Kafka
tells a consumer nothing else about the producer. Before the use case runs, a command from there must

1. say it is from that partner: `ce_source` is `/partners/<org>` and the field naming the sending organisation
   (`acting_org_field` of the message class) is `<org>` — else `forged_organisation`;
2. be one partners may send (`partners_may_send`) — else `not_permitted`;
3. be about a participant the partner is involved with (recruitment's `InvolveOrganisation`), unless it is the
   command that brings a participant in (`introduces_participant`) — else `not_involved`, after the grace in which
   the involvement may still be on its way from recruitment's events topic.

Commands on the shared topics (`journey.<stage>.commands`) come from the services and the operators, whom the ACLs
let write there; they are taken as they say.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from shared.contracts.envelope import BaseMessage, Envelope
from shared.contracts.rejections import RejectionReason
from shared.errors import Rejected

PARTNER_SOURCE_PREFIX = "/partners/"


def source_of(org: str) -> str:
    """The `ce_source` a partner's commands carry."""
    return f"{PARTNER_SOURCE_PREFIX}{org}"


async def authorise(
    conn: asyncpg.Connection, org: str, envelope: Envelope, message: BaseMessage, involvements: str
) -> Rejected | None:
    """Why partner `org` may not send this command (None: it may). `involvements` names the stage's table of
    (participant_id, org_id) rows."""
    if envelope.source != source_of(org):
        return Rejected(
            RejectionReason.FORGED_ORGANISATION,
            f"ce_source is {envelope.source!r}, but the record came from the topic of {org!r}: use {source_of(org)!r}",
            [("ce_source", f"must be {source_of(org)}")],
        )
    field = type(message).acting_org_field
    if field is not None and getattr(message, field) != org:
        return Rejected(
            RejectionReason.FORGED_ORGANISATION,
            f"{field} is {getattr(message, field)!r}, but the record came from the topic of {org!r}",
            [(field, f"must be {org}, the organisation sending it")],
        )
    if not type(message).partners_may_send:
        return Rejected(
            RejectionReason.NOT_PERMITTED,
            f"{type(message).ce_type()} is sent by the services or the operators, not by a partner",
        )
    if type(message).key_field == "participant_id" and not type(message).introduces_participant:
        participant = UUID(message.kafka_key())
        if not await is_involved(conn, involvements, participant, org):
            return Rejected(
                RejectionReason.NOT_INVOLVED,
                f"{org!r} is not involved with participant {participant} (InvolveOrganisation)",
            )
    return None


async def is_involved(conn: asyncpg.Connection, table: str, participant_id: Any, org: str) -> bool:
    return bool(
        await conn.fetchval(
            f"SELECT EXISTS (SELECT 1 FROM {table} WHERE participant_id = $1 AND org_id = $2)",
            participant_id,
            org,
        )
    )

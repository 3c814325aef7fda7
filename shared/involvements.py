"""The copy of recruitment's involvements that every other partner stage keeps (runtime migration 0005), for the
check that a partner sends commands only about its own participants (`shared.partners`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg

from shared.contracts import recruitment
from shared.contracts.envelope import BaseMessage
from shared.contracts.organisations import OrganisationInvolved, OrganisationReleased
from shared.contracts.topics import PARTNER_STAGES, Kind, Stage, topic
from shared.processing import Handler, Route
from shared.unit_of_work import UnitOfWork

TABLE = "partner_involvements"


async def _recruited(uow: UnitOfWork, event: recruitment.ParticipantRecruited) -> None:
    await _involve(uow.conn, event.participant_id, event.partner_org, event.partner_role.value)


async def _involved(uow: UnitOfWork, event: OrganisationInvolved) -> None:
    await _involve(uow.conn, event.participant_id, event.org_id, event.role.value)


async def _released(uow: UnitOfWork, event: OrganisationReleased) -> None:
    await uow.conn.execute(
        "DELETE FROM partner_involvements WHERE participant_id = $1 AND org_id = $2 AND role = $3",
        event.participant_id,
        event.org_id,
        event.role.value,
    )


async def _erased(uow: UnitOfWork, event: recruitment.ParticipantErased) -> None:
    await uow.conn.execute("DELETE FROM partner_involvements WHERE participant_id = $1", event.participant_id)


async def _involve(conn: asyncpg.Connection, participant_id: Any, org: str, role: str) -> None:
    await conn.execute(
        "INSERT INTO partner_involvements (participant_id, org_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        participant_id,
        org,
        role,
    )


INVOLVEMENT_HANDLERS: Mapping[type[BaseMessage], Handler] = {
    recruitment.ParticipantRecruited: _recruited,
    OrganisationInvolved: _involved,
    OrganisationReleased: _released,
    recruitment.ParticipantErased: _erased,
}


def with_involvements(stage: Stage, topic_name: str, routes: Sequence[Route]) -> list[Route]:
    """`routes` of a stage's consumer, plus the copying of involvements where this consumer reads recruitment's
    events for a partner stage (before the stage's own use case of the same event, in its transaction)."""
    if stage not in PARTNER_STAGES or stage is Stage.RECRUITMENT or topic_name != topic(Stage.RECRUITMENT, Kind.EVENT):
        return list(routes)
    own = {route.model: route for route in routes}
    combined = [route for route in routes if route.model not in INVOLVEMENT_HANDLERS]
    for model, copy in INVOLVEMENT_HANDLERS.items():
        then = own[model].handler if model in own else None
        combined.append(Route(model, _both(copy, then)))
    return combined


def _both(first: Handler, then: Handler | None) -> Handler:
    if then is None:
        return first

    async def both(uow: UnitOfWork, message: Any) -> None:
        await first(uow, message)
        await then(uow, message)

    both.__name__ = getattr(then, "__name__", "handler")
    return both

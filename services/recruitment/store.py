"""asyncpg SQL for the recruitment schema: participants (with their consents and involvements) in, participants out."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

import asyncpg

from services.recruitment.domain import (
    AuditHold,
    Consent,
    Ending,
    Involvement,
    Participant,
    ParticipantStatus,
    Pause,
    Profile,
)
from shared.contracts.enums import CefrLevel, ConsentScope, Profession, ReferralSource, Residence
from shared.contracts.recruitment import (
    AuditHoldReason,
    ConsentMethod,
    JourneyStage,
    OrgRole,
    ParticipationResult,
    PauseReason,
    PersonalData,
    WithdrawalReason,
)

E = TypeVar("E", bound=StrEnum)


async def lock(conn: asyncpg.Connection, participant_id: UUID) -> Participant | None:
    """The participant, locked until the transaction ends (keeps one participant's events in order)."""
    row = await conn.fetchrow("SELECT * FROM participants WHERE participant_id = $1 FOR UPDATE", participant_id)
    if row is None:
        return None
    consents = await conn.fetch("SELECT * FROM consents WHERE participant_id = $1", participant_id)
    involvements = await conn.fetch("SELECT * FROM involvements WHERE participant_id = $1", participant_id)
    holds = await conn.fetch("SELECT * FROM audit_holds WHERE participant_id = $1", participant_id)
    return Participant(
        participant_id=participant_id,
        status=ParticipantStatus(row["status"]),
        profile=Profile(
            target_profession=Profession(row["target_profession"]),
            country_of_training=row["country_of_training"],
            language_level=CefrLevel(row["language_level"]),
            residence=Residence(row["residence"]),
            region=row["region"],
            occupation=row["occupation"],
            district=row["district"],
        ),
        partner_org=row["partner_org"],
        referral_source=ReferralSource(row["referral_source"]),
        personal=None if row["personal"] is None else PersonalData.model_validate_json(row["personal"]),
        lead=row["lead_org"],
        partner_role=OrgRole(row["partner_role"]),
        eu_citizen=row["eu_citizen"],
        # In the domain's order (Python's, not the database's collation), so that equal states compare equal.
        consent_records=tuple(
            sorted(
                (
                    Consent(
                        scope=ConsentScope(c["scope"]),
                        given_on=c["given_on"],
                        form_version=c["form_version"],
                        method=_maybe(ConsentMethod, c["method"]),
                        revoked_on=c["revoked_on"],
                    )
                    for c in consents
                ),
                key=lambda c: c.scope.value,
            )
        ),
        involvements=tuple(
            sorted(
                (Involvement(i["org_id"], OrgRole(i["role"]), i["involved_on"]) for i in involvements),
                key=lambda i: (i.org_id, i.role.value),
            )
        ),
        pause=None
        if row["paused_on"] is None
        else Pause(PauseReason(row["pause_reason"]), row["paused_on"], row["expected_return_on"]),
        ending=None
        if row["ended_on"] is None
        else Ending(
            row["ended_on"],
            _maybe(ParticipationResult, row["result"]),
            _maybe(WithdrawalReason, row["withdrawal_reason"]),
            _maybe(JourneyStage, row["dropped_out_in"]),
        ),
        holds=tuple(
            sorted(
                (AuditHold(AuditHoldReason(h["reason"]), h["until"], h["placed_on"]) for h in holds),
                key=lambda h: h.reason.value,
            )
        ),
    )


async def insert(conn: asyncpg.Connection, participant: Participant, now: datetime) -> None:
    await conn.execute(
        f"INSERT INTO participants (participant_id, {', '.join(COLUMNS)}, registered_by, recruited_at, updated_at)"
        f" VALUES ($1, {_placeholders()}, $3, ${len(COLUMNS) + 2}, ${len(COLUMNS) + 2})",
        participant.participant_id,
        *_columns(participant),
        now,
    )
    await _save_sets(conn, participant)


async def save(conn: asyncpg.Connection, participant: Participant, now: datetime) -> None:
    assignments = ", ".join(f"{name} = ${n}" for n, name in enumerate(COLUMNS, start=2))
    await conn.execute(
        f"UPDATE participants SET {assignments}, updated_at = ${len(COLUMNS) + 2} WHERE participant_id = $1",
        participant.participant_id,
        *_columns(participant),
        now,
    )
    await _save_sets(conn, participant)


COLUMNS = (
    "status", "partner_org", "region", "target_profession", "country_of_training", "language_level", "residence",
    "referral_source", "consents", "personal", "occupation", "district", "eu_citizen", "partner_role", "lead_org",
    "pause_reason", "paused_on", "expected_return_on", "ended_on", "result", "withdrawal_reason", "dropped_out_in",
)  # fmt: skip


def _placeholders() -> str:
    return ", ".join(f"${n}::jsonb" if name == "personal" else f"${n}" for n, name in enumerate(COLUMNS, start=2))


def _columns(p: Participant) -> tuple[object, ...]:
    """The values of `COLUMNS`, in that order."""
    pause, ending = p.pause, p.ending
    return (
        p.status.value,
        p.partner_org,
        p.profile.region,
        p.profile.target_profession.value,
        p.profile.country_of_training,
        p.profile.language_level.value,
        p.profile.residence.value,
        p.referral_source.value,
        sorted(c.value for c in p.consents),  # the set held now, as ConsentChanged states it
        None if p.personal is None else p.personal.model_dump_json(),
        p.profile.occupation,
        p.profile.district,
        p.eu_citizen,
        p.partner_role.value,
        p.lead,
        None if pause is None else pause.reason.value,
        None if pause is None else pause.paused_on,
        None if pause is None else pause.expected_return_on,
        None if ending is None else ending.ended_on,
        None if ending is None or ending.result is None else ending.result.value,
        None if ending is None or ending.withdrawal_reason is None else ending.withdrawal_reason.value,
        None if ending is None or ending.dropped_out_in is None else ending.dropped_out_in.value,
    )


async def _save_sets(conn: asyncpg.Connection, p: Participant) -> None:
    """Make the consents, involvements and audit holds rows what the participant holds (none after an erasure)."""
    scopes = [c.scope.value for c in p.consent_records]
    await conn.execute(
        "DELETE FROM consents WHERE participant_id = $1 AND NOT scope = ANY($2::text[])", p.participant_id, scopes
    )
    await conn.executemany(
        "INSERT INTO consents (participant_id, scope, given_on, form_version, method, revoked_on)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (participant_id, scope) DO UPDATE SET"
        " given_on = EXCLUDED.given_on, form_version = EXCLUDED.form_version, method = EXCLUDED.method,"
        " revoked_on = EXCLUDED.revoked_on",
        [
            (p.participant_id, c.scope.value, c.given_on, c.form_version, _value(c.method), c.revoked_on)
            for c in p.consent_records
        ],
    )
    await conn.execute(
        "DELETE FROM involvements WHERE participant_id = $1"
        " AND NOT (org_id, role) IN (SELECT * FROM unnest($2::text[], $3::text[]))",
        p.participant_id,
        [i.org_id for i in p.involvements],
        [i.role.value for i in p.involvements],
    )
    await conn.executemany(
        "INSERT INTO involvements (participant_id, org_id, role, involved_on) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (participant_id, org_id, role) DO NOTHING",
        [(p.participant_id, i.org_id, i.role.value, i.involved_on) for i in p.involvements],
    )
    await conn.execute(
        "DELETE FROM audit_holds WHERE participant_id = $1 AND NOT reason = ANY($2::text[])",
        p.participant_id,
        [h.reason.value for h in p.holds],
    )
    await conn.executemany(
        "INSERT INTO audit_holds (participant_id, reason, until, placed_on) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (participant_id, reason) DO UPDATE SET until = EXCLUDED.until, placed_on = EXCLUDED.placed_on",
        [(p.participant_id, h.reason.value, h.until, h.placed_on) for h in p.holds],
    )


def _maybe(kind: type[E], value: str | None) -> E | None:
    return None if value is None else kind(value)


def _value(member: ConsentMethod | None) -> str | None:
    return None if member is None else member.value

"""The life cycle, consent with its evidence and the organisations around a participant, against the real broker
and database: each new command applied, and each with bad input rejected with its reason before the next valid one
is applied."""

from __future__ import annotations

import uuid
from datetime import date

import asyncpg

from shared.contracts.enums import ConsentScope
from shared.contracts.envelope import BaseMessage
from shared.contracts.organisations import (
    HandOverLead,
    InvolveOrganisation,
    OrgKind,
    RegisterOrganisation,
    ReleaseOrganisation,
    SizeClass,
)
from shared.contracts.recruitment import (
    CompleteParticipation,
    ConsentMethod,
    EraseParticipant,
    ErasureBasis,
    GrantConsent,
    OrgRole,
    ParticipationResult,
    PauseParticipation,
    PauseReason,
    ReactivateParticipant,
    ResumeParticipation,
    RevokeConsent,
    WithdrawalReason,
    WithdrawParticipant,
)
from shared.contracts.rejections import RejectionReason
from tests.support.factories import register_candidate
from tests.support.infra import Infra
from tests.support.kafka import Partner, Received, Tap, for_participant
from tests.support.processes import ServiceProcess

EVENTS = "journey.recruitment.events"
REJECTIONS = "journey.recruitment.rejections"
DAY = date(2026, 11, 2)


def named(records: list[Received]) -> list[str]:
    return [r.ce_type.split(".")[2] for r in records]


async def register_organisation(partner: Partner, events: Tap, kind: OrgKind, label: str) -> str:
    """A fresh organisation, registered and announced."""
    org_id = f"{label}-{uuid.uuid4().hex[:8]}"
    await partner.send(RegisterOrganisation(org_id=org_id, org_kind=kind, region="DE-SL", size_class=SizeClass.SMALL))
    # Keyed by org_id, so on another partition than the participant's commands: wait until it is known.
    await events.wait_for(lambda r: r.key == org_id)
    return org_id


async def fetch(infra: Infra, query: str, *args: object) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(infra.database_url)
    try:
        return list(await conn.fetch(query, *args))
    finally:
        await conn.close()


async def test_a_pause_a_return_a_completion_and_a_reactivation_are_each_a_milestone(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    cmd = register_candidate()
    pid = cmd.participant_id
    async with Tap(infra.kafka, EVENTS) as events:
        await partner.send(cmd)
        for message in (
            PauseParticipation(
                participant_id=pid,
                reason=PauseReason.PARENTAL_LEAVE,
                paused_on=date(2026, 1, 5),
                expected_return_on=date(2026, 7, 1),
            ),
            ResumeParticipation(participant_id=pid, resumed_on=date(2026, 6, 15)),
            CompleteParticipation(
                participant_id=pid, result=ParticipationResult.LICENSED_AND_EMPLOYED, completed_on=date(2026, 9, 30)
            ),
            ReactivateParticipant(participant_id=pid, reactivated_on=date(2026, 10, 12)),
        ):
            await partner.send(message)
        found = await events.wait_for(for_participant(pid), count=5)

    assert named(found) == [
        "ParticipantRecruited",
        "ParticipationPaused",
        "ParticipationResumed",
        "ParticipationCompleted",
        "ParticipantReactivated",
    ]
    assert found[2].body["paused_on"] == "2026-01-05"
    assert found[3].body["result"] == "licensed_and_employed"
    assert found[4].body["previous_status"] == "completed"
    [row] = await fetch(
        infra, "SELECT status, paused_on, ended_on FROM recruitment.participants WHERE participant_id = $1", pid
    )
    assert (row["status"], row["paused_on"], row["ended_on"]) == ("active", None, None)


async def test_consent_evidence_is_kept_per_scope_and_carried_in_consent_changed(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    cmd = register_candidate(
        consents=frozenset({ConsentScope.EMPLOYER}),
        consent_form_version="consent-2026-01",
        consent_method=ConsentMethod.WRITTEN,
        district="10041",
        eu_citizen=False,
    )
    pid = cmd.participant_id
    async with Tap(infra.kafka, EVENTS) as events:
        await partner.send(cmd)
        await partner.send(
            GrantConsent(
                participant_id=pid,
                scopes=frozenset({ConsentScope.JOBCENTER_AGENTUR}),
                given_on=DAY,
                form_version="consent-2026-02",
                method=ConsentMethod.ORAL_DOCUMENTED,
            )
        )
        await partner.send(RevokeConsent(participant_id=pid, scopes=frozenset({ConsentScope.EMPLOYER}), revoked_on=DAY))
        found = await events.wait_for(for_participant(pid), count=3)

    recruited, granted, revoked = (r.body for r in found)
    assert (recruited["district"], recruited["eu_citizen"], recruited["partner_role"]) == (
        "10041",
        False,
        "counselling_centre",
    )
    assert granted["granted"] == ["jobcenter_agentur"] and granted["form_version"] == "consent-2026-02"
    assert granted["method"] == "oral_documented" and granted["consents"] == ["employer", "jobcenter_agentur"]
    assert revoked["revoked"] == ["employer"] and revoked["consents"] == ["jobcenter_agentur"]
    rows = await fetch(
        infra,
        "SELECT scope, form_version, method, revoked_on FROM recruitment.consents WHERE participant_id = $1 ORDER BY 1",
        pid,
    )
    assert [tuple(r) for r in rows] == [
        ("employer", "consent-2026-01", "written", DAY),
        ("jobcenter_agentur", "consent-2026-02", "oral_documented", None),
    ]


async def test_organisations_are_registered_involved_released_and_the_lead_handed_over(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    async with Tap(infra.kafka, EVENTS) as events:
        school = await register_organisation(partner, events, OrgKind.LANGUAGE_SCHOOL, "school")
        home = await register_organisation(partner, events, OrgKind.EMPLOYER, "home")
        cmd = register_candidate()
        pid = cmd.participant_id
        await partner.send(cmd)
        for message in (
            InvolveOrganisation(participant_id=pid, org_id=school, role=OrgRole.MEASURE_PROVIDER, involved_on=DAY),
            InvolveOrganisation(participant_id=pid, org_id=home, role=OrgRole.EMPLOYER, involved_on=DAY),
            HandOverLead(participant_id=pid, to_org=home, handed_over_on=DAY),
            ReleaseOrganisation(participant_id=pid, org_id=school, role=OrgRole.MEASURE_PROVIDER, released_on=DAY),
            ReleaseOrganisation(
                participant_id=pid, org_id=cmd.partner_org, role=OrgRole.COUNSELLING_CENTRE, released_on=DAY
            ),
        ):
            await partner.send(message)
        found = await events.wait_for(for_participant(pid), count=6)
        registered = [r for r in events.seen if r.key in (school, home)]

    assert named(registered) == ["OrganisationRegistered", "OrganisationRegistered"]
    assert registered[0].body["org_kind"] == "language_school" and registered[0].headers["ce_subject"] == school
    assert named(found) == [
        "ParticipantRecruited",
        "OrganisationInvolved",
        "OrganisationInvolved",
        "LeadHandedOver",
        "OrganisationReleased",
        "OrganisationReleased",
    ]
    assert found[1].body["org_kind"] == "language_school" and found[2].body["org_kind"] == "employer"
    assert (found[3].body["from_org"], found[3].body["to_org"]) == (cmd.partner_org, home)
    [row] = await fetch(infra, "SELECT lead_org FROM recruitment.participants WHERE participant_id = $1", pid)
    involved = await fetch(infra, "SELECT org_id, role FROM recruitment.involvements WHERE participant_id = $1", pid)
    assert row["lead_org"] == home and [tuple(r) for r in involved] == [(home, "employer")]


async def test_each_new_command_with_bad_input_is_rejected_with_its_reason_and_the_next_valid_one_applied(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    unregistered = f"nobody-{uuid.uuid4().hex[:8]}"
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        home = await register_organisation(partner, events, OrgKind.EMPLOYER, "home")
        cmd = register_candidate()
        pid = cmd.participant_id
        lead = cmd.partner_org
        await partner.send(cmd)
        # (bad, then the valid one that must still be applied), in the order sent
        pairs: list[tuple[BaseMessage, BaseMessage, RejectionReason]] = [
            (
                InvolveOrganisation(participant_id=pid, org_id=unregistered, role=OrgRole.EMPLOYER, involved_on=DAY),
                InvolveOrganisation(participant_id=pid, org_id=home, role=OrgRole.EMPLOYER, involved_on=DAY),
                RejectionReason.UNKNOWN_ORGANISATION,
            ),
            (
                HandOverLead(participant_id=pid, to_org=unregistered, handed_over_on=DAY),
                HandOverLead(participant_id=pid, to_org=home, handed_over_on=DAY),
                RejectionReason.UNKNOWN_ORGANISATION,
            ),
            (
                ReleaseOrganisation(participant_id=pid, org_id=home, role=OrgRole.EMPLOYER, released_on=DAY),
                ReleaseOrganisation(participant_id=pid, org_id=lead, role=OrgRole.COUNSELLING_CENTRE, released_on=DAY),
                RejectionReason.NOT_ALLOWED_IN_STATE,  # home leads now, in its one role: hand the lead over first
            ),
            (
                ResumeParticipation(participant_id=pid, resumed_on=DAY),  # resume of an active participant
                PauseParticipation(participant_id=pid, reason=PauseReason.ILLNESS, paused_on=DAY),
                RejectionReason.NOT_ALLOWED_IN_STATE,
            ),
            (
                ResumeParticipation(participant_id=pid, resumed_on=date(2026, 10, 1)),  # before the pause began
                ResumeParticipation(participant_id=pid, resumed_on=date(2026, 11, 20)),
                RejectionReason.INVALID_PAYLOAD,
            ),
            (
                ReactivateParticipant(participant_id=pid, reactivated_on=DAY),  # reactivation of an active one
                WithdrawParticipant(participant_id=pid, reason=WithdrawalReason.MOVED_AWAY, withdrawn_on=DAY),
                RejectionReason.NOT_ALLOWED_IN_STATE,
            ),
            (
                PauseParticipation(participant_id=pid, reason=PauseReason.ILLNESS, paused_on=DAY),  # withdrawn
                RevokeConsent(participant_id=pid, scopes=frozenset({ConsentScope.EMPLOYER}), revoked_on=DAY),
                RejectionReason.NOT_ALLOWED_IN_STATE,
            ),
            (
                CompleteParticipation(  # a withdrawn participant cannot complete
                    participant_id=pid, result=ParticipationResult.OTHER, completed_on=DAY
                ),
                ReactivateParticipant(participant_id=pid, reactivated_on=date(2026, 12, 1)),
                RejectionReason.NOT_ALLOWED_IN_STATE,
            ),
            (
                RevokeConsent(participant_id=pid, scopes=frozenset({ConsentScope.EMPLOYER}), revoked_on=DAY),
                CompleteParticipation(
                    participant_id=pid, result=ParticipationResult.IN_TRAINING, completed_on=date(2026, 12, 2)
                ),
                RejectionReason.ALREADY_EXISTS,  # revoked already: a repeated fact
            ),
        ]
        sent: list[tuple[str, RejectionReason]] = []
        for bad, good, reason in pairs:
            sent.append((await partner.send(bad), reason))
            await partner.send(good)
        refused = await rejections.wait_for(for_participant(pid), count=len(pairs))
        found = await events.wait_for(for_participant(pid), count=1 + len(pairs))

    assert [(r.body["rejected_id"], r.body["reason"]) for r in refused] == sent
    by_id = {r.body["rejected_id"]: r.body for r in refused}
    assert "handover to an uninvolved organisation" in by_id[sent[1][0]]["message"]
    assert "hand the lead over first" in by_id[sent[2][0]]["message"]
    assert [e["location"] for e in by_id[sent[4][0]]["errors"]] == ["resumed_on"]
    assert named(found) == [
        "ParticipantRecruited",
        "OrganisationInvolved",
        "LeadHandedOver",
        "OrganisationReleased",
        "ParticipationPaused",
        "ParticipationResumed",
        "ParticipantWithdrawn",
        "ConsentChanged",
        "ParticipantReactivated",
        "ParticipationCompleted",
    ]


async def test_registering_an_organisation_again_updates_it_and_the_same_registration_is_rejected(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    org_id = f"home-{uuid.uuid4().hex[:8]}"
    first = RegisterOrganisation(org_id=org_id, org_kind=OrgKind.EMPLOYER, region="DE-SL", size_class=SizeClass.SMALL)
    bigger = first.model_copy(update={"size_class": SizeClass.LARGE, "district": "10041"})
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        await partner.send(first)
        again = await partner.send(first)
        await partner.send(bigger)
        [refused] = await rejections.wait_for(lambda r: r.key == org_id)
        found = await events.wait_for(lambda r: r.key == org_id, count=2)

    assert (refused.body["rejected_id"], refused.body["reason"]) == (again, RejectionReason.ALREADY_EXISTS)
    assert refused.headers["ce_subject"] == org_id
    assert [r.body["size_class"] for r in found] == ["small", "large"]
    [row] = await fetch(infra, "SELECT size_class, district FROM recruitment.organisations WHERE org_id = $1", org_id)
    assert tuple(row) == ("large", "10041")


async def test_erasure_deletes_consents_and_involvements_but_keeps_the_organisation_registry(
    infra: Infra, partner: Partner, recruitment: ServiceProcess
) -> None:
    async with Tap(infra.kafka, EVENTS) as events:
        home = await register_organisation(partner, events, OrgKind.EMPLOYER, "home")
        cmd = register_candidate()
        pid = cmd.participant_id
        await partner.send(cmd)
        await partner.send(InvolveOrganisation(participant_id=pid, org_id=home, role=OrgRole.EMPLOYER, involved_on=DAY))
        await partner.send(
            EraseParticipant(participant_id=pid, basis=ErasureBasis.DATA_SUBJECT_REQUEST, requested_on=DAY)
        )
        await events.wait_for(for_participant(pid), count=3)

    consents = await fetch(infra, "SELECT 1 FROM recruitment.consents WHERE participant_id = $1", pid)
    involved = await fetch(infra, "SELECT 1 FROM recruitment.involvements WHERE participant_id = $1", pid)
    registry = await fetch(infra, "SELECT 1 FROM recruitment.organisations WHERE org_id = $1", home)
    assert (consents, involved, len(registry)) == ([], [], 1)

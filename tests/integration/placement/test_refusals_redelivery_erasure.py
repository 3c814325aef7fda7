"""Refused transitions, redelivery, withdrawal and erasure, against the real broker and database."""

from __future__ import annotations

import uuid
from datetime import date

from shared.contracts.placement import RecordRetentionCheck, StartEmployment
from shared.contracts.rejections import RejectionReason
from tests.integration.placement.helpers import (
    PlacementRows,
    RecruitmentFacts,
    confirm,
    employed,
    named,
    names,
    record_offer,
    recruited_event,
)
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

EVENTS = "journey.placement.events"
REJECTIONS = "journey.placement.rejections"
TABLES = ("placements", "offers", "retention_checks", "timers", "outbox")


async def test_a_command_not_allowed_in_the_current_state_is_rejected_and_changes_nothing(
    infra: Infra,
    partner: Partner,
    recruitment_facts: RecruitmentFacts,
    rows: PlacementRows,
    placement: ServiceProcess,
) -> None:
    pid = await recruitment_facts.recruited()
    offer = record_offer(pid)
    async with Tap(infra.kafka, REJECTIONS) as rejections, Tap(infra.kafka, EVENTS) as events:
        start_id = await partner.send(StartEmployment(participant_id=pid, started_on=date(2031, 3, 2)))
        await partner.send(offer)
        confirm_id = await partner.send(confirm(pid, uuid.uuid4()))  # an offer never recorded
        refused = await rejections.wait_for(for_participant(pid), count=2)
        happened = await events.wait_for(for_participant(pid), settle_s=2)

    by_id = {r.body["rejected_id"]: r.body for r in refused}
    assert by_id[start_id]["reason"] == RejectionReason.NOT_ALLOWED_IN_STATE
    assert "the placement is searching; allowed only when placed" in by_id[start_id]["message"]
    assert by_id[confirm_id]["reason"] == RejectionReason.NOT_ALLOWED_IN_STATE
    assert "is not recorded" in by_id[confirm_id]["message"]
    assert names(happened) == ["OfferRecorded"]
    assert await rows.status(pid) == "offer_pending"
    assert await rows.count("timers", pid) == 0


async def test_a_command_for_a_participant_placement_never_heard_of_is_rejected_as_unknown(
    infra: Infra, partner: Partner, placement: ServiceProcess
) -> None:
    stranger = uuid.uuid4()
    async with Tap(infra.kafka, REJECTIONS) as rejections:
        await partner.send(record_offer(stranger))
        [refused] = await rejections.wait_for(for_participant(stranger))

    assert refused.body["reason"] == RejectionReason.UNKNOWN_PARTICIPANT
    assert refused.headers["ce_type"] == "journey.placement.MessageRejected.v1"


async def test_redelivered_messages_have_no_second_effect(
    infra: Infra,
    partner: Partner,
    recruitment_facts: RecruitmentFacts,
    rows: PlacementRows,
    placement: ServiceProcess,
) -> None:
    pid = await recruitment_facts.recruited()
    offer = record_offer(pid)
    async with Tap(infra.kafka, EVENTS) as events:
        ce_id = await partner.send(offer)
        await partner.send(offer, ce_id=ce_id)
        await recruitment_facts.publish(recruited_event(pid))  # recruitment replayed under a new id
        found = await events.wait_for(for_participant(pid), settle_s=3)

    assert names(found) == ["OfferRecorded"]
    assert await rows.count("offers", pid) == 1
    assert await rows.count("outbox", pid) == 1
    assert await rows.status(pid) == "offer_pending"  # the replayed recruitment did not reopen the case


async def test_a_withdrawal_before_the_work_started_closes_the_case_and_refuses_what_comes_after(
    infra: Infra,
    partner: Partner,
    recruitment_facts: RecruitmentFacts,
    rows: PlacementRows,
    placement: ServiceProcess,
) -> None:
    pid = await recruitment_facts.recruited()
    offer = record_offer(pid)
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        await partner.send(offer)
        await partner.send(confirm(pid, offer.offer_id))
        await events.wait_for(named(pid, "PlacementConfirmed"))
        await recruitment_facts.withdrawn(pid)
        await rows.eventually(lambda: rows.status(pid), "withdrawn")
        await partner.send(StartEmployment(participant_id=pid, started_on=date(2031, 3, 2)))
        [refused] = await rejections.wait_for(for_participant(pid))

    assert refused.body["reason"] == RejectionReason.NOT_ALLOWED_IN_STATE
    assert "the placement is withdrawn" in refused.body["message"]
    assert await rows.count("timers", pid) == 0


async def test_erasure_deletes_every_row_placement_holds_on_the_participant(
    infra: Infra,
    partner: Partner,
    recruitment_facts: RecruitmentFacts,
    rows: PlacementRows,
    placement: ServiceProcess,
) -> None:
    pid = await recruitment_facts.recruited()
    started_on = date(2020, 1, 15)  # long past: a check can be recorded
    async with Tap(infra.kafka, EVENTS) as events:
        await employed(partner, pid, started_on)
        await partner.send(
            RecordRetentionCheck(participant_id=pid, months=6, still_employed=True, checked_on=date(2020, 7, 20))
        )
        await events.wait_for(named(pid, "RetentionCheckRecorded"))
    assert all([await rows.count(table, pid) for table in TABLES])

    await recruitment_facts.erased(pid)
    await rows.eventually(lambda: rows.status(pid), None)

    assert {table: await rows.count(table, pid) for table in TABLES} == dict.fromkeys(TABLES, 0)

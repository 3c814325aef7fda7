"""A command may overtake the fact that introduces its participant: Kafka orders no two topics."""

from __future__ import annotations

import asyncio
import uuid

from tests.integration.placement.helpers import RecruitmentFacts, named, record_offer, recruited_event
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

EVENTS = "journey.placement.events"
REJECTIONS = "journey.placement.rejections"


async def test_a_command_that_arrives_before_the_participant_is_known_waits_for_the_fact_and_applies(
    infra: Infra, partner: Partner, recruitment_facts: RecruitmentFacts, placement: ServiceProcess
) -> None:
    pid = uuid.uuid4()
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        await partner.send(record_offer(pid))
        await asyncio.sleep(1)  # the recruitment fact comes a second later, well within the grace period
        await recruitment_facts.publish(recruited_event(pid))
        recorded = await events.wait_for(named(pid, "OfferRecorded"), timeout_s=20)
        refused = await rejections.wait_for(for_participant(pid), timeout_s=1)

    assert len(recorded) == 1
    assert refused == []


async def test_a_command_for_a_participant_never_introduced_is_rejected_after_the_grace_period(
    infra: Infra, partner: Partner, placement: ServiceProcess
) -> None:
    pid = uuid.uuid4()
    async with Tap(infra.kafka, REJECTIONS) as rejections:
        await partner.send(record_offer(pid))
        [refused] = await rejections.wait_for(for_participant(pid), timeout_s=20)

    assert refused.body["reason"] == "unknown_participant"

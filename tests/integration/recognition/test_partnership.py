"""A recognition partnership (§16d(3) AufenthG) on the real broker and database: refused for a participant who lives
abroad, with the field and the rule named; the next valid application is applied."""

from __future__ import annotations

from shared.contracts.enums import RecognitionTrack
from shared.contracts.recognition import ApplicationSubmitted
from shared.contracts.rejections import RejectionReason
from tests.integration.recognition.journey import EVENTS, REJECTIONS, open_case, submit
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

PARTNERSHIP = RecognitionTrack.RECOGNITION_PARTNERSHIP_16D


async def test_a_partnership_from_abroad_is_refused_and_the_standard_application_after_it_applied(
    infra: Infra, partner: Partner, recognition: ServiceProcess
) -> None:
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        pid = await open_case(partner, events)  # recruited while living abroad
        await partner.send(submit(pid, track=PARTNERSHIP))
        [refused] = await rejections.wait_for(for_participant(pid))
        await partner.send(submit(pid))
        [submitted] = await events.wait_for(for_participant(pid, ApplicationSubmitted.ce_type()))

    assert refused.body["reason"] == RejectionReason.INVALID_PAYLOAD
    assert "after entry" in refused.body["message"] and refused.body["errors"][0]["location"] == "track"
    assert submitted.body["track"] == "standard" and submitted.body["partnership_employer"] is None

"""A participant who dropped out comes back, on the real broker and database: the withdrawn plan is active again,
the rules plan the language course anew, and a partner's PlanMeasure refused while withdrawn applies."""

from __future__ import annotations

import uuid

from shared.contracts.enums import CefrLevel
from shared.contracts.qualification import LanguageDomain, MeasureDropped, MeasureKind, MeasurePlanned, PlanMeasure
from shared.contracts.recruitment import (
    ParticipantReactivated,
    ParticipantStatus,
    ParticipantWithdrawn,
    WithdrawalReason,
)
from shared.contracts.rejections import RejectionReason
from tests.integration.qualification.conftest import OtherStages, Rows
from tests.integration.qualification.facts import DAY, name, recruited
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap, for_participant
from tests.support.processes import ServiceProcess

EVENTS = "journey.qualification.events"
REJECTIONS = "journey.qualification.rejections"


def course_by(pid: uuid.UUID, measure_id: uuid.UUID) -> PlanMeasure:
    return PlanMeasure(
        participant_id=pid,
        measure_id=measure_id,
        measure_kind=MeasureKind.LANGUAGE_COURSE,
        provider_id="language-school-x",
        target_level=CefrLevel.B2,
        language_domain=LanguageDomain.PROFESSIONAL,
    )


async def test_a_returning_participants_plan_takes_the_partners_plan_measure_again(
    infra: Infra, partner: Partner, stages: OtherStages, rows: Rows, qualification: ServiceProcess
) -> None:
    pid, refused_measure, partners_measure = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    planned = for_participant(pid, MeasurePlanned.ce_type())
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        await stages.publish(recruited(pid))  # a B1 nurse: a course towards B2
        [course] = await events.wait_for(planned)
        await stages.publish(
            ParticipantWithdrawn(participant_id=pid, reason=WithdrawalReason.MOVED_AWAY, withdrawn_on=DAY)
        )
        await rows.wait_until(rows.participant_status, pid, equals="withdrawn")
        refused_id = await partner.send(course_by(pid, refused_measure))
        [rejection] = await rejections.wait_for(for_participant(pid))
        back = ParticipantReactivated(
            participant_id=pid, reactivated_on=DAY, previous_status=ParticipantStatus.WITHDRAWN
        )
        await stages.publish(back)
        await stages.publish(back)  # told again under another id: plans nothing more
        [_, anew] = await events.wait_for(planned, count=2)
        await partner.send(course_by(pid, partners_measure))  # the next valid command
        [_, _, by_partner] = await events.wait_for(planned, count=3)
        found = await events.wait_for(for_participant(pid), count=4, settle_s=2)

    assert rejection.body["reason"] == RejectionReason.NOT_ALLOWED_IN_STATE
    assert rejection.body["rejected_id"] == refused_id
    assert "withdrawn" in rejection.body["message"]
    assert await rows.measure_status(str(refused_measure)) is None
    assert anew.body["measure_id"] != course.body["measure_id"]
    assert (anew.body["target_level"], anew.body["provider_id"]) == ("B2", "unassigned")
    assert by_partner.body["measure_id"] == str(partners_measure)
    # the course of the rules, planned anew on the return, is superseded by the partner's, nobody having taken it on
    assert [name(r) for r in found] == ["MeasurePlanned", "MeasurePlanned", "MeasureDropped", "MeasurePlanned"]
    dropped = [r for r in found if r.ce_type == MeasureDropped.ce_type()]
    assert [(r.body["measure_id"], r.body["reason"]) for r in dropped] == [(anew.body["measure_id"], "superseded")]
    assert await rows.participant_status(pid) == "active"
    assert await rows.measure_status(course.body["measure_id"]) == "cancelled"
    assert await rows.measure_status(anew.body["measure_id"]) == "dropped"
    assert await rows.measure_status(str(partners_measure)) == "planned"

"""A doctor employed under a Berufserlaubnis: when recognition reports it ended, placement marks the employment and
tells the coordinator; a permit superseded by an Approbation ends without consequence. Real broker and database."""

from __future__ import annotations

import uuid
from datetime import date

from shared.contracts.placement import RoleLevel
from shared.contracts.recognition import LicenceExpired, LicenceGranted, LicenceKind
from tests.integration.placement.helpers import PlacementRows, RecruitmentFacts, employed, named
from tests.support.infra import Infra
from tests.support.kafka import Partner, Tap
from tests.support.processes import ServiceProcess

EVENTS = "journey.placement.events"
STARTED_ON, VALID_UNTIL = date(2030, 4, 1), date(2031, 3, 31)


def permit(pid: uuid.UUID) -> LicenceGranted:
    return LicenceGranted(
        participant_id=pid, licence=LicenceKind.BERUFSERLAUBNIS, granted_on=date(2030, 3, 15), valid_until=VALID_UNTIL
    )


def ended(pid: uuid.UUID) -> LicenceExpired:
    return LicenceExpired(participant_id=pid, licence=LicenceKind.BERUFSERLAUBNIS, valid_until=VALID_UNTIL)


async def test_a_doctor_still_employed_when_the_berufserlaubnis_ends_is_marked_and_the_coordinator_told(
    infra: Infra, partner: Partner, recruitment_facts: RecruitmentFacts, rows: PlacementRows, placement: ServiceProcess
) -> None:
    pid = await recruitment_facts.recruited()
    async with Tap(infra.kafka, EVENTS) as events:
        offer_id = await employed(partner, pid, STARTED_ON, RoleLevel.UNDER_BERUFSERLAUBNIS)
        assert await events.wait_for(named(pid, "EmploymentStarted"))
        # One topic, one key: the grant is applied before the end, as recognition published them.
        await recruitment_facts.publish(permit(pid))
        await recruitment_facts.publish(ended(pid))
        found = await events.wait_for(named(pid, "EmploymentPermitExpired"), settle_s=2)

    [expired] = found
    assert expired.body == {
        "participant_id": str(pid),
        "employer_id": "care-home-example",
        "started_on": "2030-04-01",
        "licence": "berufserlaubnis",
        "valid_until": "2031-03-31",
    }
    assert expired.headers["ce_source"] == "/journey/placement"
    assert await rows.permit_expired_on(pid, offer_id) == date(2031, 4, 1)
    assert await rows.licence(pid) == ("berufserlaubnis", VALID_UNTIL, True)
    assert await rows.status(pid) == "employed"  # marked, not ended: the employer decides what happens


async def test_the_end_of_a_berufserlaubnis_superseded_by_an_approbation_changes_nothing(
    infra: Infra, partner: Partner, recruitment_facts: RecruitmentFacts, rows: PlacementRows, placement: ServiceProcess
) -> None:
    pid = await recruitment_facts.recruited()
    approbation = LicenceGranted(
        participant_id=pid, licence=LicenceKind.APPROBATION, granted_on=date(2031, 1, 15), valid_until=None
    )
    async with Tap(infra.kafka, EVENTS) as events:
        offer_id = await employed(partner, pid, STARTED_ON, RoleLevel.UNDER_BERUFSERLAUBNIS)
        assert await events.wait_for(named(pid, "EmploymentStarted"))
        await recruitment_facts.publish(permit(pid))
        await recruitment_facts.publish(approbation)
        late = await recruitment_facts.publish(ended(pid))  # e.g. replayed from before the Approbation
        await rows.eventually(lambda: rows.handled(late), True)
        found = await events.wait_for(named(pid, "EmploymentPermitExpired"), timeout_s=2)

    assert found == []
    assert await rows.licence(pid) == ("approbation", None, False)
    assert await rows.permit_expired_on(pid, offer_id) is None


async def test_a_licence_granted_before_placement_knows_the_participant_opens_no_case(
    recruitment_facts: RecruitmentFacts, rows: PlacementRows, placement: ServiceProcess
) -> None:
    """Kafka orders no two topics; a case made from a late fact could outlive an erasure applied before it."""
    pid = uuid.uuid4()
    grant = await recruitment_facts.publish(permit(pid))
    await rows.eventually(lambda: rows.handled(grant), True)

    assert await rows.status(pid) is None

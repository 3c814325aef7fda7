"""Funding periods: a closed period answers from anonymous counts, which an erasure no longer changes; a closed
period refuses changes; a malformed command is rejected with its reason."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import date

from services.reporting.figures import Filters, Report, Role, Scope, report
from shared.contracts.envelope import Envelope
from shared.contracts.recognition import LicenceGranted, LicenceKind
from shared.contracts.recruitment import ErasureBasis, ParticipantErased
from shared.contracts.rejections import RejectionReason
from shared.contracts.reporting import CloseFundingPeriod, DefineFundingPeriod
from tests.integration.reporting.cohort import Cohort
from tests.integration.reporting.helpers import PARTICIPANT_TABLES, Facts, ReportingRows
from tests.integration.reporting.test_figures import FUNDER, SAARLAND, TODAY, in_district, seed
from tests.support.infra import Infra
from tests.support.kafka import Partner, Received, Tap
from tests.support.processes import ServiceProcess

EVENTS = "journey.reporting.events"
REJECTIONS = "journey.reporting.rejections"


def figures(found: Report) -> tuple[object, ...]:
    """What a report counts, without what it was asked and when."""
    return (
        found.participants,
        found.funnel,
        found.durations,
        found.outcomes,
        found.counselling,
        found.retention,
        found.indicators,
    )


def by_period(period_id: str) -> Callable[[Received], bool]:
    return lambda r: r.key == period_id


async def test_a_closed_period_keeps_its_figures_through_an_erasure_and_refuses_changes(
    infra: Infra, facts: Facts, reporting_rows: ReportingRows, reporting: ServiceProcess
) -> None:
    cohort = Cohort()
    await seed(facts, cohort)
    conn = reporting_rows.conn
    period_id = f"esf-{cohort.run}"
    define = DefineFundingPeriod(
        period_id=period_id, name="ESF+ 2025", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31)
    )
    async with Tap(infra.kafka, EVENTS) as events, Tap(infra.kafka, REJECTIONS) as rejections:
        await facts.send(define)
        await facts.send(CloseFundingPeriod(period_id=period_id, closed_on=date(2026, 1, 15)))
        published = await events.wait_for(by_period(period_id), count=2)
        await facts.all_applied()
        live = await report(conn, in_district(cohort), FUNDER, TODAY)
        closed = await report(conn, in_district(cohort, Filters(period_id=period_id)), FUNDER, TODAY)

        await facts.send(ParticipantErased(
            participant_id=cohort["S1"], basis=ErasureBasis.DATA_SUBJECT_REQUEST, erased_on=date(2026, 2, 1)
        ))  # fmt: skip
        await facts.send(
            LicenceGranted(
                participant_id=cohort["S1"],
                licence=LicenceKind.APPROBATION,
                granted_on=date(2026, 2, 2),
                valid_until=None,
            )
        )  # fmt: skip  a late fact from another topic
        redefine_id = await facts.send(define.model_copy(update={"name": "ESF+ 2025 (neu)"}))
        close_id = await facts.send(CloseFundingPeriod(period_id=period_id, closed_on=date(2026, 2, 1)))
        refused = await rejections.wait_for(lambda r: r.body.get("rejected_id") in (redefine_id, close_id), count=2)
        await facts.all_applied()

    assert [r.ce_type for r in published] == [
        "journey.reporting.FundingPeriodDefined.v1",
        "journey.reporting.FundingPeriodClosed.v1",
    ]
    assert published[1].body["participants"] >= 11  # every participant who entered in 2025, not only this cohort's
    assert closed.period is not None and closed.period.closed
    assert figures(closed) == figures(live)
    assert closed.participants == 11

    after_erasure = await report(conn, in_district(cohort, Filters(period_id=period_id)), FUNDER, TODAY)
    assert figures(after_erasure) == figures(closed)
    assert (await report(conn, in_district(cohort), FUNDER, TODAY)).participants == 10  # the open figures lose S1
    assert {table: await reporting_rows.count(table, cohort["S1"]) for table in PARTICIPANT_TABLES} == dict.fromkeys(
        PARTICIPANT_TABLES, 0
    )
    assert await reporting_rows.count("erased", cohort["S1"]) == 1

    saarland = await report(conn, in_district(cohort, Filters(period_id=period_id)), SAARLAND, TODAY)
    assert saarland.participants == 7  # S1 still counted: the period's counts are anonymous and final
    assert saarland.follow_ups and all(f.region == "DE-SL" for f in saarland.follow_ups)
    other_region = await report(
        conn, in_district(cohort, Filters(period_id=period_id, region="DE-BY")), SAARLAND, TODAY
    )
    assert other_region.participants == 0 and other_region.follow_ups == []
    employer = await report(
        conn, in_district(cohort, Filters(period_id=period_id)), Scope(Role.PARTNER, org_id=cohort.employer), TODAY
    )
    assert employer.participants == 5

    reasons = {r.body["rejected_id"]: r.body for r in refused}
    assert reasons[redefine_id]["reason"] == RejectionReason.NOT_ALLOWED_IN_STATE
    assert "closed" in reasons[redefine_id]["message"]
    assert reasons[close_id]["reason"] == RejectionReason.ALREADY_EXISTS
    assert await conn.fetchval("SELECT name FROM funding_periods WHERE period_id = $1", period_id) == "ESF+ 2025"


async def test_a_malformed_command_is_rejected_with_its_reason(
    infra: Infra, partner: Partner, reporting: ServiceProcess
) -> None:
    period_id = f"esf-{uuid.uuid4().hex[:8]}"
    body = {"period_id": period_id, "name": "ESF+ 2025", "starts_on": "2025-12-31", "ends_on": "2025-01-01"}
    envelope = Envelope.for_message(
        DefineFundingPeriod(period_id=period_id, name="x", starts_on=date(2025, 1, 1), ends_on=date(2025, 1, 2)),
        source="/partners/test",
    )
    async with Tap(infra.kafka, REJECTIONS) as rejections:
        await partner.send_raw(
            "journey.reporting.commands", json.dumps(body).encode(), key=period_id.encode(), headers=envelope.headers()
        )
        [refused] = await rejections.wait_for(lambda r: r.body.get("rejected_id") == envelope.id)

    assert refused.body["reason"] == RejectionReason.INVALID_PAYLOAD
    assert "ends_on is before starts_on" in refused.body["message"]

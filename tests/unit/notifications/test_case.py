"""What recruitment's facts about the organisations around a participant and the pauses change in the copy, and
which of them are milestones mailed by it."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from services.notifications import domain
from services.notifications.domain import Delivery, Involvement, Mailing, Participant, Recipient
from shared.contracts.enums import ConsentScope
from shared.contracts.envelope import Event
from shared.contracts.examples import example_of
from shared.contracts.notifications import Delivery as Choice
from shared.contracts.notifications import NotificationSuppressed, RecipientKind, SuppressionReason
from shared.contracts.organisations import LeadHandedOver, OrganisationInvolved, OrganisationReleased
from shared.contracts.placement import RetentionCheckOverdue
from shared.contracts.recruitment import (
    OrgRole,
    ParticipantReactivated,
    ParticipantRecruited,
    ParticipantWithdrawn,
    ParticipationCompleted,
    ParticipationPaused,
    ParticipationResumed,
)
from shared.decision import Decision

PID = uuid.UUID("5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b")
CENTRE, SCHOOL, HOME = "iq-saar-example", "school-x", "care-home-x"
DESK = Recipient("desk", RecipientKind.COORDINATOR, "desk@example.org", "Desk", default_delivery=Choice.IMMEDIATE)


def mailbox(org: str) -> Recipient:
    return Recipient(f"{org}-mail", RecipientKind.PARTNER_ORGANISATION, f"{org}@example.org", org, partner_org=org)


DIRECTORY = (DESK, mailbox(CENTRE), mailbox(SCHOOL), mailbox(HOME))
KNOWN = Participant(
    PID,
    recruited=True,
    region="DE-SL",
    partner_org=CENTRE,
    involvements=frozenset({Involvement(CENTRE, OrgRole.COUNSELLING_CENTRE), Involvement(HOME, OrgRole.EMPLOYER)}),
    lead_org=CENTRE,
)
PAUSED = replace(KNOWN, paused_on=date(2025, 10, 1))


def event(model: type[Any], **fields: Any) -> Any:
    return example_of(model).model_copy(update={"participant_id": PID, **fields})


def mailed(decision: Decision[Mailing]) -> list[str | None]:
    return [d.recipient_id for d in decision.state.queued]


def test_the_registering_organisation_is_involved_in_its_role_and_leads() -> None:
    recruited = event(ParticipantRecruited, partner_org=SCHOOL, partner_role=OrgRole.MEASURE_PROVIDER)
    participant = domain.recruited(Participant(PID), recruited, "e-0", [], DIRECTORY).state.participant
    assert participant.involvements == {Involvement(SCHOOL, OrgRole.MEASURE_PROVIDER)}
    assert participant.lead_org == SCHOOL


def test_a_recruitment_published_before_partner_role_existed_makes_a_leading_counselling_centre() -> None:
    payload = example_of(ParticipantRecruited).model_dump(mode="json")
    del payload["partner_role"]
    recruited = ParticipantRecruited.model_validate({**payload, "participant_id": str(PID), "partner_org": CENTRE})
    participant = domain.recruited(Participant(PID), recruited, "e-0", [], DIRECTORY).state.participant
    assert participant.involvements == {Involvement(CENTRE, OrgRole.COUNSELLING_CENTRE)}


def test_a_repeated_recruitment_keeps_the_lead_handed_over_since() -> None:
    handed = replace(KNOWN, lead_org=HOME)
    participant = domain.recruited(handed, event(ParticipantRecruited, partner_org=CENTRE), "e-9", [], ()).state
    assert participant.participant.lead_org == HOME


def test_an_organisation_involved_and_released_changes_the_copy_and_mails_nobody() -> None:
    involved = domain.involved(KNOWN, event(OrganisationInvolved, org_id=SCHOOL, role=OrgRole.MEASURE_PROVIDER))
    assert Involvement(SCHOOL, OrgRole.MEASURE_PROVIDER) in involved.state.participant.involvements
    assert involved.events == () and involved.state.queued == ()
    again = domain.involved(
        involved.state.participant, event(OrganisationInvolved, org_id=SCHOOL, role="measure_provider")
    )
    assert again.state.participant == involved.state.participant

    released = domain.released(
        involved.state.participant, event(OrganisationReleased, org_id=SCHOOL, role=OrgRole.MEASURE_PROVIDER)
    )
    # The school's own case reference stays with the case (it may be involved again in another role).
    assert released.state.participant == replace(KNOWN, case_references=involved.state.participant.case_references)
    not_held = domain.released(KNOWN, event(OrganisationReleased, org_id=SCHOOL, role=OrgRole.MEASURE_PROVIDER))
    assert not_held.state.participant == KNOWN


def test_nothing_about_the_case_is_kept_for_an_erased_participant() -> None:
    erased = Participant(PID, erased_on=date(2026, 1, 15))
    assert domain.involved(erased, event(OrganisationInvolved, org_id=SCHOOL)).state.participant == erased
    paused = domain.paused(erased, event(ParticipationPaused), "e-1", DIRECTORY)
    assert paused.state.participant == erased and paused.state.queued == ()
    handed = domain.lead_handed_over(erased, event(LeadHandedOver, from_org=CENTRE, to_org=HOME), "e-2", DIRECTORY)
    assert handed.state.participant == erased and handed.state.queued == ()


def test_the_handover_is_told_to_both_sides_and_then_the_new_lead_is_told_everything() -> None:
    handover = event(LeadHandedOver, from_org=CENTRE, to_org=HOME)  # the employer has no employer consent

    decision = domain.lead_handed_over(KNOWN, handover, "e-1", DIRECTORY)

    assert mailed(decision) == [f"{HOME}-mail", "desk", f"{CENTRE}-mail"]
    assert decision.state.participant == replace(KNOWN, lead_org=HOME)
    later = domain.reach(decision.state.participant, event(ParticipationPaused), "e-2", DIRECTORY)
    assert f"{HOME}-mail" in mailed(later)


def test_a_pause_is_a_milestone_and_the_overdue_retention_check_is_not_mailed_meanwhile() -> None:
    paused = domain.paused(KNOWN, event(ParticipationPaused, paused_on=date(2025, 10, 1)), "e-1", DIRECTORY)
    assert paused.state.participant == PAUSED and mailed(paused) == ["desk", f"{CENTRE}-mail"]

    reminder = domain.reach(PAUSED, event(RetentionCheckOverdue), "e-2", DIRECTORY)

    assert reminder.state.queued == ()
    [nobody] = reminder.state.suppressed
    assert nobody == Delivery(nobody.about, None, SuppressionReason.PARTICIPANT_PAUSED)
    [announced] = reminder.events
    assert isinstance(announced, NotificationSuppressed) and announced.reason is SuppressionReason.PARTICIPANT_PAUSED


@pytest.mark.parametrize(
    "end", [ParticipationResumed, ParticipationCompleted, ParticipantWithdrawn, ParticipantReactivated]
)
def test_a_return_or_any_end_of_the_participation_ends_the_pause_and_is_mailed(end: type[Event]) -> None:
    decision = domain.pause_ended(PAUSED, event(end), "e-1", DIRECTORY)
    assert decision.state.participant == KNOWN
    assert "desk" in mailed(decision)
    reminder = domain.reach(decision.state.participant, event(RetentionCheckOverdue), "e-2", DIRECTORY)
    assert "desk" in mailed(reminder)


def test_the_employer_told_about_its_milestones_only_with_the_employer_consent() -> None:
    consented = replace(KNOWN, consents=frozenset({ConsentScope.EMPLOYER}))
    ended = domain.pause_ended(consented, event(ParticipationCompleted), "e-1", DIRECTORY)
    assert f"{HOME}-mail" in mailed(ended)
    without = domain.pause_ended(KNOWN, event(ParticipationCompleted), "e-1", DIRECTORY)
    assert f"{HOME}-mail" not in mailed(without)
    assert [(d.recipient_id, d.reason) for d in without.state.suppressed] == [
        (f"{HOME}-mail", SuppressionReason.NO_CONSENT)
    ]

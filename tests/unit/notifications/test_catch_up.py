"""An organisation involved (or taking the lead) hears of the milestones since, that were addressed before
notifications had read its involvement: recruitment's facts and the other stages' come on different topics."""

from __future__ import annotations

import uuid

from services.notifications import domain
from services.notifications.domain import Involvement, Mailing, MilestoneRef, Participant, Recipient
from shared.contracts.enums import ConsentScope, Milestone
from shared.contracts.notifications import Delivery, RecipientKind, SuppressionReason
from shared.contracts.recruitment import OrgRole

PID = uuid.UUID("0d7e4c1b-8a2f-4b3c-9d5e-6f7a8b9c0d1e")
HOME = Recipient("home", RecipientKind.PARTNER_ORGANISATION, "home@example.org", "Home", partner_org="care-home")
OTHER = Recipient("other", RecipientKind.PARTNER_ORGANISATION, "o@example.org", "Other", partner_org="other-org")
DESK = Recipient("desk", RecipientKind.COORDINATOR, "desk@example.org", "Desk", default_delivery=Delivery.IMMEDIATE)
DIRECTORY = (DESK, HOME, OTHER)
DECIDED = MilestoneRef("decided-1", "journey.recognition.RecognitionDecided.v1", Milestone.RECOGNITION_DECIDED, PID)
SUBMITTED = MilestoneRef(
    "submitted-1", "journey.recognition.ApplicationSubmitted.v1", Milestone.APPLICATION_SUBMITTED, PID
)


def employing(consents: frozenset[ConsentScope]) -> Participant:
    return Participant(
        PID,
        recruited=True,
        region="DE-SL",
        partner_org="centre",
        consents=consents,
        involvements=frozenset(
            {Involvement("centre", OrgRole.COUNSELLING_CENTRE), Involvement("care-home", OrgRole.EMPLOYER)}
        ),
        lead_org="centre",
    )


def test_the_new_organisation_is_mailed_what_its_role_is_told_since_and_nobody_else_is_addressed_again() -> None:
    mailing = Mailing(employing(frozenset({ConsentScope.EMPLOYER})))
    decision = domain.catch_up(mailing, "care-home", [(DECIDED, frozenset()), (SUBMITTED, frozenset())], DIRECTORY)
    assert [(d.about.ce_id, d.recipient_id) for d in decision.state.queued] == [("decided-1", "home")]
    assert decision.state.suppressed == () and decision.events == ()


def test_a_mailbox_with_a_delivery_row_for_the_milestone_is_left_as_it_is() -> None:
    mailing = Mailing(employing(frozenset({ConsentScope.EMPLOYER})))
    decision = domain.catch_up(mailing, "care-home", [(DECIDED, frozenset({"home"}))], DIRECTORY)
    assert decision.state.queued == () and decision.events == ()


def test_without_the_consent_the_role_needs_the_missed_milestone_is_recorded_as_not_sent() -> None:
    mailing = Mailing(employing(frozenset()))
    decision = domain.catch_up(mailing, "care-home", [(DECIDED, frozenset())], DIRECTORY)
    assert decision.state.queued == ()
    assert [(d.recipient_id, d.reason) for d in decision.state.suppressed] == [("home", SuppressionReason.NO_CONSENT)]


def test_an_organisation_without_a_mailbox_changes_nothing() -> None:
    mailing = Mailing(employing(frozenset({ConsentScope.EMPLOYER})))
    decision = domain.catch_up(mailing, "care-home", [(DECIDED, frozenset())], (DESK, OTHER))
    assert decision.state == mailing and decision.events == ()

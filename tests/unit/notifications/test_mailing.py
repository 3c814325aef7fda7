"""What each fact about a participant, and each opt-out or opt-in, decides: the participant, the milestones kept,
the mails queued, the mails nobody gets (announced) and queued mails stopped."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from services.notifications import domain
from services.notifications.domain import Delivery, Involvement, Mailing, MilestoneRef, Participant, Recipient
from shared.contracts.enums import ConsentScope, Milestone
from shared.contracts.examples import example_of
from shared.contracts.notifications import Delivery as Choice
from shared.contracts.notifications import (
    NotificationSuppressed,
    OptInParticipant,
    OptOutParticipant,
    ParticipantOptedIn,
    ParticipantOptedOut,
    RecipientKind,
    SuppressionReason,
)
from shared.contracts.recognition import ApplicationCompleted, RecognitionDecided
from shared.contracts.recruitment import (
    ConsentChanged,
    IntakeRecorded,
    OrgRole,
    ParticipantErased,
    ParticipantRecruited,
)
from shared.refusals import NotAllowed

PID = uuid.UUID("5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b")
IMMEDIATE = Choice.IMMEDIATE
DESK = Recipient(
    "desk",
    RecipientKind.COORDINATOR,
    "desk@example.org",
    "Desk",
    regions=frozenset({"DE-SL"}),
    default_delivery=IMMEDIATE,
)
EMPLOYER = Recipient(
    "employer",
    RecipientKind.PARTNER_ORGANISATION,
    "employer@example.org",
    "Employer",
    partner_org="iq-saar-example",
    consent_scope=ConsentScope.JOBCENTER_AGENTUR,
)
DIRECTORY = (DESK, EMPLOYER)
NOT_KNOWN_YET = Participant(PID)
LEADING = Involvement("iq-saar-example", OrgRole.COUNSELLING_CENTRE)
KNOWN = Participant(
    PID,
    recruited=True,
    region="DE-SL",
    partner_org="iq-saar-example",
    involvements=frozenset({LEADING}),
    lead_org="iq-saar-example",
)
OPTED_OUT = Participant(PID, recruited=True, region="DE-SL", opted_out_on=date(2025, 4, 1))
ERASED = Participant(PID, erased_on=date(2026, 1, 15))
DECIDED_TYPE = RecognitionDecided.ce_type()


def decided() -> RecognitionDecided:
    return example_of(RecognitionDecided).model_copy(update={"participant_id": PID})


def recruited_event(**fields: Any) -> ParticipantRecruited:
    defaults = {"participant_id": PID, "region": "DE-SL", "partner_org": "iq-saar-example"}
    return example_of(ParticipantRecruited).model_copy(update={**defaults, **fields})


def ref(ce_id: str, milestone: Milestone = Milestone.RECOGNITION_DECIDED, ce_type: str = DECIDED_TYPE) -> MilestoneRef:
    return MilestoneRef(ce_id, ce_type, milestone, PID)


def suppressed(about: MilestoneRef, recipient_id: str | None, reason: SuppressionReason) -> NotificationSuppressed:
    return NotificationSuppressed(
        participant_id=PID,
        recipient_id=recipient_id,
        milestone=about.milestone,
        caused_by_id=about.ce_id,
        caused_by_type=about.ce_type,
        reason=reason,
    )


def test_a_milestone_event_is_kept_with_its_facts_and_mailed_to_whom_the_rules_say() -> None:
    event = decided()

    decision = domain.reach(KNOWN, event, "e-1", DIRECTORY)

    [kept] = decision.state.kept
    assert kept.ref == ref("e-1") and kept.facts == event.model_dump(mode="json", exclude={"participant_id"})
    assert decision.state.addressed == (ref("e-1"),)
    assert decision.state.queued == (Delivery(ref("e-1"), "desk"),)
    assert decision.state.participant == KNOWN


def test_a_subscribed_recipient_left_out_for_want_of_consent_is_recorded_and_announced() -> None:
    decision = domain.reach(KNOWN, decided(), "e-1", DIRECTORY)

    assert decision.state.suppressed == (Delivery(ref("e-1"), "employer", SuppressionReason.NO_CONSENT),)
    assert decision.events == (suppressed(ref("e-1"), "employer", SuppressionReason.NO_CONSENT),)
    assert decision.timers == ()


def test_a_milestone_of_a_participant_not_known_yet_is_kept_and_parked() -> None:
    decision = domain.reach(NOT_KNOWN_YET, decided(), "e-1", DIRECTORY)

    assert [kept.ref for kept in decision.state.kept] == [ref("e-1")]
    assert decision.state.addressed == () and decision.state.queued == () and decision.events == ()


def test_a_milestone_of_an_opted_out_participant_is_mailed_to_nobody_and_that_is_announced_once() -> None:
    decision = domain.reach(OPTED_OUT, decided(), "e-1", DIRECTORY)

    assert decision.state.queued == ()
    assert decision.state.suppressed == (Delivery(ref("e-1"), None, SuppressionReason.OPTED_OUT),)
    assert decision.events == (suppressed(ref("e-1"), None, SuppressionReason.OPTED_OUT),)


def test_nothing_more_is_kept_about_an_erased_participant_and_later_milestones_are_suppressed() -> None:
    decision = domain.reach(ERASED, decided(), "e-1", DIRECTORY)

    assert decision.state.kept == () and decision.state.queued == ()
    assert decision.state.suppressed == (Delivery(ref("e-1"), None, SuppressionReason.PARTICIPANT_ERASED),)
    assert decision.events == (suppressed(ref("e-1"), None, SuppressionReason.PARTICIPANT_ERASED),)


def test_an_event_that_is_no_milestone_is_not_reached() -> None:
    intake = example_of(IntakeRecorded).model_copy(update={"participant_id": PID})
    with pytest.raises(ValueError, match="not a milestone"):
        domain.reach(KNOWN, intake, "e-1", DIRECTORY)


def test_recruitment_makes_the_participant_known_and_addresses_the_parked_milestones_oldest_first() -> None:
    recruited = ref("e-0", Milestone.PARTICIPANT_RECRUITED, ParticipantRecruited.ce_type())
    completed = ref("e-1", Milestone.APPLICATION_COMPLETE, ApplicationCompleted.ce_type())
    later = ref("e-2")
    event = recruited_event(consents=frozenset({ConsentScope.EMPLOYER}))

    decision = domain.recruited(NOT_KNOWN_YET, event, "e-0", [completed, later], DIRECTORY)

    assert decision.state.participant == Participant(
        PID,
        recruited=True,
        region="DE-SL",
        partner_org="iq-saar-example",
        consents=frozenset({ConsentScope.EMPLOYER}),
        involvements=frozenset({LEADING}),
        lead_org="iq-saar-example",
        profession=event.target_profession,
        case_references=frozenset({("iq-saar-example", event.case_reference)}) if event.case_reference else frozenset(),
    )
    assert [kept.ref for kept in decision.state.kept] == [recruited]
    assert decision.state.addressed == (recruited, completed, later)
    assert [(d.about.ce_id, d.recipient_id) for d in decision.state.queued] == [
        ("e-0", "desk"),
        ("e-1", "desk"),
        ("e-2", "desk"),
    ]
    assert [(e.caused_by_id, e.recipient_id) for e in decision.events] == [
        ("e-0", "employer"),
        ("e-1", "employer"),
        ("e-2", "employer"),
    ]


def test_recruitment_keeps_an_objection_that_came_first() -> None:
    objected = replace(NOT_KNOWN_YET, opted_out_on=date(2025, 4, 1))

    decision = domain.recruited(objected, recruited_event(), "e-0", [], DIRECTORY)

    assert decision.state.participant.recruited and decision.state.participant.opted_out
    assert decision.state.queued == ()
    assert decision.events == (
        suppressed(
            ref("e-0", Milestone.PARTICIPANT_RECRUITED, ParticipantRecruited.ce_type()),
            None,
            SuppressionReason.OPTED_OUT,
        ),
    )


def test_recruitment_of_an_erased_participant_restores_nothing() -> None:
    decision = domain.recruited(ERASED, recruited_event(), "e-0", [], DIRECTORY)

    assert decision.state.participant == ERASED and decision.state.kept == ()
    assert [e.reason for e in decision.events] == [SuppressionReason.PARTICIPANT_ERASED]


def test_an_intake_moves_the_participant_and_a_consent_change_replaces_the_consents() -> None:
    intake = example_of(IntakeRecorded).model_copy(update={"participant_id": PID, "region": "DE-RP"})
    consents = example_of(ConsentChanged).model_copy(
        update={"participant_id": PID, "consents": frozenset({ConsentScope.JOBCENTER_AGENTUR})}
    )

    moved = replace(KNOWN, region="DE-RP", profession=intake.target_profession)
    assert domain.intake_recorded(KNOWN, intake).state == Mailing(moved)
    assert domain.consent_changed(KNOWN, consents).state.participant.consents == {ConsentScope.JOBCENTER_AGENTUR}
    assert domain.intake_recorded(KNOWN, intake).events == ()


def test_recruitment_s_facts_change_nothing_about_an_erased_participant() -> None:
    intake = example_of(IntakeRecorded).model_copy(update={"participant_id": PID, "region": "DE-RP"})
    consents = example_of(ConsentChanged).model_copy(update={"participant_id": PID})

    assert domain.intake_recorded(ERASED, intake).state == Mailing(ERASED)
    assert domain.consent_changed(ERASED, consents).state == Mailing(ERASED)


def test_an_objection_is_announced_and_stops_the_mails_queued_about_the_participant() -> None:
    queued = [Delivery(ref("e-1"), "desk"), Delivery(ref("e-2"), "desk")]
    cmd = OptOutParticipant(participant_id=PID, opted_out_on=date(2025, 4, 1))

    decision = domain.opt_out(KNOWN, cmd, queued)

    assert decision.state.participant.opted_out_on == date(2025, 4, 1)
    assert decision.state.stopped == (
        Delivery(ref("e-1"), "desk", SuppressionReason.OPTED_OUT),
        Delivery(ref("e-2"), "desk", SuppressionReason.OPTED_OUT),
    )
    assert decision.events == (
        ParticipantOptedOut(participant_id=PID, opted_out_on=date(2025, 4, 1)),
        suppressed(ref("e-1"), "desk", SuppressionReason.OPTED_OUT),
        suppressed(ref("e-2"), "desk", SuppressionReason.OPTED_OUT),
    )


def test_an_objection_counts_even_before_the_participant_is_known() -> None:
    cmd = OptOutParticipant(participant_id=PID, opted_out_on=date(2025, 4, 1))

    assert domain.opt_out(NOT_KNOWN_YET, cmd, []).state.participant.opted_out


def test_a_participant_can_opt_out_once_and_opt_in_again() -> None:
    out = domain.opt_out(KNOWN, OptOutParticipant(participant_id=PID, opted_out_on=date(2025, 4, 1)), []).state
    back = domain.opt_in(out.participant, OptInParticipant(participant_id=PID, opted_in_on=date(2025, 5, 1)))

    assert back.state == Mailing(KNOWN)
    assert back.events == (ParticipantOptedIn(participant_id=PID, opted_in_on=date(2025, 5, 1)),)
    with pytest.raises(NotAllowed, match="opted out already"):
        domain.opt_out(out.participant, OptOutParticipant(participant_id=PID, opted_out_on=date(2025, 4, 2)), [])


def test_opting_in_without_an_objection_or_out_after_erasure_is_refused() -> None:
    with pytest.raises(NotAllowed, match="has not opted out"):
        domain.opt_in(KNOWN, OptInParticipant(participant_id=PID, opted_in_on=date(2025, 5, 1)))
    with pytest.raises(NotAllowed, match="erased"):
        domain.opt_out(ERASED, OptOutParticipant(participant_id=PID, opted_out_on=date(2025, 4, 1)), [])


def test_erasure_keeps_only_the_pseudonym_and_the_day_and_no_mail_about_them_goes_out() -> None:
    parked, queued = ref("e-1"), Delivery(ref("e-2"), "desk")
    before = Participant(PID, recruited=True, region="DE-SL", partner_org="p", opted_out_on=date(2025, 4, 1))
    event = example_of(ParticipantErased).model_copy(update={"participant_id": PID, "erased_on": date(2026, 1, 15)})

    decision = domain.erased(before, event, [parked], [queued])

    assert decision.state == Mailing(
        ERASED,
        suppressed=(Delivery(parked, None, SuppressionReason.PARTICIPANT_ERASED),),
        stopped=(Delivery(ref("e-2"), "desk", SuppressionReason.PARTICIPANT_ERASED),),
    )
    assert decision.events == (
        suppressed(parked, None, SuppressionReason.PARTICIPANT_ERASED),
        suppressed(ref("e-2"), "desk", SuppressionReason.PARTICIPANT_ERASED),
    )

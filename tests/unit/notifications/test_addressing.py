"""Who is mailed about a milestone: coordinators by region and subscription, partners about their own, with consent."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

from services.notifications.domain import Participant, Recipient, Suppression, reason_not_to_mail, recipients_for
from shared.contracts.enums import ConsentScope, Milestone
from shared.contracts.notifications import RecipientKind, SuppressionReason

PID = uuid.UUID("5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b")
DECIDED = Milestone.RECOGNITION_DECIDED
SAARLAND = Participant(
    PID, recruited=True, region="DE-SL", partner_org="iq-saar-example", consents=frozenset({ConsentScope.EMPLOYER})
)
NOT_KNOWN_YET = Participant(PID)


def coordinator(
    recipient_id: str = "coordination-de-sl",
    *,
    regions: frozenset[str] = frozenset(),
    milestones: frozenset[Milestone] = frozenset(),
) -> Recipient:
    return Recipient(
        recipient_id,
        RecipientKind.COORDINATOR,
        f"{recipient_id}@example.org",
        "Desk",
        regions=regions,
        milestones=milestones,
    )


def partner(
    recipient_id: str = "partner-saar", org: str = "iq-saar-example", *, consent_scope: ConsentScope | None = None
) -> Recipient:
    return Recipient(
        recipient_id,
        RecipientKind.PARTNER_ORGANISATION,
        f"{recipient_id}@example.org",
        "Partner",
        partner_org=org,
        consent_scope=consent_scope,
    )


def test_a_coordinator_with_no_regions_and_no_milestones_hears_about_everything() -> None:
    assert recipients_for(DECIDED, SAARLAND, [coordinator()]).mail == ("coordination-de-sl",)


def test_a_coordinator_hears_only_about_participants_in_its_regions() -> None:
    hessen = coordinator("coordination-de-he", regions=frozenset({"DE-HE"}))
    saar = coordinator("coordination-de-sl", regions=frozenset({"DE-SL", "DE-RP"}))
    assert recipients_for(DECIDED, SAARLAND, [hessen, saar]).mail == ("coordination-de-sl",)


def test_a_coordinator_hears_only_about_the_milestones_it_subscribed_to() -> None:
    recruited_only = coordinator(milestones=frozenset({Milestone.PARTICIPANT_RECRUITED}))
    assert recipients_for(DECIDED, SAARLAND, [recruited_only]).mail == ()
    assert recipients_for(Milestone.PARTICIPANT_RECRUITED, SAARLAND, [recruited_only]).mail == ("coordination-de-sl",)


def test_routine_non_matches_are_not_recorded_as_suppressions() -> None:
    others = [coordinator(regions=frozenset({"DE-HE"})), partner(org="iq-hessen-example")]
    assert recipients_for(DECIDED, SAARLAND, others).suppressed == ()


def test_a_partner_organisation_hears_only_about_its_own_participants() -> None:
    own, other = partner("partner-saar"), partner("partner-hessen", org="iq-hessen-example")
    assert recipients_for(DECIDED, SAARLAND, [own, other]).mail == ("partner-saar",)
    assert reason_not_to_mail(DECIDED, SAARLAND, other) is SuppressionReason.NOT_OWN_PARTICIPANT


def test_a_partner_needing_consent_is_mailed_only_when_the_participant_consented() -> None:
    employer = partner(consent_scope=ConsentScope.EMPLOYER)
    jobcenter = partner("partner-jobcenter", consent_scope=ConsentScope.JOBCENTER_AGENTUR)
    addressing = recipients_for(DECIDED, SAARLAND, [employer, jobcenter])
    assert addressing.mail == ("partner-saar",)
    assert addressing.suppressed == (Suppression("partner-jobcenter", SuppressionReason.NO_CONSENT),)


def test_an_opted_out_participant_is_mailed_about_to_nobody_and_that_is_recorded_once() -> None:
    addressing = recipients_for(DECIDED, replace(SAARLAND, opted_out_on=date(2025, 4, 1)), [coordinator(), partner()])
    assert addressing.mail == ()
    assert addressing.suppressed == (Suppression(None, SuppressionReason.OPTED_OUT),)


def test_a_milestone_for_a_participant_not_known_yet_is_parked() -> None:
    assert recipients_for(DECIDED, NOT_KNOWN_YET, [coordinator()]).parked


def test_an_objection_counts_even_before_the_participant_is_known() -> None:
    addressing = recipients_for(DECIDED, replace(NOT_KNOWN_YET, opted_out_on=date(2025, 4, 1)), [coordinator()])
    assert not addressing.parked and addressing.suppressed == (Suppression(None, SuppressionReason.OPTED_OUT),)


def test_a_milestone_for_an_erased_participant_is_suppressed_for_everyone() -> None:
    addressing = recipients_for(DECIDED, replace(NOT_KNOWN_YET, erased_on=date(2026, 1, 15)), [coordinator()])
    assert addressing.mail == () and addressing.suppressed == (Suppression(None, SuppressionReason.PARTICIPANT_ERASED),)


def test_recipients_are_addressed_in_a_stable_order() -> None:
    recipients = [coordinator("c-2"), coordinator("c-1"), partner("a-1")]
    assert recipients_for(DECIDED, SAARLAND, recipients).mail == ("a-1", "c-1", "c-2")

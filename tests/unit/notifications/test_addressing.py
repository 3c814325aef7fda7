"""Who is mailed about a milestone: coordinators by region and subscription; partner organisations as parties to the
case, by the roles they play there and the consent each role needs; nobody about a paused participant's reminders."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from services.notifications.domain import (
    PROGRAMME_REMINDERS,
    Involvement,
    Participant,
    Recipient,
    Suppression,
    reason_not_to_mail,
    recipients_for,
)
from shared.contracts.enums import ConsentScope, Milestone
from shared.contracts.notifications import Delivery, RecipientKind, SuppressionReason
from shared.contracts.organisations import ROLES
from shared.contracts.recruitment import OrgRole

PID = uuid.UUID("5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b")
DECIDED = Milestone.RECOGNITION_DECIDED
LEAD = "iq-saar-example"
SAARLAND = Participant(
    PID,
    recruited=True,
    region="DE-SL",
    partner_org=LEAD,
    consents=frozenset({ConsentScope.EMPLOYER}),
    involvements=frozenset({Involvement(LEAD, OrgRole.COUNSELLING_CENTRE)}),
    lead_org=LEAD,
)
NOT_KNOWN_YET = Participant(PID)


def coordinator(
    recipient_id: str = "coordination-de-sl",
    *,
    regions: frozenset[str] = frozenset(),
    milestones: frozenset[Milestone] = frozenset(),
    default_delivery: Delivery | None = Delivery.IMMEDIATE,
    delivery: dict[Milestone, Delivery] | None = None,
) -> Recipient:
    """A coordinator mailed at once unless `default_delivery` says otherwise (None: the default of its kind)."""
    return Recipient(
        recipient_id,
        RecipientKind.COORDINATOR,
        f"{recipient_id}@example.org",
        "Desk",
        regions=regions,
        milestones=milestones,
        default_delivery=default_delivery,
        delivery=delivery or {},
    )


def partner(
    recipient_id: str = "partner-saar",
    org: str = LEAD,
    *,
    consent_scope: ConsentScope | None = None,
    regions: frozenset[str] = frozenset(),
    milestones: frozenset[Milestone] = frozenset(),
) -> Recipient:
    return Recipient(
        recipient_id,
        RecipientKind.PARTNER_ORGANISATION,
        f"{recipient_id}@example.org",
        "Partner",
        regions=regions,
        milestones=milestones,
        partner_org=org,
        consent_scope=consent_scope,
    )


def involving(participant: Participant, org: str, *roles: OrgRole) -> Participant:
    return replace(participant, involvements=participant.involvements | {Involvement(org, role) for role in roles})


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


def test_a_coordinator_needs_no_involvement_and_no_consent() -> None:
    assert recipients_for(Milestone.EMPLOYMENT_ENDED, replace(SAARLAND, consents=frozenset()), [coordinator()]).mail


def test_routine_non_matches_are_not_recorded_as_suppressions() -> None:
    others = [coordinator(regions=frozenset({"DE-HE"})), partner(org="iq-hessen-example")]
    assert recipients_for(DECIDED, SAARLAND, others).suppressed == ()


def test_an_organisation_not_involved_in_the_case_hears_nothing_and_that_stays_silent() -> None:
    own, other = partner("partner-saar"), partner("partner-hessen", org="iq-hessen-example")
    addressing = recipients_for(DECIDED, SAARLAND, [own, other])
    assert addressing.mail == ("partner-saar",) and addressing.suppressed == ()
    assert reason_not_to_mail(DECIDED, SAARLAND, other) is SuppressionReason.NOT_INVOLVED


def test_the_lead_hears_about_every_milestone_without_any_consent() -> None:
    bare = replace(SAARLAND, consents=frozenset())
    for milestone in Milestone:
        assert reason_not_to_mail(milestone, bare, partner()) is None, milestone


@pytest.mark.parametrize("role", list(OrgRole))
@pytest.mark.parametrize("lead", [False, True], ids=["involved", "leading"])
@pytest.mark.parametrize("for_role", [True, False], ids=["for-role", "not-for-role"])
@pytest.mark.parametrize("consented", [True, False], ids=["consented", "no-consent"])
def test_an_involved_organisation_is_told_what_its_role_is_told_with_the_consent_it_needs(
    role: OrgRole, lead: bool, for_role: bool, consented: bool
) -> None:
    rule = ROLES[role]
    milestone = min(rule.milestones) if for_role else min(frozenset(Milestone) - rule.milestones)
    consents = frozenset(ConsentScope) if consented else frozenset()
    org = "org-x"
    participant = replace(involving(SAARLAND, org, role), consents=consents, lead_org=org if lead else LEAD)

    reason = reason_not_to_mail(milestone, participant, partner("org-x-mailbox", org))

    if lead or (for_role and (consented or rule.consent is None)):
        assert reason is None
    elif not for_role:
        assert reason is SuppressionReason.NOT_FOR_ROLE
    else:
        assert reason is SuppressionReason.NO_CONSENT


def test_a_language_school_hears_about_the_language_target_with_consent_and_is_recorded_as_left_out_without() -> None:
    school = partner("school-mailbox", "school-x")
    participant = involving(SAARLAND, "school-x", OrgRole.MEASURE_PROVIDER)
    with_consent = replace(participant, consents=frozenset({ConsentScope.LANGUAGE_PROVIDER}))

    assert recipients_for(Milestone.LANGUAGE_TARGET_REACHED, with_consent, [school]).mail == ("school-mailbox",)
    without = recipients_for(Milestone.LANGUAGE_TARGET_REACHED, participant, [school])
    assert without.mail == ()
    assert without.suppressed == (Suppression("school-mailbox", SuppressionReason.NO_CONSENT),)
    not_for_it = recipients_for(Milestone.EMPLOYMENT_STARTED, with_consent, [school])
    assert not_for_it.mail == () and not_for_it.suppressed == ()


def test_an_organisation_in_two_roles_is_told_what_either_is_told() -> None:
    participant = involving(SAARLAND, "org-x", OrgRole.MEASURE_PROVIDER, OrgRole.EMPLOYER)
    participant = replace(participant, consents=frozenset({ConsentScope.EMPLOYER}))
    mailbox = partner("org-x-mailbox", "org-x")
    assert reason_not_to_mail(Milestone.EMPLOYMENT_STARTED, participant, mailbox) is None
    assert reason_not_to_mail(Milestone.LANGUAGE_TARGET_REACHED, participant, mailbox) is SuppressionReason.NO_CONSENT


def test_a_released_organisation_is_not_involved_any_more() -> None:
    participant = involving(SAARLAND, "school-x", OrgRole.MEASURE_PROVIDER)
    released = replace(participant, involvements=SAARLAND.involvements)
    assert reason_not_to_mail(DECIDED, released, partner("school", "school-x")) is SuppressionReason.NOT_INVOLVED


def test_after_a_handover_the_new_lead_hears_everything_and_the_former_lead_what_its_role_is_told() -> None:
    participant = replace(involving(SAARLAND, "jobcenter-x", OrgRole.JOBCENTER), lead_org="jobcenter-x")
    former, new = partner("former", LEAD), partner("new", "jobcenter-x")
    assert reason_not_to_mail(Milestone.COUNSELLING_HELD, participant, new) is None
    assert reason_not_to_mail(Milestone.COUNSELLING_HELD, participant, former) is None  # a counselling centre's
    notice = Milestone.EMPLOYMENT_END_NOTICE_DUE
    assert reason_not_to_mail(notice, participant, former) is SuppressionReason.NOT_FOR_ROLE
    assert reason_not_to_mail(notice, replace(participant, lead_org=LEAD), former) is None


def test_the_handover_milestone_is_addressed_as_if_both_sides_led() -> None:
    participant = replace(involving(SAARLAND, "employer-x", OrgRole.EMPLOYER), consents=frozenset())
    mailboxes = [partner("from", LEAD), partner("to", "employer-x")]
    handover = Milestone.LEAD_HANDED_OVER
    assert recipients_for(handover, participant, mailboxes).mail == ("from",)
    assert recipients_for(handover, participant, mailboxes, frozenset({LEAD, "employer-x"})).mail == ("from", "to")


def test_a_lead_whose_roles_were_all_released_still_leads() -> None:
    assert reason_not_to_mail(DECIDED, replace(SAARLAND, involvements=frozenset()), partner()) is None


def test_the_recipients_own_filters_still_apply_to_a_party_and_keep_a_missing_consent_silent() -> None:
    participant = involving(SAARLAND, "school-x", OrgRole.MEASURE_PROVIDER)  # no language_provider consent
    elsewhere = partner("school", "school-x", regions=frozenset({"DE-HE"}))
    other_milestones = partner("school", "school-x", milestones=frozenset({Milestone.EXAM_FAILED}))
    target = Milestone.LANGUAGE_TARGET_REACHED
    assert reason_not_to_mail(target, participant, elsewhere) is SuppressionReason.REGION_NOT_COVERED
    assert reason_not_to_mail(target, participant, other_milestones) is SuppressionReason.MILESTONE_NOT_SUBSCRIBED


def test_a_partners_consent_scope_is_one_more_consent_the_participant_must_have_given() -> None:
    employer = partner(consent_scope=ConsentScope.EMPLOYER)
    jobcenter = partner("partner-jobcenter", consent_scope=ConsentScope.JOBCENTER_AGENTUR)
    addressing = recipients_for(DECIDED, SAARLAND, [employer, jobcenter])
    assert addressing.mail == ("partner-saar",)
    assert addressing.suppressed == (Suppression("partner-jobcenter", SuppressionReason.NO_CONSENT),)


def test_the_programme_reminders_are_the_overdue_retention_check() -> None:
    assert frozenset({Milestone.RETENTION_CHECK_OVERDUE}) == PROGRAMME_REMINDERS


def test_a_paused_participants_programme_reminder_is_mailed_to_nobody_and_that_is_recorded_once() -> None:
    paused = replace(SAARLAND, paused_on=date(2025, 10, 1))
    addressing = recipients_for(Milestone.RETENTION_CHECK_OVERDUE, paused, [coordinator(), partner()])
    assert addressing.mail == ()
    assert addressing.suppressed == (Suppression(None, SuppressionReason.PARTICIPANT_PAUSED),)


@pytest.mark.parametrize(
    "deadline",
    [Milestone.DECISION_OVERDUE, Milestone.RECEIPT_OVERDUE, Milestone.DOCUMENTS_OVERDUE, Milestone.LICENCE_EXPIRING],
)
def test_the_legal_deadlines_of_a_paused_participant_are_still_mailed(deadline: Milestone) -> None:
    paused = replace(SAARLAND, paused_on=date(2025, 10, 1))
    assert recipients_for(deadline, paused, [coordinator(), partner()]).mail == ("coordination-de-sl", "partner-saar")


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

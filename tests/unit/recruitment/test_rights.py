"""The participant's rights: access only on the lead's request, correction by an involved organisation, audit holds,
the retention schedule's verdict, and the erasure confirmation."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from services.recruitment import domain
from services.recruitment.domain import AuditHold, Ending, Participant, ParticipantStatus, rights
from services.recruitment.domain.rights import Verdict
from services.recruitment.settings import RecruitmentSettings, copies_window
from shared.contracts.examples import example_of
from shared.contracts.recruitment import (
    AuditHoldReason,
    CorrectPersonalData,
    DataAccessRequested,
    EraseParticipant,
    ErasureBasis,
    ParticipantErased,
    PersonalData,
    PersonalDataCorrected,
    PersonalField,
    PlaceAuditHold,
    RegisterCandidate,
    ReleaseAuditHold,
    RequestDataAccess,
)
from shared.contracts.rejections import RejectionReason
from shared.refusals import AlreadyExists, InvalidValue, NotAllowed, UnknownOrganisation

PID = uuid.UUID("5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b")
TODAY = date(2031, 3, 2)
FUNDER, CLAIM = AuditHoldReason.FUNDER_AUDIT, AuditHoldReason.LEGAL_CLAIM


def registered() -> Participant:
    cmd = example_of(RegisterCandidate).model_copy(
        update={
            "participant_id": PID,
            "partner_org": "centre",
            "personal": PersonalData(given_name="Amara", family_name="Example", phone="+49 000 000000"),
        }
    )
    return domain.register(None, cmd, date(2025, 1, 13)).state


def ended(on: date, status: ParticipantStatus = ParticipantStatus.COMPLETED, *holds: AuditHold) -> Participant:
    return replace(registered(), status=status, ending=Ending(on), holds=holds)


def test_the_lead_asks_for_the_data_and_the_event_names_no_personal_data() -> None:
    request_id = uuid.uuid4()
    cmd = RequestDataAccess(participant_id=PID, requested_by="centre", requested_on=TODAY)

    decision = rights.request_access(registered(), cmd, request_id)

    assert decision.state == registered()
    assert decision.events == (
        DataAccessRequested(participant_id=PID, request_id=request_id, requested_by="centre", requested_on=TODAY),
    )


def test_an_organisation_not_leading_the_case_may_not_ask_for_the_data() -> None:
    cmd = RequestDataAccess(participant_id=PID, requested_by="school", requested_on=TODAY)

    with pytest.raises(rights.NotTheLead, match="centre does") as refused:
        rights.request_access(registered(), cmd, uuid.uuid4())
    assert refused.value.reason is RejectionReason.NOT_INVOLVED


def test_a_correction_replaces_and_clears_parts_and_names_only_the_parts_changed() -> None:
    cmd = CorrectPersonalData(
        participant_id=PID,
        corrected_by="centre",
        corrected_on=TODAY,
        family_name="Beispiel",
        given_name="Amara",  # as before: not a change
        cleared=frozenset({PersonalField.PHONE}),
    )

    decision = rights.correct(registered(), cmd)

    assert decision.state.personal == PersonalData(given_name="Amara", family_name="Beispiel")
    assert decision.events == (
        PersonalDataCorrected(
            participant_id=PID,
            fields=frozenset({PersonalField.FAMILY_NAME, PersonalField.PHONE}),
            corrected_by="centre",
            corrected_on=TODAY,
        ),
    )
    assert "Beispiel" not in decision.events[0].model_dump_json()


def test_a_correction_is_refused_from_an_uninvolved_organisation_for_an_erased_participant_or_without_change() -> None:
    correction = CorrectPersonalData(participant_id=PID, corrected_by="centre", corrected_on=TODAY, given_name="Amara")
    erased = domain.erase(registered(), example_of(EraseParticipant), TODAY).state

    with pytest.raises(UnknownOrganisation):
        rights.correct(registered(), correction.model_copy(update={"corrected_by": "stranger"}))
    with pytest.raises(NotAllowed, match="erased"):
        rights.correct(erased, correction)
    with pytest.raises(AlreadyExists):
        rights.correct(registered(), correction)


def test_a_correction_must_name_something_and_cannot_clear_a_name() -> None:
    with pytest.raises(ValueError, match="at least one"):
        CorrectPersonalData(participant_id=PID, corrected_by="centre", corrected_on=TODAY)
    with pytest.raises(ValueError, match="not cleared"):
        CorrectPersonalData(
            participant_id=PID,
            corrected_by="centre",
            corrected_on=TODAY,
            cleared=frozenset({PersonalField.FAMILY_NAME}),
        )


def test_a_hold_is_placed_moved_and_released_by_reason() -> None:
    place = PlaceAuditHold(participant_id=PID, reason=FUNDER, until=date(2033, 12, 31))

    placed = rights.place_hold(registered(), place, TODAY)
    moved = rights.place_hold(placed.state, place.model_copy(update={"until": date(2034, 6, 30)}), TODAY)
    released = rights.release_hold(moved.state, ReleaseAuditHold(participant_id=PID, reason=FUNDER), TODAY)

    assert placed.state.holds == (AuditHold(FUNDER, date(2033, 12, 31), TODAY),)
    assert moved.state.holds == (AuditHold(FUNDER, date(2034, 6, 30), TODAY),)
    assert released.state.holds == ()
    with pytest.raises(AlreadyExists):
        rights.place_hold(placed.state, place, TODAY)
    with pytest.raises(InvalidValue, match="has passed"):
        rights.place_hold(registered(), place.model_copy(update={"until": date(2031, 3, 1)}), TODAY)
    with pytest.raises(NotAllowed, match="no legal_claim hold"):
        rights.release_hold(placed.state, ReleaseAuditHold(participant_id=PID, reason=CLAIM), TODAY)


def test_the_cut_off_is_the_same_day_years_before_and_the_28th_for_a_29th_of_february() -> None:
    assert rights.cut_off(TODAY, 5) == date(2026, 3, 2)
    assert rights.cut_off(date(2028, 2, 29), 5) == date(2023, 2, 28)


@pytest.mark.parametrize(
    ("participant", "expected"),
    [
        (ended(date(2026, 3, 1)), Verdict.ANONYMISE),
        (ended(date(2026, 3, 1), ParticipantStatus.WITHDRAWN), Verdict.ANONYMISE),
        (ended(date(2026, 3, 2)), Verdict.KEEP),  # exactly five years: not more
        (ended(date(2026, 3, 1), ParticipantStatus.COMPLETED, AuditHold(FUNDER, TODAY, TODAY)), Verdict.HELD),
        (
            ended(date(2026, 3, 1), ParticipantStatus.COMPLETED, AuditHold(CLAIM, date(2031, 3, 1), TODAY)),
            Verdict.ANONYMISE,
        ),
        (replace(ended(date(2020, 1, 1)), status=ParticipantStatus.ACTIVE, ending=None), Verdict.KEEP),
    ],
    ids=["completed", "withdrawn", "not-past", "held", "hold-expired", "active"],
)
def test_the_retention_verdict(participant: Participant, expected: Verdict) -> None:
    assert rights.verdict(participant, None, rights.cut_off(TODAY, 5), TODAY) is expected


def test_a_withdrawal_without_its_day_counts_from_the_last_change() -> None:
    withdrawn = replace(registered(), status=ParticipantStatus.WITHDRAWN, ending=None)
    cut = rights.cut_off(TODAY, 5)

    assert rights.verdict(withdrawn, date(2026, 3, 1), cut, TODAY) is Verdict.ANONYMISE
    assert rights.verdict(withdrawn, date(2027, 1, 1), cut, TODAY) is Verdict.KEEP


def test_anonymising_is_the_erasure_with_the_retention_basis_and_takes_the_holds_too() -> None:
    gone_by = datetime(2031, 4, 1, tzinfo=UTC)
    participant = ended(date(2020, 1, 1), ParticipantStatus.COMPLETED, AuditHold(CLAIM, date(2030, 1, 1), TODAY))

    decision = rights.anonymise(participant, TODAY, gone_by)

    assert decision.state.status is ParticipantStatus.ERASED
    assert decision.state.personal is None and decision.state.holds == () and decision.state.involvements == ()
    assert decision.events == (
        ParticipantErased(
            participant_id=PID,
            basis=ErasureBasis.RETENTION_PERIOD_ENDED,
            erased_on=TODAY,
            all_copies_gone_by=gone_by,
        ),
    )


def test_the_last_copy_is_gone_after_the_longest_of_topics_and_backups() -> None:
    defaults = RecruitmentSettings.model_construct()
    assert copies_window(defaults) == timedelta(days=30)  # backups outlast the four days of the topics
    short_backups = RecruitmentSettings.model_construct(backup_retention_s=3600)
    assert copies_window(short_backups) == timedelta(days=4, hours=1)

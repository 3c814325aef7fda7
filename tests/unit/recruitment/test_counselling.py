"""Counselling's rules: first contacts, sessions at every stage, referrals, and which links are allowed."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from services.recruitment import counselling
from services.recruitment.counselling import Counselled, FirstContact, SessionKey
from shared.contracts.counselling import (
    CounsellingOutcome,
    CounsellingSessionHeld,
    CounsellingType,
    FirstContactLinked,
    FirstContactRecorded,
    LinkFirstContact,
    RecordCounsellingSession,
    RecordFirstContact,
    ReferralMade,
)
from shared.contracts.enums import Route
from shared.contracts.examples import example_of
from shared.contracts.organisations import OrgKind
from shared.refusals import AlreadyExists, InvalidValue, NotAllowed, UnknownOrganisation

PID = uuid.UUID("5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b")
OTHER = uuid.uuid4()
CONTACT = uuid.UUID("8a1d5e3c-2f4b-4c7a-9e6d-1b0c3a5f7d92")
HELD = date(2025, 1, 27)
ACTIVE = Counselled(PID, erased=False)


def first_contact(**changes: Any) -> RecordFirstContact:
    return RecordFirstContact.model_validate({**example_of(RecordFirstContact).model_dump(), **changes})


def session(**changes: Any) -> RecordCounsellingSession:
    fields = {**example_of(RecordCounsellingSession).model_dump(), "participant_id": PID, **changes}
    return RecordCounsellingSession.model_validate(fields)


def referral(**changes: Any) -> RecordCounsellingSession:
    fields: dict[str, Any] = {
        "outcome": CounsellingOutcome.REFERRAL,
        "route_recommended": None,
        "referred_to": "language-school-x",
        "follow_up_on": date(2025, 3, 3),
    }
    return session(**{**fields, **changes})


def contact(**changes: Any) -> FirstContact:
    fields: dict[str, Any] = {"contact_id": CONTACT, "held_on": HELD, "counselling_type": CounsellingType.RECOGNITION}
    return FirstContact(**{**fields, **changes})


def link_cmd(**changes: Any) -> LinkFirstContact:
    fields = {"participant_id": PID, "contact_id": CONTACT, "linked_on": date(2025, 2, 3), **changes}
    return LinkFirstContact.model_validate(fields)


# -- first contacts ---------------------------------------------------------------------------------------------------


def test_a_first_contact_is_recorded_with_its_coarse_attributes_only() -> None:
    cmd = first_contact()
    decision = counselling.record_first_contact(None, cmd, None)
    assert decision.state == FirstContact(CONTACT, HELD, CounsellingType.RECOGNITION)
    [recorded] = decision.events
    assert isinstance(recorded, FirstContactRecorded)
    assert recorded.model_dump() == cmd.model_dump()
    assert recorded.kafka_key() == str(CONTACT)


def test_the_same_first_contact_again_already_exists() -> None:
    with pytest.raises(AlreadyExists) as refused:
        counselling.record_first_contact(contact(), first_contact(), None)
    assert refused.value.field == "contact_id"


def test_an_employer_counselled_is_a_registered_employer_named_with_employer_counselling_only() -> None:
    employer = first_contact(counselling_type=CounsellingType.EMPLOYER, counselled_org="care-home-x")
    assert counselling.record_first_contact(None, employer, OrgKind.EMPLOYER).events
    with pytest.raises(InvalidValue) as refused:
        counselling.record_first_contact(None, first_contact(counselled_org="care-home-x"), OrgKind.EMPLOYER)
    assert refused.value.field == "counselled_org"
    with pytest.raises(UnknownOrganisation) as unknown:
        counselling.record_first_contact(None, employer, None)
    assert unknown.value.field == "counselled_org"
    with pytest.raises(InvalidValue, match="not as an employer"):
        counselling.record_first_contact(None, employer, OrgKind.LANGUAGE_SCHOOL)


# -- outcome consistency (the schema's part, checked at the door, and the domain's) ----------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"outcome": CounsellingOutcome.ROUTE_RECOMMENDED, "route_recommended": None},
        {"outcome": CounsellingOutcome.NO_FURTHER_NEED, "route_recommended": Route.NURSE},
        {"outcome": CounsellingOutcome.REFERRAL, "route_recommended": None},
        {"outcome": CounsellingOutcome.NO_FURTHER_NEED, "route_recommended": None, "referred_to": "school-x"},
        {"follow_up_on": date(2025, 1, 26)},
    ],
)
def test_an_outcome_without_its_details_or_with_others_is_invalid(changes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        session(**changes)


def test_a_referral_to_the_counselling_organisation_itself_is_invalid() -> None:
    with pytest.raises(InvalidValue) as refused:
        counselling.record_session(ACTIVE, referral(referred_to="iq-centre-x"), ())
    assert refused.value.field == "referred_to"
    with pytest.raises(InvalidValue):
        to_itself = {"outcome": CounsellingOutcome.REFERRAL, "route_recommended": None, "referred_to": "iq-centre-x"}
        counselling.record_first_contact(None, first_contact(**to_itself), None)


# -- sessions ---------------------------------------------------------------------------------------------------------


def test_a_session_is_a_milestone_of_its_own() -> None:
    cmd = session()
    decision = counselling.record_session(ACTIVE, cmd, ())
    assert decision.state == SessionKey(PID, HELD, "iq-centre-x", CounsellingType.RECOGNITION)
    [held] = decision.events
    assert isinstance(held, CounsellingSessionHeld) and held.model_dump() == cmd.model_dump()
    assert held.marks_milestone is not None


def test_a_referral_is_a_second_milestone_naming_whom_and_by_when() -> None:
    decision = counselling.record_session(ACTIVE, referral(), ())
    held, referred = decision.events
    assert isinstance(held, CounsellingSessionHeld)
    assert referred == ReferralMade(
        participant_id=PID,
        org_id="iq-centre-x",
        referred_to="language-school-x",
        referred_on=HELD,
        follow_up_on=date(2025, 3, 3),
    )


def test_counselling_stays_possible_after_a_withdrawal_or_completion_but_not_after_an_erasure() -> None:
    # The participant's status beyond "erased" does not matter: Counselled carries nothing else.
    with pytest.raises(NotAllowed, match="erased"):
        counselling.record_session(Counselled(PID, erased=True), session(), ())


def test_the_same_counselling_of_the_same_day_again_already_exists_but_another_kind_is_a_session() -> None:
    held = {SessionKey(PID, HELD, "iq-centre-x", CounsellingType.RECOGNITION)}
    with pytest.raises(AlreadyExists):
        counselling.record_session(ACTIVE, session(), held)
    qualification = session(counselling_type=CounsellingType.QUALIFICATION)
    assert counselling.record_session(ACTIVE, qualification, held).events
    assert counselling.record_session(ACTIVE, session(held_on=date(2025, 1, 28)), held).events


# -- links ------------------------------------------------------------------------------------------------------------


def test_a_first_contact_is_linked_to_the_participant_with_its_day_and_kind() -> None:
    decision = counselling.link(ACTIVE, contact(), link_cmd())
    assert decision.state == contact(participant_id=PID, linked_on=date(2025, 2, 3))
    assert decision.events == (
        FirstContactLinked(
            participant_id=PID,
            contact_id=CONTACT,
            linked_on=date(2025, 2, 3),
            held_on=HELD,
            counselling_type=CounsellingType.RECOGNITION,
        ),
    )


def test_a_contact_nobody_recorded_cannot_be_linked_and_the_refusal_names_it() -> None:
    with pytest.raises(NotAllowed, match=str(CONTACT)) as refused:
        counselling.link(ACTIVE, None, link_cmd())
    assert refused.value.field == "contact_id"


def test_a_contact_linked_to_this_participant_already_exists() -> None:
    with pytest.raises(AlreadyExists):
        counselling.link(ACTIVE, contact(participant_id=PID, linked_on=date(2025, 2, 1)), link_cmd())


@pytest.mark.parametrize("linked_to", [OTHER, None], ids=["another participant", "a participant since erased"])
def test_a_contact_linked_to_someone_else_cannot_be_linked_again_nor_is_the_other_named(
    linked_to: uuid.UUID | None,
) -> None:
    with pytest.raises(NotAllowed, match="another participant") as refused:
        counselling.link(ACTIVE, contact(participant_id=linked_to, linked_on=date(2025, 2, 1)), link_cmd())
    assert str(OTHER) not in refused.value.message


def test_a_link_before_the_first_contact_is_invalid_and_an_erased_participant_gets_none() -> None:
    with pytest.raises(InvalidValue) as refused:
        counselling.link(ACTIVE, contact(), link_cmd(linked_on=date(2025, 1, 26)))
    assert refused.value.field == "linked_on"
    with pytest.raises(NotAllowed, match="erased"):
        counselling.link(Counselled(PID, erased=True), contact(), link_cmd())

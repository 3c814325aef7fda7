"""The organisations: the registry, involvement by role, release and the lead's handover."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from services.recruitment import domain
from services.recruitment.domain import Involvement, Organisation, Participant
from shared.contracts.examples import example_of
from shared.contracts.organisations import (
    HandOverLead,
    InvolveOrganisation,
    LeadHandedOver,
    OrganisationInvolved,
    OrganisationRegistered,
    OrganisationReleased,
    OrgKind,
    RegisterOrganisation,
    ReleaseOrganisation,
    SizeClass,
)
from shared.contracts.placement import PlacementConfirmed
from shared.contracts.recruitment import OrgRole, RegisterCandidate, WithdrawParticipant
from shared.refusals import AlreadyExists, NotAllowed, NotPermitted, UnknownOrganisation

PID = uuid.UUID("5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b")
DAY = date(2025, 11, 3)
CENTRE = "iq-centre"
HOME = Organisation("care-home", OrgKind.EMPLOYER, "DE-SL", "10041", SizeClass.MEDIUM)


def registered() -> Participant:
    cmd = example_of(RegisterCandidate).model_copy(update={"participant_id": PID, "partner_org": CENTRE})
    return domain.register(None, cmd, date(2025, 1, 13)).state


def involve(org_id: str = HOME.org_id, role: OrgRole = OrgRole.EMPLOYER) -> InvolveOrganisation:
    return InvolveOrganisation(participant_id=PID, org_id=org_id, role=role, involved_on=DAY)


def release(org_id: str, role: OrgRole) -> ReleaseOrganisation:
    return ReleaseOrganisation(participant_id=PID, org_id=org_id, role=role, released_on=DAY)


def hand_over(to_org: str) -> HandOverLead:
    return HandOverLead(participant_id=PID, to_org=to_org, handed_over_on=DAY)


def with_home(role: OrgRole = OrgRole.EMPLOYER) -> Participant:
    return domain.involve(registered(), HOME, involve(role=role)).state


def test_registering_an_organisation_announces_what_is_known_of_it() -> None:
    cmd = example_of(RegisterOrganisation)

    decision = domain.register_organisation(None, cmd)

    assert decision.state == Organisation(cmd.org_id, cmd.org_kind, cmd.region, cmd.district, cmd.size_class, cmd.name)
    assert decision.events == (OrganisationRegistered(**cmd.model_dump()),)


def test_registering_again_updates_the_organisation_and_the_same_registration_is_a_repeated_fact() -> None:
    cmd = example_of(RegisterOrganisation)
    first = domain.register_organisation(None, cmd).state

    moved = domain.register_organisation(first, cmd.model_copy(update={"size_class": SizeClass.LARGE}))

    assert moved.state.size_class is SizeClass.LARGE and len(moved.events) == 1
    with pytest.raises(AlreadyExists, match="registered already"):
        domain.register_organisation(first, cmd)


def test_a_partner_registers_an_organisation_new_to_the_journey_but_changes_no_registration_but_its_own() -> None:
    cmd = example_of(RegisterOrganisation)
    first = domain.register_organisation(None, cmd, sender="counselling-example").state
    larger = cmd.model_copy(update={"size_class": SizeClass.LARGE})

    with pytest.raises(NotPermitted, match=f"only {cmd.org_id} itself or the operators"):
        domain.register_organisation(first, larger, sender="counselling-example")
    assert domain.register_organisation(first, larger, sender=cmd.org_id).state.size_class is SizeClass.LARGE
    assert domain.register_organisation(first, larger, sender=None).state.size_class is SizeClass.LARGE


def test_a_registered_organisation_takes_part_in_a_role_and_the_event_names_its_kind() -> None:
    decision = domain.involve(registered(), HOME, involve())

    assert decision.events == (
        OrganisationInvolved(
            participant_id=PID, org_id=HOME.org_id, role=OrgRole.EMPLOYER, org_kind=OrgKind.EMPLOYER, involved_on=DAY
        ),
    )
    assert Involvement(HOME.org_id, OrgRole.EMPLOYER, DAY) in decision.state.involvements


def test_an_unregistered_organisation_cannot_take_part() -> None:
    with pytest.raises(UnknownOrganisation, match="no organisation care-home is registered") as refused:
        domain.involve(registered(), None, involve())

    assert refused.value.field == "org_id"


def test_an_organisation_takes_part_once_per_role_and_may_hold_several_roles() -> None:
    both = domain.involve(with_home(), HOME, involve(role=OrgRole.MEASURE_PROVIDER)).state

    assert {i.role for i in both.involvements if i.org_id == HOME.org_id} == {
        OrgRole.EMPLOYER,
        OrgRole.MEASURE_PROVIDER,
    }
    with pytest.raises(AlreadyExists, match="as employer already"):
        domain.involve(both, HOME, involve())


def test_a_released_organisation_no_longer_takes_part_in_that_role() -> None:
    decision = domain.release(with_home(), release(HOME.org_id, OrgRole.EMPLOYER))

    assert decision.events == (
        OrganisationReleased(participant_id=PID, org_id=HOME.org_id, role=OrgRole.EMPLOYER, released_on=DAY),
    )
    assert not decision.state.involved(HOME.org_id)


def test_releasing_an_organisation_not_involved_in_that_role_is_refused_as_unknown() -> None:
    with pytest.raises(UnknownOrganisation, match="takes no part in the case as measure_provider"):
        domain.release(with_home(), release(HOME.org_id, OrgRole.MEASURE_PROVIDER))


def test_the_lead_cannot_be_released_from_its_last_role() -> None:
    with pytest.raises(NotAllowed, match="hand the lead over first"):
        domain.release(registered(), release(CENTRE, OrgRole.COUNSELLING_CENTRE))


def test_the_lead_may_give_up_one_of_several_roles() -> None:
    two_roles = domain.involve(
        registered(), Organisation(CENTRE, OrgKind.COUNSELLING_CENTRE, "DE-SL"), involve(CENTRE, OrgRole.JOBCENTER)
    ).state

    decision = domain.release(two_roles, release(CENTRE, OrgRole.COUNSELLING_CENTRE))

    assert decision.state.lead == CENTRE and decision.state.involved(CENTRE, OrgRole.JOBCENTER)


def test_the_lead_is_handed_over_to_an_involved_organisation() -> None:
    decision = domain.hand_over_lead(with_home(), hand_over(HOME.org_id))

    assert decision.events == (
        LeadHandedOver(participant_id=PID, from_org=CENTRE, to_org=HOME.org_id, handed_over_on=DAY),
    )
    assert decision.state.lead == HOME.org_id


def test_after_a_handover_the_former_lead_can_be_released() -> None:
    handed = domain.hand_over_lead(with_home(), hand_over(HOME.org_id)).state

    released = domain.release(handed, release(CENTRE, OrgRole.COUNSELLING_CENTRE)).state

    assert [i.org_id for i in released.involvements] == [HOME.org_id]


def test_a_handover_to_an_uninvolved_organisation_is_refused_as_unknown() -> None:
    with pytest.raises(UnknownOrganisation, match="handover to an uninvolved organisation") as refused:
        domain.hand_over_lead(registered(), hand_over(HOME.org_id))

    assert refused.value.field == "to_org"


def test_a_handover_to_the_lead_itself_is_a_repeated_fact() -> None:
    with pytest.raises(AlreadyExists, match="leads the case already"):
        domain.hand_over_lead(registered(), hand_over(CENTRE))


def placed(employer: str = HOME.org_id) -> PlacementConfirmed:
    return example_of(PlacementConfirmed).model_copy(
        update={"participant_id": PID, "employer_id": employer, "contract_signed_on": DAY}
    )


def test_a_confirmed_placement_involves_its_registered_employer_as_employer_from_the_contract() -> None:
    decision = domain.employer_placed(registered(), HOME, placed())
    assert decision.state.involved(HOME.org_id, OrgRole.EMPLOYER)
    [involved] = decision.events
    assert isinstance(involved, OrganisationInvolved)
    assert (involved.org_id, involved.role, involved.org_kind, involved.involved_on) == (
        HOME.org_id,
        OrgRole.EMPLOYER,
        OrgKind.EMPLOYER,
        DAY,
    )


def test_a_placement_with_an_unregistered_employer_or_one_involved_already_changes_nothing() -> None:
    assert domain.employer_placed(registered(), None, placed("unknown-employer")).events == ()
    involved = domain.involve(registered(), HOME, involve()).state
    again = domain.employer_placed(involved, HOME, placed())
    assert again.state == involved and again.events == ()


def test_a_placement_of_a_participant_who_dropped_out_involves_nobody() -> None:
    withdrawal = example_of(WithdrawParticipant).model_copy(update={"participant_id": PID})
    gone = domain.withdraw(registered(), withdrawal).state
    assert domain.employer_placed(gone, HOME, placed()).events == ()

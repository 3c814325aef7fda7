"""Recruitment's rules: what each command may do to a participant, and the facts it decides."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from services.recruitment import domain
from services.recruitment.domain import Participant, ParticipantStatus
from shared.contracts.enums import CefrLevel, ConsentScope, Profession
from shared.contracts.examples import example_of
from shared.contracts.recruitment import (
    ConsentChanged,
    EraseParticipant,
    GrantConsent,
    IntakeRecorded,
    ParticipantErased,
    ParticipantRecruited,
    ParticipantWithdrawn,
    RecordIntake,
    RegisterCandidate,
    RevokeConsent,
    WithdrawParticipant,
)
from shared.refusals import AlreadyExists, NotAllowed

PID = uuid.UUID("5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b")


def registered(**changes: object) -> Participant:
    cmd = example_of(RegisterCandidate).model_copy(update={"participant_id": PID, **changes})
    return domain.register(None, cmd).state


def test_registering_decides_participant_recruited_without_personal_data() -> None:
    cmd = example_of(RegisterCandidate).model_copy(update={"participant_id": PID})

    decision = domain.register(None, cmd)

    [recruited] = decision.events
    assert isinstance(recruited, ParticipantRecruited)
    assert recruited.participant_id == PID and recruited.consents == cmd.consents
    assert decision.state.status is ParticipantStatus.ACTIVE and decision.state.personal == cmd.personal
    assert "personal" not in recruited.model_dump()


def test_a_participant_is_registered_once() -> None:
    with pytest.raises(AlreadyExists):
        domain.register(registered(), example_of(RegisterCandidate).model_copy(update={"participant_id": PID}))


def test_an_intake_changes_the_named_fields_and_reports_the_whole_profile() -> None:
    before = registered(target_profession=Profession.NURSING_PROFESSIONAL, language_level=CefrLevel.A2)
    cmd = RecordIntake(participant_id=PID, recorded_on=date(2025, 1, 20), language_level=CefrLevel.B1)

    decision = domain.record_intake(before, cmd)

    [recorded] = decision.events
    assert isinstance(recorded, IntakeRecorded)
    assert recorded.language_level is CefrLevel.B1
    assert recorded.target_profession is Profession.NURSING_PROFESSIONAL and recorded.isco_code == "2221"
    assert decision.state.profile.language_level is CefrLevel.B1


def test_granting_and_revoking_consent_report_the_consents_after_the_change() -> None:
    before = registered(consents=frozenset({ConsentScope.EMPLOYER}))

    granted = domain.grant_consent(
        before, GrantConsent(participant_id=PID, scopes={ConsentScope.JOBCENTER_AGENTUR}, given_on=date(2025, 2, 1))
    )
    revoked = domain.revoke_consent(
        granted.state, RevokeConsent(participant_id=PID, scopes={ConsentScope.EMPLOYER}, revoked_on=date(2025, 3, 1))
    )

    assert granted.events == (
        ConsentChanged(
            participant_id=PID,
            consents=frozenset({ConsentScope.EMPLOYER, ConsentScope.JOBCENTER_AGENTUR}),
            changed_on=date(2025, 2, 1),
        ),
    )
    assert revoked.state.consents == {ConsentScope.JOBCENTER_AGENTUR}


def test_an_active_participant_can_be_withdrawn_once() -> None:
    cmd = example_of(WithdrawParticipant).model_copy(update={"participant_id": PID})

    decision = domain.withdraw(registered(), cmd)

    assert decision.state.status is ParticipantStatus.WITHDRAWN
    assert isinstance(decision.events[0], ParticipantWithdrawn)
    with pytest.raises(NotAllowed, match="participant is withdrawn"):
        domain.withdraw(decision.state, cmd)


@pytest.mark.parametrize("status", [ParticipantStatus.ACTIVE, ParticipantStatus.WITHDRAWN])
def test_consent_can_be_revoked_and_data_erased_even_after_withdrawal(status: ParticipantStatus) -> None:

    before = replace(registered(), status=status)
    erase = example_of(EraseParticipant).model_copy(update={"participant_id": PID})
    revoke = RevokeConsent(participant_id=PID, scopes={ConsentScope.EMPLOYER}, revoked_on=date(2025, 3, 1))

    domain.revoke_consent(before, revoke)
    erased = domain.erase(before, erase, date(2026, 1, 15))

    assert erased.state.status is ParticipantStatus.ERASED and erased.state.personal is None
    assert erased.events == (ParticipantErased(participant_id=PID, basis=erase.basis, erased_on=date(2026, 1, 15)),)


def test_nothing_is_allowed_once_erased() -> None:
    erased = domain.erase(
        registered(), example_of(EraseParticipant).model_copy(update={"participant_id": PID}), date(2026, 1, 1)
    ).state
    with pytest.raises(NotAllowed):
        domain.record_intake(erased, RecordIntake(participant_id=PID, recorded_on=date(2026, 1, 2), region="DE-SL"))
    with pytest.raises(NotAllowed):
        domain.erase(erased, example_of(EraseParticipant).model_copy(update={"participant_id": PID}), date(2026, 1, 2))


def test_intake_and_new_consent_need_an_active_participant() -> None:
    withdrawn = domain.withdraw(
        registered(), example_of(WithdrawParticipant).model_copy(update={"participant_id": PID})
    ).state
    with pytest.raises(NotAllowed):
        domain.record_intake(withdrawn, RecordIntake(participant_id=PID, recorded_on=date(2025, 5, 1), region="DE-SL"))
    with pytest.raises(NotAllowed):
        domain.grant_consent(
            withdrawn, GrantConsent(participant_id=PID, scopes={ConsentScope.EMPLOYER}, given_on=date(2025, 5, 1))
        )

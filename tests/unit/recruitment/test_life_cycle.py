"""The life cycle: every transition of the table, allowed and refused, and what each decides."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TypeVar

import pytest
from pydantic import BaseModel

from services.recruitment import domain
from services.recruitment.domain import ALLOWED, Action, Ending, Participant, ParticipantStatus, Pause, rights
from shared.contracts.enums import ConsentScope
from shared.contracts.examples import example_of
from shared.contracts.organisations import HandOverLead, InvolveOrganisation, OrgKind, ReleaseOrganisation
from shared.contracts.recruitment import (
    CompleteParticipation,
    CorrectPersonalData,
    EraseParticipant,
    GrantConsent,
    JourneyStage,
    OrgRole,
    ParticipantReactivated,
    ParticipantWithdrawn,
    ParticipationCompleted,
    ParticipationPaused,
    ParticipationResult,
    ParticipationResumed,
    PauseParticipation,
    PauseReason,
    PlaceAuditHold,
    ReactivateParticipant,
    RecordIntake,
    RegisterCandidate,
    RequestDataAccess,
    ResumeParticipation,
    RevokeConsent,
    WithdrawalReason,
    WithdrawParticipant,
)
from shared.decision import Decision
from shared.refusals import InvalidValue, NotAllowed

PID = uuid.UUID("5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b")
C = TypeVar("C", bound=BaseModel)
S = ParticipantStatus
PAUSED_ON = date(2025, 10, 1)
ENDED_ON = date(2026, 6, 30)
ORG = domain.Organisation("school", OrgKind.LANGUAGE_SCHOOL, "DE-SL")


def participant(status: ParticipantStatus) -> Participant:
    """A participant in `status`, as the commands that lead there leave them."""
    cmd = example_of(RegisterCandidate).model_copy(update={"participant_id": PID, "partner_org": "centre"})
    p = domain.register(None, cmd, date(2025, 1, 13)).state
    p = domain.involve(p, ORG, command(InvolveOrganisation, org_id="school")).state
    pause = Pause(PauseReason.ILLNESS, PAUSED_ON) if status is S.PAUSED else None
    ending = Ending(ENDED_ON) if status in (S.COMPLETED, S.WITHDRAWN) else None
    return replace(p, status=status, pause=pause, ending=ending)


def command(cmd_type: type[C], **fields: object) -> C:
    return example_of(cmd_type).model_copy(update={"participant_id": PID, **fields})


DO: dict[Action, Callable[[Participant], Decision[Participant]]] = {
    Action.RECORD_INTAKE: lambda p: domain.record_intake(
        p, RecordIntake(participant_id=PID, recorded_on=date(2026, 7, 1), region="DE-HE")
    ),
    Action.GRANT_CONSENT: lambda p: domain.grant_consent(
        p, GrantConsent(participant_id=PID, scopes={ConsentScope.JOBCENTER_AGENTUR}, given_on=date(2026, 7, 1))
    ),
    Action.REVOKE_CONSENT: lambda p: domain.revoke_consent(
        p, RevokeConsent(participant_id=PID, scopes={ConsentScope.EMPLOYER}, revoked_on=date(2026, 7, 1))
    ),
    Action.INVOLVE: lambda p: domain.involve(
        p, ORG, command(InvolveOrganisation, org_id="school", role=OrgRole.JOBCENTER)
    ),
    Action.RELEASE: lambda p: domain.release(p, command(ReleaseOrganisation, org_id="school", role=OrgRole.EMPLOYER)),
    Action.HAND_OVER_LEAD: lambda p: domain.hand_over_lead(p, command(HandOverLead, to_org="school")),
    Action.PAUSE: lambda p: domain.pause(p, command(PauseParticipation)),
    Action.RESUME: lambda p: domain.resume(p, command(ResumeParticipation, resumed_on=date(2026, 3, 16))),
    Action.COMPLETE: lambda p: domain.complete(p, command(CompleteParticipation, completed_on=date(2026, 7, 1))),
    Action.WITHDRAW: lambda p: domain.withdraw(p, command(WithdrawParticipant, withdrawn_on=date(2026, 7, 1))),
    Action.REACTIVATE: lambda p: domain.reactivate(p, command(ReactivateParticipant)),
    Action.ERASE: lambda p: domain.erase(p, command(EraseParticipant), date(2026, 7, 1)),
    Action.REQUEST_ACCESS: lambda p: rights.request_access(
        p, command(RequestDataAccess, requested_by="centre"), uuid.uuid4()
    ),
    Action.CORRECT: lambda p: rights.correct(p, command(CorrectPersonalData, corrected_by="school")),
    Action.HOLD: lambda p: rights.place_hold(p, command(PlaceAuditHold), date(2026, 7, 1)),
}

# The table as the issue states it, written out again so that a change of ALLOWED is a visible decision.
EXPECTED = {
    Action.PAUSE: {S.ACTIVE},
    Action.RESUME: {S.PAUSED},
    Action.COMPLETE: {S.ACTIVE, S.PAUSED},
    Action.WITHDRAW: {S.ACTIVE, S.PAUSED},
    Action.REACTIVATE: {S.COMPLETED, S.WITHDRAWN},
    Action.ERASE: {S.ACTIVE, S.PAUSED, S.COMPLETED, S.WITHDRAWN},
    Action.RECORD_INTAKE: {S.ACTIVE, S.PAUSED, S.COMPLETED},
    Action.GRANT_CONSENT: {S.ACTIVE, S.PAUSED, S.COMPLETED},
    Action.REVOKE_CONSENT: {S.ACTIVE, S.PAUSED, S.COMPLETED, S.WITHDRAWN},
    Action.INVOLVE: {S.ACTIVE, S.PAUSED, S.COMPLETED},
    Action.RELEASE: {S.ACTIVE, S.PAUSED, S.COMPLETED, S.WITHDRAWN},
    Action.HAND_OVER_LEAD: {S.ACTIVE, S.PAUSED, S.COMPLETED},
    Action.REQUEST_ACCESS: {S.ACTIVE, S.PAUSED, S.COMPLETED, S.WITHDRAWN},
    Action.CORRECT: {S.ACTIVE, S.PAUSED, S.COMPLETED, S.WITHDRAWN},
    Action.HOLD: {S.ACTIVE, S.PAUSED, S.COMPLETED, S.WITHDRAWN},
}


def test_the_table_is_the_one_the_issue_asks_for() -> None:
    assert {action: set(states) for action, states in ALLOWED.items()} == EXPECTED


@pytest.mark.parametrize(
    ("action", "status"), [(a, s) for a in Action for s in S if s in EXPECTED[a]], ids=lambda v: str(v)
)
def test_an_action_is_decided_in_a_state_the_table_allows(action: Action, status: ParticipantStatus) -> None:
    decision = DO[action](participant(status))

    assert len(decision.events) == 1


@pytest.mark.parametrize(
    ("action", "status"), [(a, s) for a in Action for s in S if s not in EXPECTED[a]], ids=lambda v: str(v)
)
def test_an_action_is_refused_in_a_state_the_table_does_not_allow(action: Action, status: ParticipantStatus) -> None:
    with pytest.raises(NotAllowed, match=f"cannot {action.value}: the participant is {status.value}"):
        DO[action](participant(status))


def test_a_pause_keeps_its_reason_and_expected_return_and_the_return_names_when_it_began() -> None:
    pause = command(PauseParticipation, paused_on=PAUSED_ON, expected_return_on=date(2026, 4, 1))

    paused = domain.pause(participant(S.ACTIVE), pause)
    resumed = domain.resume(paused.state, command(ResumeParticipation, resumed_on=date(2026, 3, 16)))

    assert paused.events == (
        ParticipationPaused(
            participant_id=PID,
            reason=PauseReason.PARENTAL_LEAVE,
            paused_on=PAUSED_ON,
            expected_return_on=date(2026, 4, 1),
        ),
    )
    assert paused.state.status is S.PAUSED
    assert resumed.events == (
        ParticipationResumed(participant_id=PID, resumed_on=date(2026, 3, 16), paused_on=PAUSED_ON),
    )
    assert resumed.state.status is S.ACTIVE and resumed.state.pause is None


def test_a_return_before_the_pause_began_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidValue, match="before the pause began on 2025-10-01") as refused:
        domain.resume(participant(S.PAUSED), command(ResumeParticipation, resumed_on=date(2025, 9, 30)))

    assert refused.value.field == "resumed_on"


def test_completion_keeps_the_result_and_ends_a_pause() -> None:
    cmd = command(CompleteParticipation, result=ParticipationResult.EMPLOYED_WITHOUT_RECOGNITION)

    decision = domain.complete(participant(S.PAUSED), cmd)

    assert decision.events == (
        ParticipationCompleted(
            participant_id=PID, result=ParticipationResult.EMPLOYED_WITHOUT_RECOGNITION, completed_on=ENDED_ON
        ),
    )
    assert decision.state.status is S.COMPLETED and decision.state.pause is None
    assert decision.state.ending == Ending(ENDED_ON, result=ParticipationResult.EMPLOYED_WITHOUT_RECOGNITION)


def test_a_drop_out_names_the_stage_it_happened_in() -> None:
    cmd = command(
        WithdrawParticipant,
        reason=WithdrawalReason.VISA_REFUSED,
        withdrawn_on=date(2025, 12, 1),
        dropped_out_in=JourneyStage.RECOGNITION,
    )

    decision = domain.withdraw(participant(S.PAUSED), cmd)

    assert decision.events == (
        ParticipantWithdrawn(
            participant_id=PID,
            reason=WithdrawalReason.VISA_REFUSED,
            withdrawn_on=date(2025, 12, 1),
            dropped_out_in=JourneyStage.RECOGNITION,
        ),
    )
    assert decision.state.status is S.WITHDRAWN and decision.state.pause is None


@pytest.mark.parametrize("status", [S.COMPLETED, S.WITHDRAWN])
def test_reactivation_names_the_previous_status_and_keeps_consents_and_organisations(
    status: ParticipantStatus,
) -> None:
    before = participant(status)

    decision = domain.reactivate(before, command(ReactivateParticipant, reactivated_on=date(2026, 9, 1)))

    assert decision.events == (
        ParticipantReactivated(participant_id=PID, reactivated_on=date(2026, 9, 1), previous_status=status),
    )
    assert decision.state.status is S.ACTIVE and decision.state.ending is None
    assert decision.state.consents == before.consents and decision.state.involvements == before.involvements


def test_a_reactivation_before_the_participation_ended_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidValue, match="ended on 2026-06-30") as refused:
        domain.reactivate(participant(S.WITHDRAWN), command(ReactivateParticipant, reactivated_on=date(2026, 6, 1)))

    assert refused.value.field == "reactivated_on"

"""The life cycle: pause and return, completion, drop-out and reactivation (issue 12, item 5). Pure."""

from __future__ import annotations

from dataclasses import replace

from services.recruitment.domain.participant import (
    ACTIVE,
    COMPLETED,
    PAUSED,
    WITHDRAWN,
    Action,
    Ending,
    Participant,
    Pause,
)
from shared.contracts.recruitment import (
    CompleteParticipation,
    ParticipantReactivated,
    ParticipantWithdrawn,
    ParticipationCompleted,
    ParticipationPaused,
    ParticipationResumed,
    PauseParticipation,
    ReactivateParticipant,
    ResumeParticipation,
    WithdrawParticipant,
)
from shared.decision import Decision
from shared.refusals import InvalidValue


def pause(participant: Participant, cmd: PauseParticipation) -> Decision[Participant]:
    participant.check(Action.PAUSE)
    paused = ParticipationPaused(
        participant_id=participant.participant_id,
        reason=cmd.reason,
        paused_on=cmd.paused_on,
        expected_return_on=cmd.expected_return_on,
    )
    state = Pause(cmd.reason, cmd.paused_on, cmd.expected_return_on)
    return Decision(replace(participant, status=PAUSED, pause=state), (paused,))


def resume(participant: Participant, cmd: ResumeParticipation) -> Decision[Participant]:
    participant.check(Action.RESUME)
    assert participant.pause is not None, "a paused participant's pause is stored with them"
    paused_on = participant.pause.paused_on
    if cmd.resumed_on < paused_on:
        raise InvalidValue(f"the return cannot be before the pause began on {paused_on}", "resumed_on")
    resumed = ParticipationResumed(
        participant_id=participant.participant_id, resumed_on=cmd.resumed_on, paused_on=paused_on
    )
    return Decision(replace(participant, status=ACTIVE, pause=None), (resumed,))


def complete(participant: Participant, cmd: CompleteParticipation) -> Decision[Participant]:
    participant.check(Action.COMPLETE)
    completed = ParticipationCompleted(
        participant_id=participant.participant_id, result=cmd.result, completed_on=cmd.completed_on
    )
    ending = Ending(cmd.completed_on, result=cmd.result)
    return Decision(replace(participant, status=COMPLETED, pause=None, ending=ending), (completed,))


def withdraw(participant: Participant, cmd: WithdrawParticipant) -> Decision[Participant]:
    participant.check(Action.WITHDRAW)
    withdrawn = ParticipantWithdrawn(
        participant_id=participant.participant_id,
        reason=cmd.reason,
        withdrawn_on=cmd.withdrawn_on,
        dropped_out_in=cmd.dropped_out_in,
    )
    ending = Ending(cmd.withdrawn_on, withdrawal_reason=cmd.reason, dropped_out_in=cmd.dropped_out_in)
    return Decision(replace(participant, status=WITHDRAWN, pause=None, ending=ending), (withdrawn,))


def reactivate(participant: Participant, cmd: ReactivateParticipant) -> Decision[Participant]:
    """Back under the same pseudonym, with the consents and organisations the participant left with."""
    participant.check(Action.REACTIVATE)
    ending = participant.ending
    if ending is not None and cmd.reactivated_on < ending.ended_on:
        raise InvalidValue(f"cannot return before the participation ended on {ending.ended_on}", "reactivated_on")
    reactivated = ParticipantReactivated(
        participant_id=participant.participant_id,
        reactivated_on=cmd.reactivated_on,
        previous_status=participant.status,
    )
    return Decision(replace(participant, status=ACTIVE, ending=None), (reactivated,))

"""The routes that need no application to an authority (`applies` False in shared/contracts/routes.py): a ZAB
statement of comparability, no recognition needed, vocational training in Germany. Each fixes the case's route and
repeats the command it records. Pure."""

from __future__ import annotations

from dataclasses import replace

from services.recognition.domain.case import Action, Case
from shared.contracts.enums import Profession, Route
from shared.contracts.recognition import (
    ComparabilityStated,
    CompleteTraining,
    RecognitionNotNeeded,
    RecordComparabilityStatement,
    RecordNoRecognitionNeeded,
    StartTraining,
    TrainingCompleted,
    TrainingStarted,
)
from shared.decision import Decision


def state_comparability(case: Case, cmd: RecordComparabilityStatement) -> Decision[Case]:
    """Not a recognition: it closes the recognition stage and placement can start."""
    state = case.next_state(Action.RECORD_COMPARABILITY)
    after = replace(
        case, state=state, route=Route.STATEMENT_OF_COMPARABILITY, occupation=cmd.occupation or case.occupation
    )
    return Decision(after, (ComparabilityStated(**cmd.model_dump()),))


def not_needed(case: Case, cmd: RecordNoRecognitionNeeded) -> Decision[Case]:
    """Counselling advised against a procedure: the recognition stage closes; qualification and placement go on."""
    state = case.next_state(Action.RECORD_NO_RECOGNITION_NEEDED)
    after = replace(case, state=state, route=Route.NO_RECOGNITION_NEEDED, occupation=cmd.occupation or case.occupation)
    return Decision(after, (RecognitionNotNeeded(**cmd.model_dump()),))


def start_training(case: Case, cmd: StartTraining) -> Decision[Case]:
    """Vocational training instead of recognition; the profession trained for says which licence may end it."""
    state = case.next_state(Action.START_TRAINING)
    profession = str(cmd.profession)
    after = replace(
        case,
        state=state,
        route=Route.VOCATIONAL_TRAINING,
        training_profession=profession,
        occupation=cmd.occupation or case.occupation,
    )
    return Decision(after, (TrainingStarted(**cmd.model_dump()),))


def complete_training(case: Case, cmd: CompleteTraining) -> Decision[Case]:
    """The final examination passed: a nurse's licence may follow (PflBG §§1-2)."""
    state = case.next_state(Action.COMPLETE_TRAINING)
    assert case.training_profession is not None  # starting the training set it
    completed = TrainingCompleted(
        participant_id=case.participant_id,
        profession=Profession(case.training_profession),
        completed_on=cmd.completed_on,
    )
    return Decision(replace(case, state=state), (completed,))

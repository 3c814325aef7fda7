"""How a participant's facts are counted: the country group of the training, what an exit from the programme
counts as, and the ESF+ result at exit. Pure; the figures' SQL is generated from these tables so that one place
says it."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from shared.contracts.recruitment import ParticipationResult, WithdrawalReason
from shared.contracts.routes import trained_in_eu


class CountryGroup(StrEnum):
    EU_EEA_CH = "eu_eea_ch"
    THIRD_COUNTRY = "third_country"


def country_group(country_of_training: str | None) -> CountryGroup:
    """EU/EEA/Switzerland (Directive 2005/36/EC) or a third country; unknown counts as a third country."""
    return CountryGroup.EU_EEA_CH if trained_in_eu(country_of_training) else CountryGroup.THIRD_COUNTRY


class ExitKind(StrEnum):
    """How the participant left the programme (recruitment's facts)."""

    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class ExitOutcome(StrEnum):
    """The exit as the outcomes figure counts it."""

    EMPLOYED = "employed"  # completed with a result that is an employment
    COMPLETED = "completed"  # completed otherwise (in training, recognised but not employed, other)
    WITHDRAWN = "withdrawn"  # dropped out


EMPLOYED_RESULTS = frozenset(
    {
        ParticipationResult.LICENSED_AND_EMPLOYED,
        ParticipationResult.RECOGNISED_AND_EMPLOYED,
        ParticipationResult.EMPLOYED_WITHOUT_RECOGNITION,
        ParticipationResult.EMPLOYED_RECOGNITION_PENDING,
    }
)


def exit_outcome(kind: ExitKind, result: ParticipationResult | None) -> ExitOutcome:
    if kind is ExitKind.WITHDRAWN:
        return ExitOutcome.WITHDRAWN
    return ExitOutcome.EMPLOYED if result in EMPLOYED_RESULTS else ExitOutcome.COMPLETED


class ResultAtExit(StrEnum):
    """The ESF+ common result indicators at exit."""

    EMPLOYED = "employed"  # including self-employed
    IN_EDUCATION_OR_TRAINING = "in_education_or_training"
    JOB_SEARCHING = "job_searching"
    INACTIVE = "inactive"


COMPLETION_RESULTS: Mapping[ParticipationResult, ResultAtExit] = {
    ParticipationResult.LICENSED_AND_EMPLOYED: ResultAtExit.EMPLOYED,
    ParticipationResult.RECOGNISED_AND_EMPLOYED: ResultAtExit.EMPLOYED,
    ParticipationResult.EMPLOYED_WITHOUT_RECOGNITION: ResultAtExit.EMPLOYED,
    ParticipationResult.EMPLOYED_RECOGNITION_PENDING: ResultAtExit.EMPLOYED,
    ParticipationResult.IN_TRAINING: ResultAtExit.IN_EDUCATION_OR_TRAINING,
    ParticipationResult.RECOGNISED_NOT_EMPLOYED: ResultAtExit.JOB_SEARCHING,
    ParticipationResult.OTHER: ResultAtExit.INACTIVE,
}
"""A completion's result as the funders count it."""

WITHDRAWAL_RESULTS: Mapping[WithdrawalReason, ResultAtExit] = {
    WithdrawalReason.EMPLOYED_ELSEWHERE: ResultAtExit.EMPLOYED,
    WithdrawalReason.TRAINING_STARTED_ELSEWHERE: ResultAtExit.IN_EDUCATION_OR_TRAINING,
    WithdrawalReason.RECOGNITION_NOT_POSSIBLE: ResultAtExit.JOB_SEARCHING,
    WithdrawalReason.MOVED_AWAY: ResultAtExit.INACTIVE,
    WithdrawalReason.LEFT_GERMANY: ResultAtExit.INACTIVE,
    WithdrawalReason.NO_LONGER_INTERESTED: ResultAtExit.INACTIVE,
    WithdrawalReason.PERSONAL_REASONS: ResultAtExit.INACTIVE,
    WithdrawalReason.LOST_CONTACT: ResultAtExit.INACTIVE,
    WithdrawalReason.VISA_REFUSED: ResultAtExit.INACTIVE,
    WithdrawalReason.OTHER: ResultAtExit.INACTIVE,
}
"""A drop-out's reason as the funders count it (a participant still employed when leaving counts as employed)."""


def result_at_exit(kind: ExitKind, result: str, employed_at_exit: bool) -> ResultAtExit:
    """The ESF+ result of an exit: employed when the participant is in work when leaving, else what the completion's
    result or the drop-out's reason says (`result` holds either)."""
    if employed_at_exit:
        return ResultAtExit.EMPLOYED
    if kind is ExitKind.COMPLETED:
        return COMPLETION_RESULTS.get(ParticipationResult(result), ResultAtExit.INACTIVE)
    return WITHDRAWAL_RESULTS.get(WithdrawalReason(result), ResultAtExit.INACTIVE)

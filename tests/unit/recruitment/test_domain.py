"""Recruitment's participant states."""

from __future__ import annotations

import pytest

from services.recruitment.domain import Action, NotAllowed, ParticipantStatus, check


def test_an_active_participant_can_be_withdrawn() -> None:
    assert check(Action.WITHDRAW, ParticipantStatus.ACTIVE) is ParticipantStatus.WITHDRAWN


def test_a_withdrawn_participant_cannot_be_withdrawn_again() -> None:
    with pytest.raises(NotAllowed, match="participant is withdrawn"):
        check(Action.WITHDRAW, ParticipantStatus.WITHDRAWN)


@pytest.mark.parametrize("status", [ParticipantStatus.ACTIVE, ParticipantStatus.WITHDRAWN])
def test_consent_can_be_revoked_and_data_erased_even_after_withdrawal(status: ParticipantStatus) -> None:
    assert check(Action.REVOKE_CONSENT, status) is status
    assert check(Action.ERASE, status) is ParticipantStatus.ERASED


@pytest.mark.parametrize("action", list(Action))
def test_nothing_is_allowed_once_erased(action: Action) -> None:
    with pytest.raises(NotAllowed):
        check(action, ParticipantStatus.ERASED)


def test_intake_and_new_consent_need_an_active_participant() -> None:
    for action in (Action.RECORD_INTAKE, Action.GRANT_CONSENT):
        with pytest.raises(NotAllowed):
            check(action, ParticipantStatus.WITHDRAWN)

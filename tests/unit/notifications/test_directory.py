"""The directory: registering, updating and removing recipients, and what each announces."""

from __future__ import annotations

import pytest

from services.notifications import domain
from services.notifications.domain import DirectoryChange, Recipient, change_of, updated
from shared.contracts.enums import ConsentScope, Milestone
from shared.contracts.notifications import (
    MailLanguage,
    RecipientKind,
    RecipientRegistered,
    RecipientRemoved,
    RecipientUpdated,
    RegisterRecipient,
    RemoveRecipient,
    UpdateRecipient,
)
from shared.refusals import AlreadyExists, UnknownRecipient

DESK = Recipient("desk", RecipientKind.COORDINATOR, "desk@example.org", "Desk", milestones=frozenset(Milestone))


def register_desk(**fields: object) -> RegisterRecipient:
    return RegisterRecipient.model_validate(
        {
            "recipient_id": "desk",
            "recipient_kind": "coordinator",
            "email": "desk@example.org",
            "display_name": "Desk",
            "milestones": list(Milestone),
            **fields,
        }
    )


def test_applying_the_same_recipient_changes_nothing_and_a_new_address_is_an_update() -> None:
    assert change_of(None, DESK) is DirectoryChange.REGISTER
    assert change_of(DESK, DESK) is DirectoryChange.NONE
    assert change_of(DESK, updated(DESK, {"email": "new@example.org", "language": None})) is DirectoryChange.UPDATE
    assert updated(DESK, {"email": None, "language": MailLanguage.EN}).email == "desk@example.org"


def test_changing_who_a_recipient_is_registers_it_anew() -> None:
    as_partner = updated(DESK, {"kind": RecipientKind.PARTNER_ORGANISATION, "partner_org": "iq-saar-example"})
    assert change_of(DESK, as_partner) is DirectoryChange.REGISTER


def test_registering_a_recipient_announces_who_it_is_and_what_it_is_mailed_about() -> None:
    cmd = register_desk(regions=["DE-SL"], language="en")

    decision = domain.register_recipient(None, cmd)

    assert decision.state == Recipient(
        "desk",
        RecipientKind.COORDINATOR,
        "desk@example.org",
        "Desk",
        language=MailLanguage.EN,
        regions=frozenset({"DE-SL"}),
        milestones=frozenset(Milestone),
    )
    assert decision.events == (
        RecipientRegistered(
            recipient_id="desk",
            recipient_kind=RecipientKind.COORDINATOR,
            partner_org=None,
            consent_scope=None,
            regions=frozenset({"DE-SL"}),
            milestones=frozenset(Milestone),
            language=MailLanguage.EN,
        ),
    )
    assert decision.timers == ()


def test_a_recipient_is_registered_once() -> None:
    with pytest.raises(AlreadyExists, match="desk is in the directory already"):
        domain.register_recipient(DESK, register_desk())


def test_an_update_changes_the_named_fields_and_announces_the_subscription() -> None:
    cmd = UpdateRecipient(recipient_id="desk", email="new@example.org", regions=frozenset({"DE-RP"}))

    decision = domain.update_recipient(DESK, cmd)

    assert decision.state == updated(DESK, {"email": "new@example.org", "regions": frozenset({"DE-RP"})})
    assert decision.events == (
        RecipientUpdated(
            recipient_id="desk", regions=frozenset({"DE-RP"}), milestones=DESK.milestones, language=DESK.language
        ),
    )


def test_an_update_that_changes_nothing_announces_nothing() -> None:
    decision = domain.update_recipient(DESK, UpdateRecipient(recipient_id="desk", email="desk@example.org"))

    assert decision.state == DESK and decision.events == ()


def test_a_new_identity_from_the_directory_file_is_announced_as_a_registration() -> None:
    wanted = updated(DESK, {"consent_scope": ConsentScope.EMPLOYER})

    [registered] = domain.apply_recipient(DESK, wanted).events

    assert isinstance(registered, RecipientRegistered) and registered.consent_scope is ConsentScope.EMPLOYER


def test_removing_a_recipient_announces_it() -> None:
    decision = domain.remove_recipient(DESK, RemoveRecipient(recipient_id="desk"))

    assert decision.state is None and decision.events == (RecipientRemoved(recipient_id="desk"),)


def test_updating_or_removing_a_recipient_not_in_the_directory_is_refused() -> None:
    with pytest.raises(UnknownRecipient, match="no recipient desk in the directory"):
        domain.update_recipient(None, UpdateRecipient(recipient_id="desk", email="new@example.org"))
    with pytest.raises(UnknownRecipient, match="no recipient desk in the directory"):
        domain.remove_recipient(None, RemoveRecipient(recipient_id="desk"))

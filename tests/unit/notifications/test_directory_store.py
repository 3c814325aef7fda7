"""Reading the directory is tolerant: a milestone or delivery a newer build stored does not break this one."""

from __future__ import annotations

from services.notifications.directory_store import _recipient
from shared.contracts.enums import Milestone
from shared.contracts.notifications import Delivery


def test_a_milestone_this_build_does_not_know_is_left_out_when_a_recipient_is_read() -> None:
    row = {
        "recipient_id": "desk-example",
        "recipient_kind": "coordinator",
        "email": "desk@example.org",
        "display_name": "Desk Example",
        "language": "de",
        "regions": ["DE-SL"],
        "milestones": ["participant_recruited", "a_milestone_from_a_newer_build"],
        "partner_org": None,
        "consent_scope": None,
        "delivery": '{"participant_recruited": "daily_digest", "a_milestone_from_a_newer_build": "immediate",'
        ' "recognition_decided": "by_carrier_pigeon"}',
        "default_delivery": "by_carrier_pigeon",
    }

    recipient = _recipient(row)  # type: ignore[arg-type]

    assert recipient.milestones == {Milestone.PARTICIPANT_RECRUITED}
    assert recipient.delivery == {Milestone.PARTICIPANT_RECRUITED: Delivery.DAILY_DIGEST}
    assert recipient.default_delivery is None

"""Placement cases in each state, and the commands and facts that lead there, for the domain's unit tests."""

from __future__ import annotations

import uuid
from datetime import date

from services.placement.domain import employment, life_cycle, offers
from services.placement.domain.case import Placement
from shared.contracts.examples import example_of
from shared.contracts.placement import (
    ConfirmPlacement,
    EmploymentEndReason,
    EndEmployment,
    RecordOffer,
    RecordRetentionCheck,
    RetentionMonths,
    RetractionReason,
    RetractOffer,
    RoleLevel,
    StartEmployment,
)
from shared.contracts.recognition import LicenceExpired, LicenceGranted, LicenceKind
from shared.contracts.recruitment import ParticipantRecruited, ParticipantWithdrawn, WithdrawalReason

PID = uuid.UUID("3f9a1c2e-5b7d-4e8f-a0b1-c2d3e4f5a6b7")
OFFER, OTHER = uuid.UUID("7e2d9c4b-1a3f-4b5e-9c8d-6f0a2b4c6d8e"), uuid.UUID("1c0e8b6d-2f4a-4c3b-8d9e-0f1a2b3c4d5e")
STARTED = date(2026, 3, 2)
PERMIT_UNTIL = date(2027, 3, 31)


def record(offer_id: uuid.UUID = OFFER) -> RecordOffer:
    return RecordOffer(
        participant_id=PID,
        offer_id=offer_id,
        employer_id="care-home-example",
        role_level=RoleLevel.SKILLED_WORKER,
        in_region=False,
        offered_on=date(2025, 11, 3),
    )


def retract(offer_id: uuid.UUID = OFFER) -> RetractOffer:
    return RetractOffer(
        participant_id=PID, offer_id=offer_id, retracted_on=date(2025, 11, 20), reason=RetractionReason.OTHER
    )


def confirm(offer_id: uuid.UUID = OFFER, role: RoleLevel = RoleLevel.ASSISTANT_PENDING_RECOGNITION) -> ConfirmPlacement:
    return ConfirmPlacement(
        participant_id=PID,
        offer_id=offer_id,
        contract_signed_on=date(2025, 11, 14),
        starts_on=date(2026, 3, 1),
        role_level=role,
        in_region=True,
    )


def start(started_on: date = STARTED) -> StartEmployment:
    return StartEmployment(participant_id=PID, started_on=started_on)


def check(months: RetentionMonths, checked_on: date) -> RecordRetentionCheck:
    return RecordRetentionCheck(
        participant_id=PID, months=months, still_employed=True, still_in_region=None, checked_on=checked_on
    )


def end(ended_on: date = date(2026, 10, 31)) -> EndEmployment:
    return EndEmployment(participant_id=PID, ended_on=ended_on, reason=EmploymentEndReason.RESIGNED)


def granted(
    licence: LicenceKind = LicenceKind.BERUFSERLAUBNIS, valid_until: date | None = PERMIT_UNTIL
) -> LicenceGranted:
    return LicenceGranted(participant_id=PID, licence=licence, granted_on=date(2025, 4, 1), valid_until=valid_until)


def expired(valid_until: date = PERMIT_UNTIL) -> LicenceExpired:
    return LicenceExpired(participant_id=PID, licence=LicenceKind.BERUFSERLAUBNIS, valid_until=valid_until)


RECRUITED = example_of(ParticipantRecruited).model_copy(update={"participant_id": PID})
WITHDRAWN = ParticipantWithdrawn(participant_id=PID, reason=WithdrawalReason.MOVED_AWAY, withdrawn_on=date(2026, 6, 1))


def searching() -> Placement:
    return Placement(PID)


def pending(*offer_ids: uuid.UUID) -> Placement:
    placement = searching()
    for offer_id in offer_ids or (OFFER,):
        placement = offers.record_offer(placement, record(offer_id)).state
    return placement


def placed(*offer_ids: uuid.UUID) -> Placement:
    return offers.confirm_placement(pending(*offer_ids), confirm()).state


def employed(*offer_ids: uuid.UUID) -> Placement:
    return employment.start_employment(placed(*offer_ids), start()).state


def ended() -> Placement:
    return employment.end_employment(employed(), end()).state


def withdrawn() -> Placement:
    return life_cycle.withdraw(searching(), WITHDRAWN).state

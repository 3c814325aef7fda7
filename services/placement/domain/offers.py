"""Offers and the contract: record an offer, retract one (even after the contract or the start), confirm one as
the placement. Pure."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from services.placement.domain import follow_ups
from services.placement.domain.case import Action, CaseStatus, Offer, OfferStatus, Placement
from shared.contracts.placement import (
    ConfirmPlacement,
    OfferRecorded,
    OfferRetracted,
    PlacementConfirmed,
    PlacementStatus,
    RecordOffer,
    RetractOffer,
)
from shared.decision import Decision, Drop
from shared.refusals import AlreadyExists, NotAllowed


def record_offer(placement: Placement, cmd: RecordOffer) -> Decision[Placement]:
    placement.require(Action.RECORD_OFFER)
    if cmd.offer_id in placement.offers:
        raise AlreadyExists(f"offer {cmd.offer_id} is recorded already")
    if placement.status is CaseStatus.ENDED:  # a new search: the ended employment is history
        placement = placement.without_employment(CaseStatus.SEARCHING)
    offer = Offer(cmd.offer_id, cmd.employer_id, cmd.role_level, cmd.in_region, cmd.offered_on)
    after = replace(placement.with_offer(offer), status=CaseStatus.OFFER_PENDING)
    return Decision(after, (OfferRecorded.model_validate(cmd.model_dump()),))


def retract_offer(placement: Placement, cmd: RetractOffer) -> Decision[Placement]:
    """Retracting the current placement's offer sends the case back to searching (or to its other offers) and
    drops the employment's follow-ups; a side offer falling through leaves the placement as it stands."""
    placement.require(Action.RETRACT_OFFER)
    is_current = cmd.offer_id == placement.current_offer
    if cmd.offer_id not in placement.open_offers() and not is_current:
        raise _not_open(placement, cmd.offer_id, Action.RETRACT_OFFER)
    offer = replace(
        placement.offers[cmd.offer_id],
        status=OfferStatus.RETRACTED,
        retracted_on=cmd.retracted_on,
        retraction_reason=cmd.reason,
    )
    after = placement.with_offer(offer)
    drops: tuple[Drop, ...] = ()
    if is_current:
        after = after.without_employment(_searching_or_pending(after))
        drops = follow_ups.drop_for(after.participant_id, offer.offer_id)
    elif after.status is CaseStatus.OFFER_PENDING:
        after = replace(after, status=_searching_or_pending(after))
    retracted = OfferRetracted(
        participant_id=after.participant_id,
        offer_id=offer.offer_id,
        retracted_on=cmd.retracted_on,
        reason=cmd.reason,
        status=PlacementStatus(after.status.value),
    )
    return Decision(after, (retracted,), drops)


def confirm_placement(placement: Placement, cmd: ConfirmPlacement) -> Decision[Placement]:
    """The contract's terms win over the offer's where they differ; the event names the offer's employer."""
    placement.require(Action.CONFIRM_PLACEMENT)
    if cmd.offer_id not in placement.open_offers():
        raise _not_open(placement, cmd.offer_id, Action.CONFIRM_PLACEMENT)
    offer = replace(
        placement.offers[cmd.offer_id],
        status=OfferStatus.CONFIRMED,
        contract_signed_on=cmd.contract_signed_on,
        starts_on=cmd.starts_on,
        role_level=cmd.role_level,
        in_region=cmd.in_region,
    )
    placed = replace(placement.without_employment(CaseStatus.PLACED), current_offer=offer.offer_id)
    after = placed.with_offer(offer)
    confirmed = PlacementConfirmed.model_validate({**cmd.model_dump(), "employer_id": offer.employer_id})
    return Decision(after, (confirmed,))


def _searching_or_pending(placement: Placement) -> CaseStatus:
    return CaseStatus.OFFER_PENDING if placement.open_offers() else CaseStatus.SEARCHING


def _not_open(placement: Placement, offer_id: UUID, action: Action) -> NotAllowed:
    offer = placement.offers.get(offer_id)
    what = "is not recorded for this participant" if offer is None else f"is {offer.status.value}"
    return NotAllowed(f"cannot {action.value}: offer {offer_id} {what}")

"""A participant's placement case: its states, what each command may do in them, its offers, the current
employment's recorded checks, the latest licence to practise and what recruitment said of the participant; it opens
on recruitment (its life cycle after that: `life_cycle`). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from uuid import UUID

from shared.contracts.placement import EmploymentEndReason, RetractionReason, RoleLevel
from shared.contracts.recognition import LicenceKind
from shared.contracts.recruitment import ParticipantRecruited
from shared.decision import Decision
from shared.refusals import NotAllowed


class CaseStatus(StrEnum):
    """The contract's `PlacementStatus` values, plus `withdrawn` for a participant who left the journey."""

    SEARCHING = "searching"
    OFFER_PENDING = "offer_pending"
    PLACED = "placed"
    EMPLOYED = "employed"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"


class OfferStatus(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    RETRACTED = "retracted"


class Action(StrEnum):
    RECORD_OFFER = "record an offer"
    RETRACT_OFFER = "retract an offer"
    CONFIRM_PLACEMENT = "confirm a placement"
    START_EMPLOYMENT = "start employment"
    RECORD_RETENTION_CHECK = "record a retention check"
    END_EMPLOYMENT = "end employment"


S = CaseStatus
ALLOWED: dict[Action, tuple[CaseStatus, ...]] = {
    Action.RECORD_OFFER: (S.SEARCHING, S.OFFER_PENDING, S.ENDED),
    # An offer can fall through even after the contract was signed or work started (Talent Catalog request).
    Action.RETRACT_OFFER: (S.OFFER_PENDING, S.PLACED, S.EMPLOYED),
    Action.CONFIRM_PLACEMENT: (S.OFFER_PENDING,),
    Action.START_EMPLOYMENT: (S.PLACED,),
    Action.RECORD_RETENTION_CHECK: (S.EMPLOYED,),
    Action.END_EMPLOYMENT: (S.EMPLOYED,),
}


@dataclass(frozen=True, slots=True)
class Offer:
    """An employer's offer; once confirmed, the employment, under the contract's terms."""

    offer_id: UUID
    employer_id: str
    role_level: RoleLevel
    in_region: bool
    offered_on: date
    status: OfferStatus = OfferStatus.OPEN
    contract_signed_on: date | None = None
    starts_on: date | None = None
    started_on: date | None = None
    retracted_on: date | None = None
    retraction_reason: RetractionReason | None = None
    ended_on: date | None = None
    end_reason: EmploymentEndReason | None = None
    permit_expired_on: date | None = None
    """The first day the employment went on without the Berufserlaubnis it relied on."""
    start_district: str | None = None
    """The district the participant lived in when the work started (the measure of staying in the district)."""
    learned_on: date | None = None
    """The day the employer learnt of the end (§4a(5) AufenthG counts from it)."""
    notice_due_on: date | None = None
    """The last day of the employer's notice to the foreigners' authority, when the end needs one."""
    notified_on: date | None = None
    """The day the employer told the authority, once recorded."""

    @property
    def awaits_notice(self) -> bool:
        return self.notice_due_on is not None and self.notified_on is None


@dataclass(frozen=True, slots=True)
class RetentionCheck:
    """A follow-up recorded for the employment under `offer_id`."""

    offer_id: UUID
    months: int
    due_on: date
    still_employed: bool
    still_in_region: bool | None
    checked_on: date
    district: str | None = None
    still_in_district: bool | None = None
    after_programme: bool = False


@dataclass(frozen=True, slots=True)
class Licence:
    """The latest licence to practise recognition reported: a temporary one (Berufserlaubnis) is valid until
    `valid_until` and `expired` once recognition said it ended; any later grant replaces it."""

    kind: LicenceKind
    valid_until: date | None = None
    expired: bool = False


@dataclass(frozen=True, slots=True)
class Placement:
    """One participant's case: every offer; `current_offer`, the confirmed offer of the current employment; that
    employment's recorded `checks`, by months; the participant's latest `licence`, whatever the employment; the
    `district` they live in and whether they are an `eu_citizen`, as recruitment last said; and the day they
    `left_programme_on` (completed or dropped out) while the case goes on."""

    participant_id: UUID
    status: CaseStatus = CaseStatus.SEARCHING
    offers: Mapping[UUID, Offer] = field(default_factory=dict)
    current_offer: UUID | None = None
    checks: Mapping[int, RetentionCheck] = field(default_factory=dict)
    licence: Licence | None = None
    district: str | None = None
    eu_citizen: bool | None = None
    left_programme_on: date | None = None

    @property
    def employment(self) -> Offer:
        """The confirmed offer of a placed, employed or ended case."""
        assert self.current_offer is not None, "a placed or employed case has a confirmed offer"
        return self.offers[self.current_offer]

    @property
    def started_on(self) -> date | None:
        return None if self.current_offer is None else self.employment.started_on

    def open_offers(self) -> set[UUID]:
        return {o.offer_id for o in self.offers.values() if o.status is OfferStatus.OPEN}

    def require(self, action: Action) -> None:
        """Refuse `action` unless the case's state allows it, naming the state and the states that would."""
        if self.status not in ALLOWED[action]:
            allowed = ", ".join(s.value for s in ALLOWED[action])
            raise NotAllowed(
                f"cannot {action.value}: the placement is {self.status.value}; allowed only when {allowed}"
            )

    def with_offer(self, offer: Offer) -> Placement:
        return replace(self, offers={**self.offers, offer.offer_id: offer})

    def without_employment(self, status: CaseStatus) -> Placement:
        """The case in `status` with no current employment (nor its checks); offers and licence stay."""
        return replace(self, status=status, current_offer=None, checks={})


def open_case(existing: Placement | None, event: ParticipantRecruited) -> Decision[Placement]:
    """A recruited participant's case opens, searching, knowing their district and citizenship; a replayed
    recruitment leaves the case as it is."""
    if existing is not None:
        return Decision(existing)
    return Decision(Placement(event.participant_id, district=event.district, eu_citizen=event.eu_citizen))

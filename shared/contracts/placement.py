"""Placement: offers, contract and start of employment, retention checks at 6 and 12 months, an employment going on
after its Berufserlaubnis ended, early ends."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import Field

from shared.contracts.enums import Milestone
from shared.contracts.envelope import BaseMessage, Command, Event
from shared.contracts.fields import DistrictCode, OrgId
from shared.contracts.recognition import LicenceKind
from shared.contracts.topics import Stage


class RoleLevel(StrEnum):
    """What the participant is employed as."""

    SKILLED_WORKER = "skilled_worker"  # recognised, as a Fachkraft
    ASSISTANT_PENDING_RECOGNITION = "assistant_pending_recognition"  # e.g. recognition partnership §16d
    UNDER_BERUFSERLAUBNIS = "under_berufserlaubnis"  # doctors with a temporary licence


class PlacementStatus(StrEnum):
    """Where the participant's placement stands."""

    SEARCHING = "searching"
    OFFER_PENDING = "offer_pending"
    PLACED = "placed"  # contract signed, not started yet
    EMPLOYED = "employed"
    ENDED = "ended"


class RetractionReason(StrEnum):
    """Coarse reason an offer fell through."""

    EMPLOYER_WITHDREW = "employer_withdrew"
    CANDIDATE_DECLINED = "candidate_declined"
    PERMIT_REFUSED = "permit_refused"
    RECOGNITION_NOT_ACHIEVED = "recognition_not_achieved"
    RECORDED_IN_ERROR = "recorded_in_error"
    OTHER = "other"


class EmploymentEndReason(StrEnum):
    """Coarse reason an employment ended."""

    RESIGNED = "resigned"
    DISMISSED = "dismissed"
    PROBATION_NOT_PASSED = "probation_not_passed"
    FIXED_TERM_ENDED = "fixed_term_ended"
    MUTUAL_AGREEMENT = "mutual_agreement"
    RECOGNITION_NOT_ACHIEVED = "recognition_not_achieved"
    MOVED_AWAY = "moved_away"
    OTHER = "other"


EXAMPLE_OFFER = "7e2d9c4b-1a3f-4b5e-9c8d-6f0a2b4c6d8e"
OfferId = Annotated[
    UUID, Field(description="Id of the offer, chosen by the partner that records it.", examples=[EXAMPLE_OFFER])
]
EmployerId = Annotated[OrgId, Field(description="Id of the employer.", examples=["care-home-example"])]
RetentionMonths = Literal[6, 12, 24, 36]
"""The follow-ups: 6 and 12 months after the start (the foundation), 24 and 36 for long follow-up (which a
deployment configures: `RETENTION_MONTHS`)."""
InRegion = Annotated[bool, Field(description="Whether the workplace is in the participant's region.", examples=[True])]


class PlacementCommand(Command):
    stage: ClassVar[Stage] = Stage.PLACEMENT


class PlacementEvent(Event):
    stage: ClassVar[Stage] = Stage.PLACEMENT


class RecordOffer(PlacementCommand):
    """An employer made the participant an offer; the partner chooses a fresh random `offer_id`."""

    offer_id: OfferId
    employer_id: EmployerId
    role_level: RoleLevel = Field(description="What the participant would be employed as.")
    in_region: InRegion
    offered_on: date = Field(description="Day of the offer.", examples=["2025-11-03"])


class RetractOffer(PlacementCommand):
    """An offer fell through, even after it was confirmed: the participant goes back to searching."""

    offer_id: OfferId
    retracted_on: date = Field(description="Day the offer fell through.", examples=["2025-11-20"])
    reason: RetractionReason = Field(description="Coarse reason.", examples=["employer_withdrew"])


class ConfirmPlacement(PlacementCommand):
    """The employment contract for an offer was signed."""

    offer_id: OfferId
    contract_signed_on: date = Field(description="Day the contract was signed.", examples=["2025-11-14"])
    starts_on: date = Field(description="Agreed first working day.", examples=["2026-03-01"])
    role_level: RoleLevel = Field(description="What the participant is employed as.")
    in_region: InRegion


class StartEmployment(PlacementCommand):
    """The participant started work under the confirmed placement."""

    started_on: date = Field(description="First working day.", examples=["2026-03-02"])


class RecordRetentionCheck(PlacementCommand):
    """Follow-up 6, 12, 24 or 36 months after the start: is the participant still employed, still in the region?"""

    months: RetentionMonths = Field(
        description="Which follow-up: 6, 12, 24 or 36 months after the start.", examples=[6]
    )
    still_employed: bool = Field(description="Still employed by the employer.", examples=[True])
    still_in_region: bool | None = Field(None, description="Still living in the region, if known.", examples=[True])
    checked_on: date = Field(description="Day of the check.", examples=["2026-09-04"])
    district: DistrictCode | None = Field(None, description="District the participant lives in now, if known.")
    still_in_district: bool | None = Field(
        None,
        description="Still living in the district they lived in at the start (what rural districts measure).",
        examples=[True],
    )


class EndEmployment(PlacementCommand):
    """The employment ended; the employer must tell the foreigners' authority within 4 weeks of learning of an
    early end (§4a(5) AufenthG; not for EU/EEA/Swiss citizens, not when a fixed-term contract simply ran out)."""

    ended_on: date = Field(description="Last working day.", examples=["2026-10-31"])
    reason: EmploymentEndReason = Field(description="Coarse reason.", examples=["resigned"])
    learned_on: date | None = Field(
        None, description="Day the employer learnt of the early end; left out: `ended_on`.", examples=[None]
    )


class RecordEndNotice(PlacementCommand):
    """The employer told the foreigners' authority that the employment ended early (§4a(5) AufenthG)."""

    notified_on: date = Field(description="Day of the notice.", examples=["2026-11-10"])


class OfferRecorded(PlacementEvent):
    """An employer made the participant an offer."""

    offer_id: OfferId
    employer_id: EmployerId
    role_level: RoleLevel = Field(description="What the participant would be employed as.")
    in_region: InRegion
    offered_on: date = Field(description="Day of the offer.", examples=["2025-11-03"])


class OfferRetracted(PlacementEvent):
    """An offer fell through; `status` says where the placement stands now (usually back to searching)."""

    offer_id: OfferId
    retracted_on: date = Field(description="Day the offer fell through.", examples=["2025-11-20"])
    reason: RetractionReason = Field(description="Coarse reason.", examples=["employer_withdrew"])
    status: PlacementStatus = Field(description="Placement status after the retraction.", examples=["searching"])


class PlacementConfirmed(PlacementEvent):
    """The employment contract was signed."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.PLACEMENT_CONFIRMED

    offer_id: OfferId
    employer_id: EmployerId
    contract_signed_on: date = Field(description="Day the contract was signed.", examples=["2025-11-14"])
    starts_on: date = Field(description="Agreed first working day.", examples=["2026-03-01"])
    role_level: RoleLevel = Field(description="What the participant is employed as.")
    in_region: InRegion


class EmploymentStarted(PlacementEvent):
    """The participant started work; retention checks fall due 6 and 12 months later."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.EMPLOYMENT_STARTED

    employer_id: EmployerId
    role_level: RoleLevel = Field(description="What the participant is employed as.")
    in_region: InRegion
    started_on: date = Field(description="First working day.", examples=["2026-03-02"])


class RetentionCheckDue(PlacementEvent):
    """A follow-up 6, 12, 24 or 36 months after the start is due: please record it."""

    months: RetentionMonths = Field(description="Which follow-up.", examples=[6])
    due_on: date = Field(description="Day the check falls due.", examples=["2026-09-02"])


class RetentionCheckRecorded(PlacementEvent):
    """A follow-up 6, 12, 24 or 36 months after the start was recorded."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.RETENTION_CHECK_RECORDED

    months: RetentionMonths = Field(description="Which follow-up.", examples=[6])
    still_employed: bool = Field(description="Still employed by the employer.", examples=[True])
    still_in_region: bool | None = Field(description="Still living in the region, if known.", examples=[True])
    checked_on: date = Field(description="Day of the check.", examples=["2026-09-04"])
    district: DistrictCode | None = Field(None, description="District the participant lives in now, if known.")
    still_in_district: bool | None = Field(
        None, description="Still living in the district of the start, if known.", examples=[True]
    )
    after_programme: bool = Field(
        False,
        description="The participant had left the programme (completed or dropped out) while employed.",
        examples=[False],
    )


class RetentionCheckOverdue(PlacementEvent):
    """A follow-up was not recorded in time after it fell due."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.RETENTION_CHECK_OVERDUE

    months: RetentionMonths = Field(description="Which follow-up.", examples=[12])
    due_on: date = Field(description="Day the check fell due.", examples=["2027-03-02"])


class EmploymentPermitExpired(PlacementEvent):
    """An employment goes on although the Berufserlaubnis it relies on has ended and no permanent licence is
    recorded: the employer and the participant must settle how the work can go on (§ 2 BÄO)."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.EMPLOYMENT_PERMIT_EXPIRED

    employer_id: EmployerId
    started_on: date = Field(description="First working day of the employment.", examples=["2026-03-02"])
    licence: LicenceKind = Field(description="Kind of licence the employment relied on.", examples=["berufserlaubnis"])
    valid_until: date = Field(description="Last day the licence was valid.", examples=["2027-03-31"])


class EmploymentEnded(PlacementEvent):
    """The employment ended. An early end must be reported to the foreigners' authority (§4a(5) AufenthG)."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.EMPLOYMENT_ENDED

    ended_on: date = Field(description="Last working day.", examples=["2026-10-31"])
    reason: EmploymentEndReason = Field(description="Coarse reason.", examples=["resigned"])
    authority_notice_due_on: date = Field(
        description="Last day for the employer to tell the foreigners' authority: `ended_on` + 4 weeks.",
        examples=["2026-11-28"],
    )


class EmploymentEndNoticeDue(PlacementEvent):
    """Reminder: the employer's notice to the foreigners' authority of an early end is due in a week (4 weeks from
    learning of it, §4a(5) AufenthG) and not recorded yet; or the day has passed."""

    marks_milestone: ClassVar[Milestone | None] = Milestone.EMPLOYMENT_END_NOTICE_DUE

    employer_id: EmployerId
    ended_on: date = Field(description="Last working day.", examples=["2026-10-31"])
    notice_due_on: date = Field(description="Last day for the notice.", examples=["2026-11-28"])


class EndNoticeRecorded(PlacementEvent):
    """The employer told the foreigners' authority of the early end."""

    employer_id: EmployerId
    notified_on: date = Field(description="Day of the notice.", examples=["2026-11-10"])
    notice_due_on: date = Field(description="Last day for the notice.", examples=["2026-11-28"])


MESSAGES: tuple[type[BaseMessage], ...] = (
    RecordOffer,
    RetractOffer,
    ConfirmPlacement,
    StartEmployment,
    RecordRetentionCheck,
    EndEmployment,
    RecordEndNotice,
    OfferRecorded,
    OfferRetracted,
    PlacementConfirmed,
    EmploymentStarted,
    RetentionCheckDue,
    RetentionCheckRecorded,
    RetentionCheckOverdue,
    EmploymentPermitExpired,
    EmploymentEnded,
    EmploymentEndNoticeDue,
    EndNoticeRecorded,
)

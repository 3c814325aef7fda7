"""Reporting: the network's figures, the funders' indicators and the coordinators' follow-up list.

The reporting service keeps a pseudonymised read model of every participant's path from the other stages' events
and owns only its configuration: the funding periods it reports on (`DefineFundingPeriod`, keyed by `period_id`)
and their closing (`CloseFundingPeriod`), after which the period's figures are kept as anonymous counts that
survive a participant's erasure.

The ESF+ common indicators for participants (gender, age band, education level, labour-market status at entry)
are collected at registration (`RegisterCandidate.indicators`) and reach reporting only as `RecordEntryIndicators`
on `journey.reporting.commands`, which the recruitment service alone writes and the reporting service alone reads:
they never travel on an events topic partners consume, and are used for counts only.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.contracts.envelope import BaseMessage, Command, Event
from shared.contracts.fields import PLAIN_NAME, OrgId
from shared.contracts.topics import Kind, Stage


class Gender(StrEnum):
    """As the ESF+ participant data asks it."""

    FEMALE = "female"
    MALE = "male"
    DIVERSE = "diverse"
    NOT_STATED = "not_stated"


class AgeBand(StrEnum):
    """Age at entry, in the bands the ESF+ common indicators count (below 30, 55 and above)."""

    UNDER_18 = "under_18"
    FROM_18_TO_29 = "18_29"
    FROM_30_TO_54 = "30_54"
    FROM_55 = "55_plus"


class EducationLevel(StrEnum):
    """Highest education attained at entry, by ISCED 2011."""

    ISCED_0_2 = "isced_0_2"  # at most lower secondary
    ISCED_3_4 = "isced_3_4"  # upper secondary or post-secondary non-tertiary
    ISCED_5_8 = "isced_5_8"  # tertiary
    NOT_STATED = "not_stated"


class LabourMarketStatus(StrEnum):
    """Labour-market status at entry (ESF+: unemployed incl. long-term unemployed, inactive, employed incl.
    self-employed)."""

    EMPLOYED = "employed"  # including self-employed
    UNEMPLOYED = "unemployed"  # registered or not, less than 12 months (25 and older) / 6 months (under 25)
    LONG_TERM_UNEMPLOYED = "long_term_unemployed"
    INACTIVE = "inactive"  # neither employed nor looking for work, e.g. abroad awaiting recognition
    IN_EDUCATION = "in_education"  # inactive, in education or training


class EntryIndicators(BaseModel):
    """The ESF+ common indicators for a participant at entry: coarse categories, used for counts only."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    gender: Gender = Field(description="Gender as stated.", examples=["female"])
    age_band: AgeBand = Field(description="Age band at entry.", examples=["30_54"])
    education_level: EducationLevel = Field(description="Highest education (ISCED 2011).", examples=["isced_5_8"])
    labour_market_status: LabourMarketStatus = Field(description="Status at entry.", examples=["inactive"])


PeriodId = Annotated[OrgId, Field(description="Id of a funding period (a short code).", examples=["esf-2026"])]


class ReportingCommand(Command):
    stage: ClassVar[Stage] = Stage.REPORTING


class ReportingEvent(Event):
    stage: ClassVar[Stage] = Stage.REPORTING


class RecordEntryIndicators(ReportingCommand):
    """The participant's ESF+ indicators at entry, forwarded by the recruitment service from the registration (or
    the intake that corrected them). Not for partners: only recruitment writes it."""

    recorded_on: date = Field(description="Day the indicators were collected.", examples=["2026-01-12"])
    indicators: EntryIndicators = Field(description="The indicators, as collected.")


class PeriodMessage(BaseMessage):
    """A message about a funding period: keyed by `period_id`, not by a participant."""

    stage: ClassVar[Stage] = Stage.REPORTING
    key_field: ClassVar[str] = "period_id"

    period_id: PeriodId


class PeriodCommand(PeriodMessage):
    kind: ClassVar[Kind] = Kind.COMMAND


class PeriodEvent(PeriodMessage):
    model_config = ConfigDict(frozen=True, extra="ignore")
    kind: ClassVar[Kind] = Kind.EVENT


class DefineFundingPeriod(PeriodCommand):
    """A funding period the network reports on (defining it again changes its name or days while it is open)."""

    name: str = Field(
        min_length=1, max_length=120, pattern=PLAIN_NAME, description="Its name on the page.", examples=["ESF+ 2026"]
    )
    starts_on: date = Field(description="First day.", examples=["2026-01-01"])
    ends_on: date = Field(description="Last day.", examples=["2026-12-31"])

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self


class CloseFundingPeriod(PeriodCommand):
    """The period's figures are final: they are kept as anonymous counts from now on (an erasure no longer changes
    them), and participant-level rows may go."""

    closed_on: date = Field(description="Day the period was closed.", examples=["2027-01-15"])


class FundingPeriodDefined(PeriodEvent):
    """A funding period the network reports on, as defined now."""

    name: str = Field(pattern=PLAIN_NAME, description="Its name on the page.", examples=["ESF+ 2026"])
    starts_on: date = Field(description="First day.", examples=["2026-01-01"])
    ends_on: date = Field(description="Last day.", examples=["2026-12-31"])


class FundingPeriodClosed(PeriodEvent):
    """The period's figures are final and kept as anonymous counts."""

    closed_on: date = Field(description="Day the period was closed.", examples=["2027-01-15"])
    participants: int = Field(ge=0, description="Participants who entered in the period.", examples=[412])


MESSAGES: tuple[type[BaseMessage], ...] = (
    RecordEntryIndicators,
    DefineFundingPeriod,
    CloseFundingPeriod,
    FundingPeriodDefined,
    FundingPeriodClosed,
)

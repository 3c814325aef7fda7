"""What the placement service reads from its environment besides the common settings."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from services.placement.domain.follow_ups import RETENTION_MONTHS
from shared.contracts.placement import RetentionMonths
from shared.settings import ServiceSettings


class PlacementSettings(ServiceSettings):
    """The retention follow-ups a deployment raises."""

    retention_months: Annotated[tuple[RetentionMonths, ...], NoDecode] = Field(
        RETENTION_MONTHS,
        min_length=1,
        description="Months after the start of an employment at which a retention check falls due, comma-separated"
        " (`RETENTION_MONTHS=6,12` for the foundation only); each one of 6, 12, 24, 36.",
    )

    @field_validator("retention_months", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        """`6,12,24,36`, as the environment gives it."""
        if isinstance(value, str):
            return [int(part) if part.strip().isdigit() else part.strip() for part in value.split(",")]
        return value

    @field_validator("retention_months")
    @classmethod
    def _in_order(cls, value: tuple[RetentionMonths, ...]) -> tuple[RetentionMonths, ...]:
        return tuple(sorted(set(value)))

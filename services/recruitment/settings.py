"""What the recruitment service reads from its environment besides the common settings."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field

from shared.settings import ServiceSettings

DEFAULT_RETENTION_YEARS = 5


class RecruitmentSettings(ServiceSettings):
    """The retention schedule (issue 15)."""

    retention_years: int = Field(
        DEFAULT_RETENTION_YEARS,
        ge=1,
        le=30,
        description="Participants whose participation ended more than this many years ago are anonymised, unless an"
        " audit hold keeps them. Five: ESF+ keeps an operation's documents for five years (Regulation (EU)"
        " 2021/1060, Art. 82) for its audits; where a funder's audit period ends later, an audit hold says so.",
    )
    retention_run_interval_s: float = Field(
        24 * 3600, gt=0, description="How often the retention schedule runs by itself (an operator may start it too)."
    )
    retention_request_poll_s: float = Field(
        5.0, gt=0, description="How often the service looks for a retention run an operator asked for."
    )


def copies_window(settings: ServiceSettings) -> timedelta:
    """How long after an erasure a copy may still exist: the longest of the commands and rejections topics' retention
    (each with a segment roll, after which the broker deletes the segment) and the database backups' retention."""
    roll = settings.topic_segment_s
    return timedelta(
        seconds=max(
            settings.commands_retention_s + roll, settings.rejections_retention_s + roll, settings.backup_retention_s
        )
    )


DEFAULT_COPIES_WINDOW = copies_window(ServiceSettings.model_construct())
"""The window with every setting at its default (read from no environment), for the spec tools import."""

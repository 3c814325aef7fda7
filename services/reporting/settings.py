"""What the reporting service reads from its environment besides the common settings."""

from __future__ import annotations

from pydantic import Field

from shared.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    """The coordinator page's cookies and the follow-up list's patience."""

    secure_cookies: bool = Field(
        False,
        description="Mark the session cookies Secure even when the request came over plain HTTP (behind a proxy that"
        " ends TLS); over HTTPS they are Secure anyway.",
    )
    no_progress_days: int = Field(
        60, ge=1, le=3650, description="An active participant not in work with nothing new for this many days is due."
    )

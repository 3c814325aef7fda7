"""What the notifications service reads from its environment besides the common settings."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr

from shared.settings import ServiceSettings


class NotificationSettings(ServiceSettings):
    """SMTP server, sender, the directory file and how undelivered mails are retried."""

    smtp_host: str = Field("127.0.0.1", description="Mail server host.")
    smtp_port: int = Field(1025, ge=1, le=65535, description="Mail server port (587 for STARTTLS, 465 for TLS).")
    smtp_username: str | None = Field(None, description="Login, when the server wants one.")
    smtp_password: SecretStr | None = Field(None, description="Password for `smtp_username`.")
    smtp_security: Literal["none", "starttls", "tls"] = Field("none", description="Transport security.")
    smtp_timeout_s: float = Field(30.0, gt=0, description="Connect and command timeout.")
    smtp_idle_s: float = Field(
        30.0, ge=0, description="Close a mail server connection unused this long (0: a new connection per mail)."
    )
    smtp_from: str = Field("journey@example.org", pattern=r"^[^@\s]+@[^@\s]+$", description="Sender address.")
    notifications_directory_file: Path | None = Field(
        None, description="YAML directory of recipients, (re)applied at every start."
    )
    delivery_max_attempts: int = Field(10, ge=1, description="Attempts before a mail is marked failed.")
    delivery_backoff_initial_s: float = Field(5.0, gt=0, description="Wait after the first failed attempt.")
    delivery_backoff_max_s: float = Field(900.0, gt=0, description="Longest wait between attempts.")
    delivery_poll_interval_s: float = Field(1.0, gt=0, description="How often to look for mails due.")
    delivery_concurrency: int = Field(4, ge=1, le=32, description="Mails sent at the same time by one instance.")
    digest_poll_interval_s: float = Field(60.0, gt=0, description="How often to look for digest periods that ended.")
    digest_send_hour: int = Field(
        6, ge=0, le=23, description="Hour (Europe/Berlin) of the day after a period from which its digest is sent."
    )
    reporting_url: str = Field("http://127.0.0.1:8006/", description="The coordinators' page digests link to.")

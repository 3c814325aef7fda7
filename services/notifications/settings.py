"""What the notifications service reads from its environment besides the common settings."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, FilePath, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings, is_loopback


class NotificationSettings(ServiceSettings):
    """SMTP server, sender, the directory file and how undelivered mails are retried."""

    # A refusal below would otherwise print every input, passwords included.
    model_config = SettingsConfigDict(hide_input_in_errors=True)

    smtp_host: str = Field("127.0.0.1", description="Mail server host.")
    smtp_port: int = Field(1025, ge=1, le=65535, description="Mail server port (587 for STARTTLS, 465 for TLS).")
    smtp_username: str | None = Field(None, description="Login, when the server wants one (only with TLS).")
    smtp_password: SecretStr | None = Field(None, description="Password for `smtp_username`.")
    smtp_security: Literal["none", "starttls", "tls"] = Field(
        "none",
        description="`starttls` (required, port 587) or `tls` (from the first byte, port 465), the server's certificate"
        " and host name always verified; `none` only for a mail server on this machine (a loopback host).",
    )
    smtp_ca_file: FilePath | None = Field(
        None, description="A CA certificate (PEM) trusted besides the system's, e.g. for a mail server's own CA."
    )
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

    @model_validator(mode="after")
    def _smtp_secured(self) -> Self:
        """Mails and credentials cross a network only over TLS; checked at start-up, before anything is sent."""
        if self.smtp_security == "none" and not is_loopback(self.smtp_host.strip("[]").rstrip(".").lower()):
            raise ValueError(
                f"SMTP_SECURITY=none sends mails in clear: allowed only for a mail server on this machine, and"
                f" SMTP_HOST={self.smtp_host} is not a loopback address; set SMTP_SECURITY=starttls (port 587) or"
                " tls (port 465)"
            )
        if self.smtp_security == "none" and (self.smtp_username is not None or self.smtp_password is not None):
            raise ValueError(
                "SMTP_USERNAME/SMTP_PASSWORD are never sent without TLS: set SMTP_SECURITY=starttls or tls"
            )
        if self.smtp_password is not None and self.smtp_username is None:
            raise ValueError("SMTP_PASSWORD is set without SMTP_USERNAME")
        if self.smtp_ca_file is not None:
            try:
                ssl.create_default_context().load_verify_locations(cafile=self.smtp_ca_file)
            except OSError as error:  # ssl.SSLError too
                raise ValueError(f"SMTP_CA_FILE={self.smtp_ca_file}: no PEM certificate read: {error}") from None
        return self

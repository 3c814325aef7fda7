"""Composition root of the notifications service."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg

from services.notifications.delivery import RECORD_MARGIN_S, DeliveryWorker
from services.notifications.directory_file import apply_directory_file
from services.notifications.domain import RetryPolicy
from services.notifications.mailer import SmtpMailer
from services.notifications.routes import command_routes, event_routes
from services.notifications.settings import NotificationSettings
from shared.contracts.topics import Kind, Stage, topic
from shared.retry import Backoff
from shared.service import ServiceSpec, Worker


def build_spec(settings: NotificationSettings) -> ServiceSpec:
    directory_ready = asyncio.Event()
    return ServiceSpec(
        stage=Stage.NOTIFICATIONS,
        migrations=Path(__file__).parent / "migrations",
        default_http_port=8005,
        consumes={
            **event_routes(directory_ready),
            topic(Stage.NOTIFICATIONS, Kind.COMMAND): command_routes(directory_ready),
        },
        workers=[start_worker(settings, directory_ready)],
        description="Mails coordinators and partner organisations about milestones; keeps the audit of every mail.",
    )


def start_worker(settings: NotificationSettings, directory_ready: asyncio.Event) -> Worker:
    """Apply the directory file, open the gate for messages, then deliver mails until stopped."""
    s = settings
    backoff = Backoff(s.retry_initial_s, s.retry_max_s)
    mailer = SmtpMailer(
        host=s.smtp_host,
        port=s.smtp_port,
        security=s.smtp_security,
        username=s.smtp_username,
        password=None if s.smtp_password is None else s.smtp_password.get_secret_value(),
        timeout_s=s.smtp_timeout_s,
    )
    worker = DeliveryWorker(
        mailer,
        RetryPolicy(s.delivery_max_attempts, s.delivery_backoff_initial_s, s.delivery_backoff_max_s),
        sender=s.smtp_from,
        poll_interval_s=s.delivery_poll_interval_s,
        backoff=backoff,
        lease_s=2 * s.smtp_timeout_s + RECORD_MARGIN_S,  # a whole SMTP session may take 2 x the timeout
    )

    async def run(pool: asyncpg.Pool) -> None:
        await backoff.run(lambda: apply_directory_file(pool, s.notifications_directory_file), what="directory_file")
        directory_ready.set()
        # Each loop leases its own mail row, so they never send the same mail; one SMTP transaction at a time each.
        await asyncio.gather(*(worker.run(pool, lane) for lane in range(s.delivery_concurrency)))

    return run

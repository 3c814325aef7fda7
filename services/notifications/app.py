"""Composition root of the notifications service: which message goes to which use case, and the mail worker."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg

from services.notifications import commands, reactions
from services.notifications.delivery import RECORD_MARGIN_S, DeliveryWorker, watch_queue
from services.notifications.digests import DigestWorker
from services.notifications.directory_file import apply_directory_file
from services.notifications.domain import RetryPolicy
from services.notifications.doorbell import Doorbell
from services.notifications.mailer import SmtpMailer, SmtpServer
from services.notifications.settings import NotificationSettings
from shared.contracts import notifications as contract
from shared.contracts import organisations, recruitment
from shared.contracts.catalogue import events_of
from shared.contracts.envelope import Event
from shared.contracts.topics import Kind, Stage, topic
from shared.processing import Handler, Route
from shared.retry import Backoff
from shared.service import ServiceSpec
from shared.settings import ServiceSettings

STAGES_WITH_MILESTONES = (Stage.RECRUITMENT, Stage.RECOGNITION, Stage.QUALIFICATION, Stage.PLACEMENT)

# Recruitment's facts that feed the participant copy; those that mark a milestone are addressed as one as well.
COPY: dict[type[Event], Handler] = {
    recruitment.ParticipantRecruited: reactions.participant_recruited,
    recruitment.IntakeRecorded: reactions.intake_recorded,
    recruitment.ConsentChanged: reactions.consent_changed,
    recruitment.ParticipantErased: reactions.participant_erased,
    organisations.OrganisationInvolved: reactions.organisation_involved,
    organisations.OrganisationReleased: reactions.organisation_released,
    organisations.LeadHandedOver: reactions.lead_handed_over,
    recruitment.ParticipationPaused: reactions.participation_paused,
    recruitment.ParticipationResumed: reactions.pause_ended,
    recruitment.ParticipationCompleted: reactions.pause_ended,
    recruitment.ParticipantWithdrawn: reactions.pause_ended,
    recruitment.ParticipantReactivated: reactions.pause_ended,
}


def milestone_routes(stage: Stage) -> list[Route]:
    """A stage's events topic: every event class marked as a milestone, and recruitment's facts for the copy."""
    routes = []
    for message in events_of(stage):
        if not issubclass(message, Event):
            continue
        handler = COPY.get(message) or (reactions.record_milestone if message.marks_milestone else None)
        if handler is not None:
            routes.append(Route(message, handler))
    return routes


async def apply_directory(pool: asyncpg.Pool, settings: ServiceSettings) -> None:
    """The directory file, applied at start-up before any message is consumed: early milestones see all of it."""
    assert isinstance(settings, NotificationSettings), "python -m services.notifications passes its settings"
    await apply_directory_file(pool, settings.notifications_directory_file)


async def deliver_mails(pool: asyncpg.Pool, settings: ServiceSettings) -> None:
    """Deliver queued mails until stopped."""
    assert isinstance(settings, NotificationSettings), "python -m services.notifications passes its settings"
    s = settings
    backoff = Backoff(s.retry_initial_s, s.retry_max_s)
    server = SmtpServer(
        host=s.smtp_host,
        port=s.smtp_port,
        security=s.smtp_security,
        username=s.smtp_username,
        password=None if s.smtp_password is None else s.smtp_password.get_secret_value(),
        timeout_s=s.smtp_timeout_s,
        ca_file=s.smtp_ca_file,
    )
    mailer = SmtpMailer(server, idle_s=s.smtp_idle_s)
    worker = DeliveryWorker(
        mailer,
        RetryPolicy(s.delivery_max_attempts, s.delivery_backoff_initial_s, s.delivery_backoff_max_s),
        sender=s.smtp_from,
        poll_interval_s=s.delivery_poll_interval_s,
        backoff=backoff,
        lease_s=2 * s.smtp_timeout_s + RECORD_MARGIN_S,  # a whole SMTP session may take 2 x the timeout
    )
    # Each loop leases its own mail row, so they never send the same mail; one SMTP transaction at a time each, on a
    # connection of its own while it sends. The doorbell wakes one loop when a mail is queued or finished (LISTEN),
    # a loop that found a mail wakes the next; their poll is the fallback.
    doorbell = Doorbell(f"{Stage.NOTIFICATIONS.value}_deliveries")
    try:
        await asyncio.gather(
            doorbell.listen(pool, backoff),
            watch_queue(pool, s.watch_interval_s),
            *(worker.run(pool, lane, doorbell) for lane in range(s.delivery_concurrency)),
        )
    finally:
        await mailer.close()


async def compose_digests(pool: asyncpg.Pool, settings: ServiceSettings) -> None:
    """Compose the digests of the periods that ended, until stopped (the delivery worker sends them)."""
    assert isinstance(settings, NotificationSettings), "python -m services.notifications passes its settings"
    worker = DigestWorker(
        send_hour=settings.digest_send_hour,
        reporting_url=settings.reporting_url,
        poll_interval_s=settings.digest_poll_interval_s,
        backoff=Backoff(settings.retry_initial_s, settings.retry_max_s),
    )
    await worker.run(pool)


def recruitment_routes() -> list[Route]:
    """Recruitment's events topic: its milestones and facts, and the organisations' names for the mails."""
    return [
        *milestone_routes(Stage.RECRUITMENT),
        Route(organisations.OrganisationRegistered, reactions.organisation_registered),
    ]


SPEC = ServiceSpec(
    stage=Stage.NOTIFICATIONS,
    migrations=Path(__file__).parent / "migrations",
    default_http_port=8005,
    consumes={
        **{topic(stage, Kind.EVENT): milestone_routes(stage) for stage in STAGES_WITH_MILESTONES},
        topic(Stage.RECRUITMENT, Kind.EVENT): recruitment_routes(),
        topic(Stage.NOTIFICATIONS, Kind.COMMAND): [
            Route(contract.RegisterRecipient, commands.register_recipient),
            Route(contract.UpdateRecipient, commands.update_recipient),
            Route(contract.RemoveRecipient, commands.remove_recipient),
            Route(contract.OptOutParticipant, commands.opt_out_participant),
            Route(contract.OptInParticipant, commands.opt_in_participant),
        ],
    },
    prepare=[apply_directory],
    workers=[deliver_mails, compose_digests],
    description="Mails coordinators and partner organisations about milestones, at once or in daily or weekly"
    " digests; keeps the audit of every mail.",
)

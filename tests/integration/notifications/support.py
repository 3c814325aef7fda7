"""Helpers for the notifications tests: publishing as a stage or partner, unique names, recipients, matchers."""

from __future__ import annotations

import secrets
import string
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from shared.contracts.enums import Milestone
from shared.contracts.envelope import BaseMessage, Envelope, encode
from shared.contracts.examples import example_payload
from shared.contracts.notifications import RegisterRecipient
from shared.contracts.recruitment import ParticipantRecruited
from tests.support.infra import Infra
from tests.support.kafka import Partner, Received, Tap
from tests.support.processes import ServiceProcess
from tests.support.smtp import SmtpSink

M = TypeVar("M", bound=BaseMessage)
# Fast retries, so an outage of a few seconds is bridged within the test.
FAST = {
    "DELIVERY_POLL_INTERVAL_S": "0.2",
    "DELIVERY_BACKOFF_INITIAL_S": "0.5",
    "DELIVERY_BACKOFF_MAX_S": "1",
    "DELIVERY_MAX_ATTEMPTS": "30",
}


EVENTS = "journey.notifications.events"
REJECTIONS = "journey.notifications.rejections"


def build(model: type[M], **fields: Any) -> M:
    """A valid message from the model's examples, with `fields` changed."""
    return model.model_validate({**example_payload(model), **fields})


Publisher = Partner  # sends commands as a partner, events as their stage's service


@dataclass
class World:
    """Names no other test uses: a region and organisation of its own, so a shared database needs no clean-up."""

    token: str = field(default_factory=lambda: "".join(secrets.choice(string.ascii_uppercase) for _ in range(3)))

    @property
    def region(self) -> str:
        return f"DE-{self.token}"

    def org(self, name: str = "partner") -> str:
        return f"{name}-{self.token.lower()}"

    def recipient(self, name: str) -> str:
        return f"{name}-{self.token.lower()}"

    def address(self, name: str) -> str:
        return f"{self.recipient(name)}@example.org"

    def recruited(self, **fields: Any) -> ParticipantRecruited:
        defaults: dict[str, Any] = {"participant_id": uuid.uuid4(), "region": self.region, "partner_org": self.org()}
        return build(ParticipantRecruited, **{**defaults, **fields})


def named(name: str, key: str | None = None) -> Callable[[Received], bool]:
    """Records of message type `name` (e.g. "NotificationSent"), keyed by `key` if given."""
    return lambda r: r.ce_type.split(".")[2:3] == [name] and (key is None or r.key == key)


async def register(publisher: Publisher, kafka: str, **fields: Any) -> RegisterRecipient:
    """Register a recipient and wait until the directory holds it."""
    # Not the example's delivery choice: the default of the recipient's kind unless the test chooses
    cmd = build(RegisterRecipient, **{"delivery": {}, "default_delivery": None, **fields})
    async with Tap(kafka, EVENTS) as events:
        await publisher.send(cmd)
        assert await events.wait_for(named("RecipientRegistered", cmd.recipient_id)), "recipient not registered"
    return cmd


async def coordinator(publisher: Publisher, kafka: str, world: World, name: str = "desk", **fields: Any) -> str:
    """A coordinator for the world's region, mailed about every milestone; returns its address."""
    defaults: dict[str, Any] = {
        "recipient_id": world.recipient(name),
        "recipient_kind": "coordinator",
        "email": world.address(name),
        "display_name": f"Desk {world.token}",
        "regions": [world.region],
        "milestones": list(Milestone),
        "default_delivery": "immediate",  # these tests follow each mail; tests of digests choose otherwise
        "delivery": {},  # not the example's choice
    }
    await register(publisher, kafka, **{**defaults, **fields})
    return world.address(name)


async def send_at(publisher: Publisher, message: BaseMessage, at: datetime) -> str:
    """Publish `message` as if it happened at `at` (its `ce_time`): digests date milestones by it."""
    source = f"/journey/{message.stage.value}"
    envelope = replace(Envelope.for_message(message, source=source), time=at)
    key, headers, value = encode(message, envelope)
    await publisher.send_raw(message.topic(), value, key=key, headers=headers)
    return envelope.id


def notifications_process(infra: Infra, log_dir: Path, sink: SmtpSink, **env: str) -> ServiceProcess:
    return ServiceProcess(
        "notifications", infra, log_dir, SMTP_HOST=sink.host, SMTP_PORT=str(sink.port), **{**FAST, **env}
    )

"""The five stages as the poison-pill tests see them: how one of them comes to know a participant, a command it
then applies, and that command as raw Kafka records with one defect each, sent on one partition before a valid one.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import string
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date

import asyncpg
from aiokafka.structs import RecordMetadata

from shared.contracts.enums import Milestone
from shared.contracts.envelope import BaseMessage, Envelope, encode
from shared.contracts.notifications import OptOutParticipant, RecipientKind, RegisterRecipient
from shared.contracts.qualification import MeasureKind, PlanMeasure
from shared.contracts.topics import Kind, Stage, topic
from tests.integration.placement.helpers import record_offer, recruited_event
from tests.integration.qualification import facts
from tests.integration.recognition.journey import open_case, submit
from tests.support.factories import register_candidate
from tests.support.infra import Infra
from tests.support.kafka import Partner, Received, Tap, for_participant
from tests.support.processes import ServiceProcess, free_port

WAIT_S = 60
"""How long a rejection or an event may take: generous, the broker and database are shared with other runs."""
MAX_REJECTION_BYTES = 200_000
SOURCE = "/partners/poison-test"


@dataclass(frozen=True)
class Raw:
    """A Kafka record as the bytes a stage's door reads."""

    key: bytes | None
    headers: tuple[tuple[str, bytes], ...]
    value: bytes

    @classmethod
    def of(cls, message: BaseMessage) -> Raw:
        """The message as a partner sends it, under a fresh `ce_id`."""
        key, headers, value = encode(message, Envelope.for_message(message, source=SOURCE))
        return cls(key, tuple(headers), value)

    @property
    def ce_id(self) -> str:
        return next(value for name, value in self.headers if name == "ce_id").decode("utf-8", "replace")

    def with_header(self, name: str, value: bytes) -> Raw:
        return replace(self, headers=tuple((n, value if n == name else v) for n, v in self.headers))

    def without_header(self, name: str) -> Raw:
        return replace(self, headers=tuple((n, v) for n, v in self.headers if n != name))

    def without_key(self) -> Raw:
        return replace(self, key=None)

    def with_value(self, value: bytes) -> Raw:
        return replace(self, value=value)

    def with_field(self, dotted: str, value: object) -> Raw:
        """The JSON value with one (possibly nested) field set, e.g. `personal.birth_date`."""
        body = json.loads(self.value)
        *path, last = dotted.split(".")
        inner = body
        for name in path:
            inner = inner[name]
        inner[last] = value
        return self.with_value(json.dumps(body).encode())


@dataclass(frozen=True)
class Coercion:
    """A command with one field set to a value a lenient parser would coerce (`0` to a date, `"true"` to True)."""

    command: Callable[[], BaseMessage]
    field: str
    value: object


@dataclass(frozen=True)
class StageKit:
    """What the tests need to know of one stage."""

    stage: Stage
    introduce: Callable[[Partner, Infra], Awaitable[str]]
    """Make someone known to the stage (a participant, a directory recipient); returns their id, the Kafka key."""
    command: Callable[[str], BaseMessage]
    """A command about them the stage applies, publishing an event."""
    text_field: str
    """A string field of that command."""
    coercions: tuple[Coercion, ...]
    env: Callable[[], Mapping[str, str]] = dict

    @property
    def commands(self) -> str:
        return topic(self.stage, Kind.COMMAND)

    @property
    def events(self) -> str:
        return topic(self.stage, Kind.EVENT)

    @property
    def rejections(self) -> str:
        return topic(self.stage, Kind.REJECTION)


@dataclass
class StageUnderTest:
    """A stage's service running as a process, and a partner sending to its commands topic."""

    kit: StageKit
    service: ServiceProcess
    partner: Partner
    infra: Infra

    async def someone_known(self) -> str:
        return await self.kit.introduce(self.partner, self.infra)

    def record(self, key: str) -> Raw:
        """A valid command about `key`, as raw bytes under a fresh `ce_id`: the base of a bad record."""
        return Raw.of(self.kit.command(key))

    async def refused_then_applied(self, key: str, *bad: Raw) -> list[Received]:
        """Send the bad records and then a valid command about `key`, one after the other on the key's partition;
        return the rejections of the bad ones, in order, once the valid one's event has been published."""
        assert bad and bad[0].key is not None, "the first record must carry the key: it picks the partition"
        valid = self.record(key)
        async with (
            Tap(self.infra.kafka, self.kit.rejections) as rejections,
            Tap(self.infra.kafka, self.kit.events) as events,
        ):
            partition: int | None = None
            positions: list[tuple[int, int]] = []
            for record in bad:
                sent = await self._send(record, partition)
                partition = sent.partition
                positions.append((sent.partition, sent.offset))
            await self._send(valid, partition)

            def of_a_bad_record(r: Received) -> bool:
                original = r.body["original"]
                position = (original["partition"], original["offset"])
                return original["topic"] == self.kit.commands and position in positions

            found = await rejections.wait_for(of_a_bad_record, count=len(bad), timeout_s=WAIT_S)
            assert len(found) == len(bad), self._explain(f"{len(found)} of {len(bad)} bad records rejected")
            applied = await events.wait_for(lambda r: r.headers.get("ce_causationid") == valid.ce_id, timeout_s=WAIT_S)
            assert applied, self._explain(f"no event for the valid command {valid.ce_id} after the bad records")
        assert all(len(r.value) < MAX_REJECTION_BYTES for r in found), "a rejection is not bounded"
        by_position = {(r.body["original"]["partition"], r.body["original"]["offset"]): r for r in found}
        return [by_position[p] for p in positions]

    async def rejections_of(self, *records: Raw) -> list[Received]:
        """Send records (with valid ids) and return their rejections, in order."""
        ids = [r.ce_id for r in records]
        async with Tap(self.infra.kafka, self.kit.rejections) as rejections:
            for record in records:
                await self._send(record, None)
            found = await rejections.wait_for(
                lambda r: r.body["rejected_id"] in ids, count=len(records), timeout_s=WAIT_S
            )
        assert len(found) == len(records), self._explain(f"{len(found)} of {len(records)} records rejected")
        assert all(len(r.value) < MAX_REJECTION_BYTES for r in found), "a rejection is not bounded"
        by_id = {r.body["rejected_id"]: r for r in found}
        return [by_id[i] for i in ids]

    async def _send(self, record: Raw, partition: int | None) -> RecordMetadata:
        return await self.partner.send_raw(
            self.kit.commands, record.value, key=record.key, headers=list(record.headers), partition=partition
        )

    async def assert_unblocked(self, key: str) -> None:
        """Everything the stage recorded about `key` got published (none set aside), and it says it is ready."""
        schema = self.kit.stage.value
        conn = await asyncpg.connect(self.infra.database_url)
        try:
            deadline = time.monotonic() + WAIT_S
            while True:
                row = await conn.fetchrow(
                    f"SELECT count(*) FILTER (WHERE published_at IS NULL AND set_aside_at IS NULL) AS pending,"
                    f" count(*) FILTER (WHERE set_aside_at IS NOT NULL) AS set_aside"
                    f" FROM {schema}.outbox WHERE key = $1",
                    key.encode(),
                )
                assert row is not None
                assert row["set_aside"] == 0, self._explain(f"{row['set_aside']} outbox row(s) about {key} set aside")
                if row["pending"] == 0:
                    break
                assert time.monotonic() < deadline, self._explain(f"{row['pending']} outbox row(s) still unpublished")
                await asyncio.sleep(0.2)
        finally:
            await conn.close()
        status, body = readiness(self.service)
        assert status == 200, self._explain(f"/health/ready answered {status}: {body}")

    def _explain(self, what: str) -> str:
        return f"{self.kit.stage.value}: {what}; log {self.service.log_path}:\n{self.service.tail()}"


def readiness(service: ServiceProcess) -> tuple[int, str]:
    """The status and body of the service's `/health/ready`."""
    url = f"http://127.0.0.1:{service.port}/health/ready"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


# How each stage comes to know someone, and a command it applies for them.


async def _nobody_needed(partner: Partner, infra: Infra) -> str:
    return str(uuid.uuid4())  # recruitment registers new participants itself


async def _case_opened(partner: Partner, infra: Infra) -> str:
    async with Tap(infra.kafka, topic(Stage.RECOGNITION, Kind.EVENT)) as events:
        return str(await open_case(partner, events))


async def _recruited_for_qualification(partner: Partner, infra: Infra) -> str:
    pid = uuid.uuid4()
    async with Tap(infra.kafka, topic(Stage.QUALIFICATION, Kind.EVENT)) as events:
        await partner.send(facts.recruited(pid))
        assert await events.wait_for(for_participant(pid), timeout_s=WAIT_S), "qualification did not learn of them"
    return str(pid)


async def _recruited_for_placement(partner: Partner, infra: Infra) -> str:
    pid = uuid.uuid4()
    await partner.send(recruited_event(pid))
    conn = await asyncpg.connect(infra.database_url)
    try:
        deadline = time.monotonic() + WAIT_S
        sql = "SELECT status FROM placement.placements WHERE participant_id = $1"
        while await conn.fetchval(sql, pid) is None:
            assert time.monotonic() < deadline, "placement did not learn of them"
            await asyncio.sleep(0.2)
    finally:
        await conn.close()
    return str(pid)


async def _new_recipient(partner: Partner, infra: Infra) -> str:
    return f"poison-{uuid.uuid4().hex[:12]}"  # the directory takes any new recipient


def _plan(key: str) -> PlanMeasure:
    return PlanMeasure(
        participant_id=uuid.UUID(key),
        measure_id=uuid.uuid4(),
        measure_kind=MeasureKind.KNOWLEDGE_TEST_PREPARATION,
        provider_id="poison-school-example",
    )


def _register_recipient(key: str) -> RegisterRecipient:
    # A region nobody is recruited in (real ones are letters only): the recipient is never mailed about anyone.
    region = "DE-" + secrets.choice(string.digits) + "".join(secrets.choice(string.ascii_uppercase) for _ in range(2))
    return RegisterRecipient(
        recipient_id=key,
        recipient_kind=RecipientKind.COORDINATOR,
        email=f"{key}@example.org",
        display_name="Poison Test Desk",
        regions=frozenset({region}),
        milestones=frozenset({Milestone.PARTICIPANT_RECRUITED}),
    )


def _notifications_env() -> dict[str, str]:
    # The mail queue is shared with every notifications process on this database. This one looks for mail once, at
    # start, sends to a closed port (never into another test's mail sink), gives each mail it tried back within a
    # second or so to whoever tries next, and never gives one up before the other tests' processes would.
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(free_port()),
        "DELIVERY_CONCURRENCY": "1",
        "DELIVERY_POLL_INTERVAL_S": "3600",
        "DELIVERY_BACKOFF_INITIAL_S": "1",
        "DELIVERY_BACKOFF_MAX_S": "5",
        "DELIVERY_MAX_ATTEMPTS": "30",
    }


def _new_pid() -> uuid.UUID:
    return uuid.uuid4()


KITS: dict[str, StageKit] = {
    kit.stage.value: kit
    for kit in (
        StageKit(
            Stage.RECRUITMENT,
            introduce=_nobody_needed,
            command=lambda key: register_candidate(participant_id=uuid.UUID(key)),
            text_field="personal.given_name",
            coercions=(Coercion(register_candidate, "personal.birth_date", 0),),
        ),
        StageKit(
            Stage.RECOGNITION,
            introduce=_case_opened,
            command=lambda key: submit(uuid.UUID(key)),
            text_field="authority",
            coercions=(Coercion(lambda: submit(_new_pid()), "submitted_on", 0),),
        ),
        StageKit(
            Stage.QUALIFICATION,
            introduce=_recruited_for_qualification,
            command=_plan,
            text_field="provider_id",
            coercions=(Coercion(lambda: facts.certificate(_new_pid()), "obtained_on", 0),),
        ),
        StageKit(
            Stage.PLACEMENT,
            introduce=_recruited_for_placement,
            command=lambda key: record_offer(uuid.UUID(key)),
            text_field="employer_id",
            coercions=(
                Coercion(lambda: record_offer(_new_pid()), "offered_on", 0),
                Coercion(lambda: record_offer(_new_pid()), "in_region", "true"),
            ),
        ),
        StageKit(
            Stage.NOTIFICATIONS,
            introduce=_new_recipient,
            command=_register_recipient,
            text_field="display_name",
            coercions=(
                Coercion(
                    lambda: OptOutParticipant(participant_id=_new_pid(), opted_out_on=date.today()), "opted_out_on", 0
                ),
            ),
            env=_notifications_env,
        ),
    )
}

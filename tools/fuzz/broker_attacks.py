"""The attempts the broker must refuse: connections without valid credentials, partner A's own credentials used
beyond its ACLs (deploy/kafka/acls.txt), and requests beyond the topic's `max.message.bytes`."""

from __future__ import annotations

from collections.abc import Awaitable

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.helpers import create_ssl_context

from shared.contracts.topics import PARTNER_STAGES, Kind, Stage, partner_topic, topic
from tools.credentials import Credentials
from tools.fuzz.bus_access import KafkaLog, administer, connect, produce, read, write
from tools.fuzz.forgeries import Attempt, Forgery

ATTACKER = "counselling-example"
VICTIM = "language-school-example"


# --- 1. no credentials


async def connection_attempts(a: Credentials, log: KafkaLog) -> list[Attempt]:
    own = partner_topic(Stage.RECRUITMENT, Kind.COMMAND, ATTACKER)
    plain = {"bootstrap_servers": a.bootstrap_servers}
    tls = {**plain, "security_protocol": "SSL", "ssl_context": create_ssl_context(cafile=a.cafile)}
    sasl_plaintext = {k: v for k, v in a.kwargs(security_protocol="SASL_PLAINTEXT").items() if k != "ssl_context"}
    tries = {
        "plaintext client on the SASL_SSL port": plain,
        "TLS without SASL": tls,
        "SASL without TLS (SASL_PLAINTEXT)": sasl_plaintext,
        "SASL with a wrong password": a.kwargs(sasl_plain_password="wrong-" + "x" * 26),
        "an unknown user": a.kwargs(sasl_plain_username="partner-nobody-example"),
    }
    found = []
    for kind, kwargs in tries.items():
        status, detail = await connect(kwargs, own, log)
        found.append(Attempt("no credentials", kind, a.bootstrap_servers, status, detail))
    return found


# --- 2. beyond its ACLs, with its own credentials


async def acl_attempts(a: Credentials, run_id: str, scratch: str) -> list[Attempt]:
    """Everything partner A's ACLs do not allow, each tried once (per stage where it has a topic there)."""
    found: list[Attempt] = []
    n = 0

    async def tried(kind: str, target: str, outcome: Awaitable[tuple[str, str]]) -> None:
        status, detail = await outcome
        found.append(Attempt("beyond its ACLs", kind, target, status, detail))

    for stage in PARTNER_STAGES:
        theirs = partner_topic(stage, Kind.COMMAND, VICTIM)
        n += 1
        await tried("write another partner's commands topic", theirs, write(a, theirs, run_id, n))
    for stage in Stage:
        n += 1
        await tried(
            "write a shared commands topic", topic(stage, Kind.COMMAND), write(a, topic(stage, Kind.COMMAND), run_id, n)
        )
    for stage in Stage:
        n += 1
        await tried(
            "write an events topic (forge facts)",
            topic(stage, Kind.EVENT),
            write(a, topic(stage, Kind.EVENT), run_id, n),
        )
    for stage in PARTNER_STAGES:
        for name in (topic(stage, Kind.REJECTION), partner_topic(stage, Kind.REJECTION, ATTACKER)):
            n += 1
            await tried("write a rejections topic (shared or its own)", name, write(a, name, run_id, n))
    for stage in PARTNER_STAGES:
        name = partner_topic(stage, Kind.REJECTION, VICTIM)
        await tried("read another partner's rejections topic", name, read(a, name))
    for stage in Stage:
        name = topic(stage, Kind.COMMAND)
        await tried("read a commands topic (shared)", name, read(a, name))
    for stage in PARTNER_STAGES:
        for org in (VICTIM, ATTACKER):
            name = partner_topic(stage, Kind.COMMAND, org)
            await tried("read a commands topic (another's or its own)", name, read(a, name))
    events = topic(Stage.RECRUITMENT, Kind.EVENT)  # A may read it: only the group is wrong
    for group in (f"journey-recruitment.fuzz-{run_id}", f"{VICTIM}.fuzz-{run_id}", f"fuzz-{run_id}"):
        await tried("join a consumer group outside its prefix", group, read(a, events, group=group))
    for name in (partner_topic(Stage.RECRUITMENT, Kind.COMMAND, f"fuzz-{run_id}"), f"journey.fuzz-{run_id}"):
        await tried("create a topic (validate only)", name, administer(a, "create", name))
    await tried("delete a topic (the run's scratch topic)", scratch, administer(a, "delete", scratch))
    for name in (partner_topic(Stage.RECRUITMENT, Kind.COMMAND, ATTACKER), topic(Stage.RECRUITMENT, Kind.COMMAND)):
        await tried("alter a topic's configs (validate only)", name, administer(a, "alter", name))
    return found


# --- 3. oversized


async def max_message_bytes(dev_bootstrap: str, topic_name: str) -> int:
    """The topic's effective `max.message.bytes` (the broker's `message.max.bytes` unless the topic sets its own)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=dev_bootstrap, client_id="journey-fuzz-attacks")
    await admin.start()
    try:
        answer = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topic_name, {"max.message.bytes": None})]
        )
    finally:
        await admin.close()
    entries = {entry[0]: entry[1] for r in answer for res in r.resources for entry in res[4]}
    return int(entries.get("max.message.bytes", 1_048_588))


async def oversized_attempts(a: Credentials, limit: int, filler: list[Forgery]) -> list[Attempt]:
    """One record beyond `limit`, and one batch of small (valid, not permitted) records beyond it, as one produce
    request each (the client's own limits raised so that the broker is the one to decide)."""
    own = partner_topic(Stage.RECRUITMENT, Kind.COMMAND, ATTACKER)
    producer = AIOKafkaProducer(
        max_request_size=4 * limit, max_batch_size=2 * limit, linger_ms=0, request_timeout_ms=30_000, **a.kwargs()
    )
    found = []
    await producer.start()
    try:
        big = b'{"padding":"' + b"x" * (limit + 65_536) + b'"}'
        status, detail = await produce(producer.send(own, value=big, partition=0))
        found.append(
            Attempt("oversized", "one record beyond max.message.bytes", f"{own} ({len(big)} bytes)", status, detail)
        )
        batch = producer.create_batch()
        records = 0
        while batch.size() <= limit + 65_536:
            f = filler[records % len(filler)]
            if batch.append(key=f.key, value=f.value, timestamp=None, headers=list(f.headers)) is None:
                break
            records += 1
        kind = "one batch of small records beyond max.message.bytes"
        status, detail = await produce(producer.send_batch(batch, own, partition=0))
        found.append(Attempt("oversized", kind, f"{own} ({records} records, {batch.size()} bytes)", status, detail))
    finally:
        await producer.stop()
    return found

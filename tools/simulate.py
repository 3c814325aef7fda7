"""`make simulate`: plays the partner systems and feeds a sample cohort through a running journey, showing progress.

Needs the stack from `make run`. Every participant is invented; mails land in the mail catcher's web page.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from collections import Counter

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.contracts.envelope import BaseMessage, Envelope, encode
from shared.contracts.topics import Kind, Stage, topic
from shared.settings import LOCAL_KAFKA
from tools.journeys import PartnerPlay, cohort_profile

WATCHED = [topic(stage, kind) for stage in Stage for kind in (Kind.EVENT, Kind.REJECTION)]


async def send(producer: AIOKafkaProducer, message: BaseMessage) -> None:
    key, headers, value = encode(message, Envelope.for_message(message, source="/partners/simulator"))
    await producer.send_and_wait(message.topic(), value=value, key=key, headers=headers)


async def simulate(bootstrap: str, participants: int, pace_s: float, timeout_s: float, seed: int) -> int:
    rng = random.Random(seed)
    play = PartnerPlay()
    consumer = AIOKafkaConsumer(*WATCHED, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="latest")
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    await consumer.start()
    await producer.start()
    try:
        await asyncio.sleep(1)  # let the consumer take its positions before the first command
        for i in range(participants):
            profile = cohort_profile(i, rng)
            for command in play.start(profile):
                await send(producer, command)
                print(
                    f"→ {command.kafka_key()[:8]}  {type(command).__name__}  (walk: {profile.walk})",
                    flush=True,
                )
            await asyncio.sleep(pace_s)
        seen: Counter[str] = Counter()
        deadline = time.monotonic() + timeout_s
        while not all(j.done for j in play.journeys.values()) and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                for record in records:
                    headers = {k: v.decode() for k, v in record.headers}
                    ce_type = headers.get("ce_type", "?")
                    body = json.loads(record.value)
                    pid = str(body.get("participant_id") or "")
                    if pid not in play.journeys:
                        continue
                    name = ce_type.split(".")[2]
                    seen[name] += 1
                    detail = body.get("reason") or body.get("outcome") or body.get("milestone") or ""
                    print(f"  {pid[:8]}  {record.topic.split('.')[1]:<13} {name} {detail}", flush=True)
                    for command in play.react(ce_type, body):
                        await send(producer, command)
        done = sum(j.done for j in play.journeys.values())
        print(
            f"\n{done} of {participants} journeys walked their route to its end; events seen: "
            + ", ".join(f"{n} {k}" for k, n in sorted(seen.items()))
        )
        print("The e-mails are on the mail catcher's page: http://127.0.0.1:8025/")
        return 0 if done == participants else 1
    finally:
        await producer.stop()
        await consumer.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=6)
    parser.add_argument("--pace", type=float, default=1.0, help="seconds between two new participants")
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", LOCAL_KAFKA)
    return asyncio.run(simulate(bootstrap, args.participants, args.pace, args.timeout, args.seed))


if __name__ == "__main__":
    sys.exit(main())

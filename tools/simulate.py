"""`make simulate`: plays the partner systems and feeds a sample cohort through a running journey, showing progress.

Needs the stack from `make run`. Every participant and organisation is invented; mails land in Mailpit's
web page, the figures on the coordinator page (the reporting service). The cohort is spread over three regions and
three counselling centres (registered with their names), carries the ESF+ entry indicators, and a funding period
for the current year is defined first, so that the page has something to count.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import random
import sys
import time
from collections import Counter
from datetime import date, timedelta

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.contracts import organisations as og
from shared.contracts import reporting as rp
from shared.contracts.envelope import BaseMessage, Envelope, encode
from shared.contracts.recruitment import RegisterCandidate
from shared.contracts.topics import Kind, Stage, topic
from shared.settings import LOCAL_KAFKA
from tools.journeys import Journey, PartnerPlay, cohort_profile
from tools.walks import Await, Send, walk

WATCHED = [topic(stage, kind) for stage in Stage for kind in (Kind.EVENT, Kind.REJECTION)]


# Invented counselling centres, by region: (org_id, name, weight of the cohort it registers).
CENTRES: tuple[tuple[str, str, str, int], ...] = (
    ("iq-network-example", "DE-SL", "IQ Beratungsstelle Saarbrücken (Beispiel)", 6),
    ("welcome-centre-rp", "DE-RP", "Welcome Center Rheinland-Pfalz (Beispiel)", 3),
    ("migration-service-he", "DE-HE", "Migrationsdienst Hessen (Beispiel)", 2),
)


def organisation_name(org_id: str) -> str:
    """A readable name for an organisation a walk registers (its id is a label and a pseudonym prefix)."""
    label = org_id.rsplit("-", 1)[0].replace("-", " ").title()
    return f"{label} {org_id.rsplit('-', 1)[-1][:4].upper()} (Beispiel)"


def with_reporting_facts(command: BaseMessage, rng: random.Random) -> BaseMessage:
    """What partners in a funded project send besides the walk: ESF+ indicators at registration, names of the
    organisations they register."""
    if isinstance(command, RegisterCandidate) and command.indicators is None:
        indicators = rp.EntryIndicators(
            gender=rng.choices(list(rp.Gender), weights=(6, 3, 0.2, 0.5))[0],
            age_band=rng.choices(list(rp.AgeBand), weights=(0.2, 4, 6, 1))[0],
            education_level=rng.choices(list(rp.EducationLevel), weights=(0.5, 3, 6, 0.5))[0],
            labour_market_status=rng.choices(list(rp.LabourMarketStatus), weights=(2, 2, 1, 5, 1))[0],
        )
        return command.model_copy(update={"indicators": indicators})
    if isinstance(command, og.RegisterOrganisation) and command.name is None:
        return command.model_copy(update={"name": organisation_name(command.org_id)})
    return command


def set_up(today: date) -> list[BaseMessage]:
    """The funding period of this year and the counselling centres the cohort comes through."""
    period = rp.DefineFundingPeriod(
        period_id=f"esf-{today.year}",
        name=f"ESF+ {today.year} (Beispiel)",
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year, 12, 31),
    )
    centres = [
        og.RegisterOrganisation(org_id=org_id, org_kind=og.OrgKind.COUNSELLING_CENTRE, name=name, region=region)
        for org_id, region, name, _ in CENTRES
    ]
    return [period, *centres]


def stalled(play: PartnerPlay, region: str, partner_org: str) -> list[BaseMessage]:
    """A participant whose application was sent two months ago and whose receipt never came: the follow-up list's
    kind of case (receipt overdue, no progress). The nurse's walk, played as if 60 days ago, up to its application."""
    played = walk("nurse-adaptation", region=region, partner_org=partner_org, today=date.today() - timedelta(days=60))
    cut = next(
        i
        for i, step in enumerate(played.steps)
        if isinstance(step, Send) and type(step.message).__name__ == "SubmitApplication"
    )
    steps = (*played.steps[: cut + 1], Await(Stage.RECOGNITION, "ApplicationSubmitted", "the application is known"))
    journey = Journey(played.participant_id, dataclasses.replace(played, steps=steps, ends_with="ApplicationSubmitted"))
    play.journeys[str(played.participant_id)] = journey
    return journey.advance()


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
        for message in set_up(date.today()):
            await send(producer, message)
        for i in range(participants):
            org_id, region, _, _ = rng.choices(CENTRES, weights=[c[3] for c in CENTRES])[0]
            profile = dataclasses.replace(cohort_profile(i, rng), region=region, partner_org=org_id)
            # One in eight stalls after its application: the follow-up list has something to show.
            walk_name = "stalled after its application" if i % 8 == 7 else profile.walk
            commands = stalled(play, region, org_id) if i % 8 == 7 else play.start(profile)
            for command in commands:
                command = with_reporting_facts(command, rng)
                await send(producer, command)
                print(f"→ {command.kafka_key()[:8]}  {type(command).__name__}  (walk: {walk_name})", flush=True)
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
                        await send(producer, with_reporting_facts(command, rng))
        done = sum(j.done for j in play.journeys.values())
        print(
            f"\n{done} of {participants} journeys walked their route to its end; events seen: "
            + ", ".join(f"{n} {k}" for k, n in sorted(seen.items()))
        )
        print("The e-mails are in Mailpit: http://127.0.0.1:8025/")
        print("The figures and the follow-up list are on the coordinator page: http://127.0.0.1:8006/")
        return 0 if done == participants else 1
    finally:
        await producer.stop()
        await consumer.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--pace", type=float, default=0.25, help="seconds between two new participants")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", LOCAL_KAFKA)
    return asyncio.run(simulate(bootstrap, args.participants, args.pace, args.timeout, args.seed))


if __name__ == "__main__":
    sys.exit(main())

"""The probes of one run, deterministic for a seed and a run id.

Every template at least once (generic ones on every stage, rotating over its command types), then more of them until
the count is reached; a run smaller than that takes turns over (category, command type), so it still covers each.
"""

from __future__ import annotations

import copy
import json
import random
import uuid
from collections import defaultdict
from functools import cache
from typing import Any

from aiokafka.partitioner import murmur2

from shared.contracts.catalogue import BY_TYPE, commands_of
from shared.contracts.envelope import BaseMessage
from shared.contracts.examples import example_json
from shared.contracts.topics import Kind, Stage, topic
from tools.fuzz.header_probes import envelope_templates, type_templates
from tools.fuzz.key_probes import key_templates
from tools.fuzz.model import CE_TIME, Draft, Probe, Template, keyed_by_uuid
from tools.fuzz.payload_probes import command_templates
from tools.fuzz.value_probes import value_templates

ID_NAMESPACE = uuid.UUID("a3d1c7e2-5b4f-4e8a-9c6d-2f1e0b9a8c7d")
ALL_COMMANDS: tuple[type[BaseMessage], ...] = tuple(m for stage in Stage for m in commands_of(stage))


def all_templates() -> list[Template]:
    found = [*envelope_templates(), *type_templates(), *key_templates(), *value_templates()]
    for model in ALL_COMMANDS:
        found += command_templates(model)
    return found


@cache
def _example(model: type[BaseMessage]) -> str:
    return json.dumps(example_json(model))


def fresh_id(model: type[BaseMessage], run_id: str, label: str) -> str:
    """A UUID or a short code, as the model's key is, no other run uses."""
    if keyed_by_uuid(model):
        return str(uuid.uuid5(ID_NAMESPACE, f"{run_id}:{label}"))
    return f"fuzz-{run_id}-{label}"


def valid_payload(model: type[BaseMessage], key: str, region: str, partner_org: str) -> dict[str, Any]:
    """The catalogue's example of `model`, about `key`, in the run's own region."""
    payload: dict[str, Any] = json.loads(_example(model))
    payload[model.key_field] = key
    if "region" in payload:
        payload["region"] = region
    if payload.get("regions"):
        payload["regions"] = [region]
    if payload.get("partner_org"):
        payload["partner_org"] = partner_org
    return payload


def headers_for(model: type[BaseMessage], ce_id: str, key: str, source: str) -> list[tuple[str, bytes | None]]:
    """The envelope a partner sends (docs/partners.md, "Headers")."""
    values = {
        "ce_specversion": "1.0",
        "ce_id": ce_id,
        "ce_source": source,
        "ce_type": model.ce_type(),
        "ce_time": CE_TIME,
        "ce_subject": key,
        "content-type": "application/json",
    }
    return [(name, value.encode()) for name, value in values.items()]


def partition_of(key: bytes | None, partitions: int, index: int) -> int:
    """Where Kafka's default partitioner puts a keyed record; keyless probes are spread by their index."""
    return index % partitions if key is None else (murmur2(key) & 0x7FFFFFFF) % partitions


def _spread(entries: list[tuple[Template, type[BaseMessage]]], n: int) -> list[tuple[Template, type[BaseMessage]]]:
    """`n` entries taking turns over (category, command type), so that a small run still covers every pair."""
    groups: dict[tuple[str, str], list[tuple[Template, type[BaseMessage]]]] = defaultdict(list)
    for entry in entries:
        groups[(entry[0].category, entry[1].ce_type())].append(entry)
    chosen: list[tuple[Template, type[BaseMessage]]] = []
    while len(chosen) < n:
        for group in groups.values():
            if group and len(chosen) < n:
                chosen.append(group.pop(0))
    return chosen


def plan(n: int, seed: int, run_id: str, region: str, partitions: dict[str, int]) -> list[Probe]:
    rng = random.Random(seed)
    entries: list[tuple[Template, type[BaseMessage]]] = []
    turn = 0
    for template in all_templates():
        if template.ce_type is not None:
            entries.append((template, BY_TYPE[template.ce_type]))
            continue
        for stage in Stage:
            models = commands_of(stage)
            entries.append((template, models[turn % len(models)]))
            turn += 1
    rng.shuffle(entries)
    if n <= len(entries):
        chosen = _spread(entries, n)
    else:
        light = [e for e in entries if not e[0].heavy]
        extra = [light[rng.randrange(len(light))] for _ in range(n - len(entries))]
        chosen = entries + [(t, m if t.ce_type else ALL_COMMANDS[rng.randrange(len(ALL_COMMANDS))]) for t, m in extra]
    rng.shuffle(chosen)
    return [build(i, t, m, seed, run_id, region, partitions) for i, (t, m) in enumerate(chosen)]


def build(
    index: int,
    template: Template,
    model: type[BaseMessage],
    seed: int,
    run_id: str,
    region: str,
    partitions: dict[str, int],
) -> Probe:
    """The valid command `model` about a fresh id, broken by `template`."""
    key = fresh_id(model, run_id, f"p{index}")
    ce_id = f"fuzz-{run_id}-p{index}"
    payload = valid_payload(model, key, region, f"fuzz-{run_id}")
    draft = Draft(
        model, copy.deepcopy(payload), key.encode(), headers_for(model, ce_id, key, f"/partners/fuzz-{run_id}")
    )
    template.mutate(draft, random.Random(f"{seed}:{index}"))
    commands = topic(model.stage, Kind.COMMAND)
    return Probe(
        index=index,
        category=template.category,
        defect=template.defect,
        label=template.label,
        stage=model.stage,
        ce_type=model.ce_type(),
        key=draft.key,
        value=draft.value if draft.raw else draft.text().encode(),
        headers=tuple(draft.headers),
        partition=partition_of(draft.key, partitions.get(commands, 3), index),
        hazardous=template.hazardous,
        heavy=template.heavy,
        ce_id=ce_id,
    )

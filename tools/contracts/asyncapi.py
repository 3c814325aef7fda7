"""One AsyncAPI 3.0 document for the whole journey, built straight from the catalogue (partner's viewpoint)."""

from __future__ import annotations

from pydantic.json_schema import models_json_schema

from shared.contracts.envelope import CONTENT_TYPE, EXAMPLE_PARTICIPANT
from shared.contracts.examples import example_json
from shared.contracts.topics import Kind, Stage, topic
from tools.contracts.schemas import Entry, Schema, entries, headers_schema

ASYNCAPI_VERSION = "3.0.0"
DOCUMENT_VERSION = "1.0.0"
KAFKA_BINDING = "0.5.0"
HEADERS = "CloudEventsHeaders"

DESCRIPTION = """\
Integration Journey: five services (recruitment, recognition, qualification, placement, notifications)
guide people with foreign qualifications from recruitment to lasting employment.

**Viewpoint: a partner system.** Operations say what *a partner* does: it `send`s commands to
`journey.<stage>.commands` and `receive`s the canonical facts from `journey.<stage>.events` and the
refusals of its commands from `journey.<stage>.rejections`. (The stage's service does the opposite.)

Every record is a CloudEvents 1.0 event in Kafka binary mode: the `ce_*` headers carry the context, the
value is the JSON payload. The Kafka key is the pseudonymous `participant_id` (in the notification
directory: the `recipient_id`), equal to `ce_subject`, so one participant's messages stay in order.
Events carry coarse codes only: never names, contact data, birth dates, health data or decision reasons.
See docs/partners.md for the walk-through, rejection codes and versioning rules."""

KIND_TEXT = {
    Kind.COMMAND: "What partner systems report or ask for. Anyone authorised may write here.",
    Kind.EVENT: "The canonical facts, written only by the {stage} service.",
    Kind.REJECTION: "Every command the {stage} service could not apply, with the original record and a reason code.",
}


def _ref(*path: str) -> dict[str, str]:
    return {"$ref": "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in path)}


def _component_schemas(all_entries: list[Entry]) -> dict[str, Schema]:
    models = list(dict.fromkeys(e.model for e in all_entries))
    _, top = models_json_schema([(m, "validation") for m in models], ref_template="#/components/schemas/{model}")
    schemas: dict[str, Schema] = dict(top.get("$defs", {}))
    schemas[HEADERS] = {k: v for k, v in headers_schema().items() if k != "$schema"}
    return dict(sorted(schemas.items()))


def _message(entry: Entry) -> Schema:
    header_values: Schema = {"ce_type": {"const": entry.ce_type}}
    if entry.kind is not Kind.COMMAND:
        header_values["ce_source"] = {"const": entry.source}
    description = (entry.model.__doc__ or "").strip()
    if entry.milestone:
        description += f"\n\nMilestone: `{entry.milestone}`."
    key = "the rejected record's key" if entry.kind is Kind.REJECTION else f"`{entry.key_field}`"
    message: Schema = {
        "name": entry.name,
        "title": entry.ce_type,
        "summary": entry.summary,
        "description": description,
        "contentType": CONTENT_TYPE,
        "headers": {"allOf": [_ref("components", "schemas", HEADERS), {"type": "object", "properties": header_values}]},
        "payload": _ref("components", "schemas", entry.name),
        "correlationId": {"description": "The message id.", "location": "$message.header#/ce_id"},
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": f"Kafka key: {key}, equal to `ce_subject`."},
                "bindingVersion": KAFKA_BINDING,
            }
        },
        "examples": [{"name": entry.name, "headers": _example_headers(entry), "payload": example_json(entry.model)}],
    }
    if entry.deprecated:
        message["x-deprecated"] = True
    return message


def _example_headers(entry: Entry) -> dict[str, str]:
    key = str(example_json(entry.model).get(entry.key_field) or EXAMPLE_PARTICIPANT)
    return {
        "ce_specversion": "1.0",
        "ce_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        "ce_source": entry.source.replace("<your-org>", "counselling-example"),
        "ce_type": entry.ce_type,
        "ce_time": "2025-05-28T09:15:00Z",
        "ce_subject": key,
        "content-type": CONTENT_TYPE,
    }


def _operation_id(stage: Stage, kind: Kind) -> str:
    verb = "send" if kind is Kind.COMMAND else "receive"
    return f"{verb}{stage.value.title()}{kind.value.title()}"


def build() -> Schema:
    """The document as plain data; channels and operations in catalogue order, components sorted."""
    all_entries = entries()
    channels: dict[str, Schema] = {}
    operations: dict[str, Schema] = {}
    for stage in Stage:
        for kind in Kind:
            address = topic(stage, kind)
            here = [e for e in all_entries if e.stage is stage and e.kind is kind]
            channels[address] = {
                "address": address,
                "title": address,
                "description": KIND_TEXT[kind].format(stage=stage.value),
                "messages": {e.ce_type: _ref("components", "messages", e.ce_type) for e in here},
                "bindings": {"kafka": {"bindingVersion": KAFKA_BINDING}},
            }
            operations[_operation_id(stage, kind)] = {
                "action": "send" if kind is Kind.COMMAND else "receive",
                "channel": _ref("channels", address),
                "summary": f"A partner {'sends' if kind is Kind.COMMAND else 'receives'} {stage.value} {kind.value}.",
                "messages": [_ref("channels", address, "messages", e.ce_type) for e in here],
            }
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {"title": "Integration Journey", "version": DOCUMENT_VERSION, "description": DESCRIPTION},
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "kafka": {
                "host": "kafka.example.org:9092",
                "protocol": "kafka",
                "description": "Placeholder: operators give each partner the real bootstrap servers and credentials.",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": _component_schemas(all_entries),
            "messages": {e.ce_type: _message(e) for e in sorted(all_entries, key=lambda e: e.ce_type)},
        },
    }

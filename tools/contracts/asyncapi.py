"""One AsyncAPI 3.0 document for the whole journey, built straight from the catalogue (partner's viewpoint)."""

from __future__ import annotations

from pydantic.json_schema import models_json_schema

from shared.contracts.envelope import CONTENT_TYPE, EXAMPLE_PARTICIPANT
from shared.contracts.examples import example_json
from shared.contracts.topics import ORG_ID_PATTERN, PARTNER_STAGES, Kind, Stage, topic
from tools.contracts.schemas import Entry, Schema, entries, headers_schema

ASYNCAPI_VERSION = "3.0.0"
DOCUMENT_VERSION = "1.0.0"
KAFKA_BINDING = "0.5.0"
HEADERS = "CloudEventsHeaders"

DESCRIPTION = """\
Integration Journey: five services (recruitment, recognition, qualification, placement, notifications)
guide people with foreign qualifications from recruitment to lasting employment.

**Viewpoint: a partner system.** Operations say what *a partner* does: it `send`s commands to its own
`journey.<stage>.commands.<org>` and `receive`s the canonical facts from `journey.<stage>.events` and the
refusals of its commands from its own `journey.<stage>.rejections.<org>`. (The stage's service does the
opposite.) The shared `journey.<stage>.commands` and `journey.<stage>.rejections` are the services' and the
operators' (reporting takes commands from operators only).

The bus is authenticated and authorised: SASL/SCRAM-SHA-512 over TLS, one principal `partner-<org>` per
partner organisation, Kafka ACLs that let it write only its own commands topics and read only the events and
its own rejections; a command must say it is from that organisation (`ce_source: /partners/<org>`) and be
about a participant the organisation is involved with, or it is rejected (`forged_organisation`,
`not_involved`, `not_permitted`).

Every record is a CloudEvents 1.0 event in Kafka binary mode: the `ce_*` headers carry the context, the
value is the JSON payload. The Kafka key is the pseudonymous `participant_id` (in the notification
directory: the `recipient_id`), equal to `ce_subject`, so one participant's messages stay in order.
Events carry coarse codes only: never names, contact data, birth dates, health data or decision reasons.
See docs/partners.md for the walk-through, rejection codes and versioning rules."""

KIND_TEXT = {
    Kind.COMMAND: "Commands from the services and the operators (their ACLs only); partners send on their own topic.",
    Kind.EVENT: "The canonical facts, written only by the {stage} service; every partner may read them.",
    Kind.REJECTION: "Every command of the services and operators the {stage} service could not apply, with the original"
    " record and a reason code (operators read it).",
}
PARTNER_TEXT = {
    Kind.COMMAND: "What partner organisation `{{org}}` reports or asks for: only its principal `partner-{{org}}` may"
    " write here, only the {stage} service reads it.",
    Kind.REJECTION: "Every command of partner organisation `{{org}}` the {stage} service could not apply, with the"
    " original record and a reason code: only `partner-{{org}}` and the operators may read it.",
}
ORG_PARAMETER = {
    "description": f"Your organisation's id (`{ORG_ID_PATTERN}`), as in your principal `partner-<org>`.",
    "examples": ["counselling-example"],
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
            channels[address] = _channel(address, KIND_TEXT[kind].format(stage=stage.value), here)
            if kind is not Kind.EVENT and stage in PARTNER_STAGES:
                address = f"{address}.{{org}}"
                channels[address] = {
                    **_channel(address, PARTNER_TEXT[kind].format(stage=stage.value), here),
                    "parameters": {"org": ORG_PARAMETER},
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
                "host": "kafka.example.org:9094",
                "protocol": "kafka-secure",
                "description": "Placeholder: operators give each partner the real bootstrap servers, the CA certificate"
                " and its credentials (docs/partners.md, Connecting).",
                "security": [_ref("components", "securitySchemes", "scram")],
            },
            "local": {
                "host": "127.0.0.1:9094",
                "protocol": "kafka-secure",
                "description": "The local stack (deploy/infra.sh up): CA in .local/kafka/tls/ca.crt, credentials in"
                " .local/kafka/credentials/partner-<org>.env.",
                "security": [_ref("components", "securitySchemes", "scram")],
            },
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "securitySchemes": {
                "scram": {
                    "type": "scramSha512",
                    "description": "SASL/SCRAM-SHA-512 over TLS (TLS 1.2 or 1.3; verify the broker's certificate"
                    " against the CA the operators give you). One principal per partner organisation:"
                    " `partner-<org>`.",
                }
            },
            "schemas": _component_schemas(all_entries),
            "messages": {e.ce_type: _message(e) for e in sorted(all_entries, key=lambda e: e.ce_type)},
        },
    }


def _channel(address: str, description: str, here: list[Entry]) -> Schema:
    return {
        "address": address,
        "title": address,
        "description": description,
        "messages": {e.ce_type: _ref("components", "messages", e.ce_type) for e in here},
        "bindings": {"kafka": {"bindingVersion": KAFKA_BINDING}},
    }

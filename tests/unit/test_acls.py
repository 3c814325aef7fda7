"""deploy/kafka/acls.txt grants each service what its spec consumes and publishes and nothing else, and a partner
never reads a commands topic nor writes events or rejections."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from shared.contracts.topics import Kind, Stage, topic
from shared.service import ServiceSpec
from tools.specs import SPECS

ACLS = Path(__file__).resolve().parents[2] / "deploy" / "kafka" / "acls.txt"


class Acl(NamedTuple):
    principal: str
    operation: str
    resource: str
    pattern: str
    name: str


def acls() -> list[Acl]:
    lines = [line.split() for line in ACLS.read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert all(len(fields) == 5 for fields in lines), "every line: principal operation resource pattern name"
    return [Acl(*fields) for fields in lines]


def granted(principal: str) -> set[Acl]:
    return {acl for acl in acls() if acl.principal == principal}


def expected_for(stage: Stage, consumes: list[str]) -> set[Acl]:
    me = f"journey-{stage.value}"
    own_commands, own_rejections = topic(stage, Kind.COMMAND), topic(stage, Kind.REJECTION)
    reads = {
        Acl(me, "READ", "TOPIC", "PREFIXED", name)
        if name == own_commands
        else Acl(me, "READ", "TOPIC", "LITERAL", name)
        for name in consumes
    }
    configs = {
        Acl(me, operation, "TOPIC", "PREFIXED", name)
        for operation in ("DESCRIBE_CONFIGS", "ALTER_CONFIGS")
        for name in (own_commands, own_rejections)
    }
    writes = {
        Acl(me, "WRITE", "TOPIC", "LITERAL", topic(stage, Kind.EVENT)),
        Acl(me, "WRITE", "TOPIC", "PREFIXED", own_rejections),
    }
    return reads | configs | writes | {Acl(me, "READ", "GROUP", "PREFIXED", f"{me}.")}


EXTRA = {Acl("journey-recruitment", "WRITE", "TOPIC", "LITERAL", topic(Stage.REPORTING, Kind.COMMAND))}
"""Beyond its spec: recruitment sends reporting its commands."""


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.stage.value)
def test_a_service_is_granted_what_its_spec_consumes_and_publishes_and_nothing_else(spec: ServiceSpec) -> None:
    me = f"journey-{spec.stage.value}"
    extra = {acl for acl in EXTRA if acl.principal == me}
    assert granted(me) == expected_for(spec.stage, list(spec.consumes)) | extra


def test_every_consumed_topic_is_readable_by_its_service() -> None:
    for spec in SPECS:
        readable = {acl.name for acl in granted(f"journey-{spec.stage.value}") if acl.operation == "READ"}
        assert set(spec.consumes) <= readable, spec.stage


def test_only_services_operators_and_partners_have_grants() -> None:
    services = {f"journey-{spec.stage.value}" for spec in SPECS}
    principals = {acl.principal for acl in acls()}
    assert principals == services | {"journey-operator", "partner-{org}"}


def test_a_partner_never_reads_a_commands_topic_nor_writes_events_or_rejections() -> None:
    partner = granted("partner-{org}")
    assert partner
    for acl in partner:
        if acl.resource == "GROUP":
            assert (acl.operation, acl.pattern, acl.name) == ("READ", "PREFIXED", "{org}.")
            continue
        assert acl.resource == "TOPIC" and acl.pattern == "LITERAL", acl
        kind = acl.name.split(".")[2]
        if acl.operation == "READ":
            assert kind in {Kind.EVENT, Kind.REJECTION}, acl
            assert kind == Kind.EVENT or acl.name.endswith(".{org}"), acl
        else:
            assert acl.operation == "WRITE", acl
            assert kind == Kind.COMMAND and acl.name.endswith(".{org}"), acl


def test_a_partner_writes_the_commands_topic_of_every_partner_stage_but_reporting() -> None:
    writes = {acl.name for acl in granted("partner-{org}") if acl.operation == "WRITE"}
    assert writes == {f"{topic(stage, Kind.COMMAND)}.{{org}}" for stage in Stage if stage != Stage.REPORTING}

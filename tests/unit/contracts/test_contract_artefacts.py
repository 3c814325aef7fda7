"""The committed partner artefacts are what the code generates, and hang together."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from shared.contracts.catalogue import ALL_MESSAGES
from shared.contracts.docstrings import member_docs
from shared.contracts.rejections import ACTIONS, RejectionReason
from shared.contracts.topics import ALL_TOPICS, PARTNER_STAGES, Kind, Stage, topic
from tools.contracts import artefacts, guide
from tools.contracts.__main__ import main

ROOT = artefacts.ROOT


@pytest.fixture
def copy_of_docs(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    return tmp_path


def test_committed_artefacts_are_what_the_code_generates() -> None:
    assert artefacts.drift() == [], "run `python -m tools.contracts generate` and commit the result"


def test_check_exits_zero_when_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_drift_names_changed_missing_and_stale_files(copy_of_docs: Path) -> None:
    schema = copy_of_docs / artefacts.SCHEMAS / "journey.recognition.RecordDecision.v1.json"
    schema.write_text(schema.read_text().replace('"decided_on"', '"decision_date"'))
    (copy_of_docs / artefacts.CONTRACTS / "asyncapi.yaml").unlink()
    (copy_of_docs / artefacts.SCHEMAS / "journey.recognition.Retired.v1.json").write_text("{}")
    guide_path = copy_of_docs / artefacts.GUIDE
    guide_path.write_text(guide_path.read_text().replace("#### Placement", "#### Placement (edited)"))

    report = "\n".join(artefacts.drift(copy_of_docs))

    assert "changed: docs/contracts/schemas/journey.recognition.RecordDecision.v1.json" in report
    assert "-" in report and "decision_date" in report
    assert "missing: docs/contracts/asyncapi.yaml" in report
    assert "stale (no longer generated): docs/contracts/schemas/journey.recognition.Retired.v1.json" in report
    assert "changed: docs/partners.md" in report


def test_generate_repairs_the_drift(copy_of_docs: Path) -> None:
    (copy_of_docs / artefacts.CONTRACTS / "asyncapi.yaml").write_text("asyncapi: 2.6.0\n")
    assert artefacts.CONTRACTS / "asyncapi.yaml" in artefacts.write(copy_of_docs)
    assert artefacts.drift(copy_of_docs) == []


def test_guide_is_refused_without_its_markers() -> None:
    with pytest.raises(ValueError, match="markers"):
        guide.splice("# hand-written only\n", guide.section())


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _follow(document: dict[str, object], ref: str) -> object:
    node: object = document
    for part in ref.removeprefix("#/").split("/"):
        assert isinstance(node, dict) and part in node, f"unresolved $ref {ref}"
        node = node[part]
    return node


PARTNER_KINDS = (Kind.COMMAND, Kind.REJECTION)


def test_asyncapi_has_a_channel_per_topic_and_every_reference_resolves() -> None:
    document = yaml.safe_load((ROOT / artefacts.CONTRACTS / "asyncapi.yaml").read_text())
    assert document["asyncapi"] == "3.0.0"
    partner_channels = [f"{topic(stage, kind)}.{{org}}" for stage in PARTNER_STAGES for kind in PARTNER_KINDS]
    assert sorted(document["channels"]) == sorted([*ALL_TOPICS, *partner_channels])
    assert {op["action"] for op in document["operations"].values()} == {"send", "receive"}
    # A partner sends on its own commands topic and reads its own rejections; reporting's are the operators'.
    used = {op["channel"]["$ref"].rsplit("/", 1)[-1].replace("~1", "/") for op in document["operations"].values()}
    assert {c for c in used if "{org}" in c} == set(partner_channels)
    for name in partner_channels:
        assert set(document["channels"][name]["parameters"]) == {"org"}
    for ref in set(_refs(document)):
        _follow(document, ref)
    messages = document["components"]["messages"]
    assert len(messages) == len(ALL_MESSAGES) + len(Stage)  # one MessageRejected per stage
    register = messages["journey.recruitment.RegisterCandidate.v1"]
    assert register["headers"]["allOf"][1]["properties"]["ce_type"] == {"const": register["title"]}
    assert "key" in register["bindings"]["kafka"]


def test_every_rejection_reason_is_explained_with_what_to_do() -> None:
    assert set(member_docs(RejectionReason)) == {r.value for r in RejectionReason}
    assert set(ACTIONS) == set(RejectionReason)

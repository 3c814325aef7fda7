"""docker-compose.yml is proven by compose-go (the real `composecheck` program) and tools/compose_check.py: the file
as it is passes; copies with one defect each fail with the finding that names it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import Field

from shared.settings import ServiceSettings
from tests.support.binaries import binary
from tests.support.infra import ROOT
from tools import compose_check

Compose = dict[str, Any]


@pytest.fixture(autouse=True)
def _composecheck() -> None:
    binary("composecheck")


def run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, mutate: Callable[[Compose], None] | None = None
) -> tuple[int, str]:
    """compose_check's exit status and its output for docker-compose.yml, or for a copy changed by `mutate` (the
    copy's relative paths still resolve from the repository)."""
    file = ROOT / "docker-compose.yml"
    if mutate is not None:
        compose = yaml.safe_load(file.read_text(encoding="utf-8"))
        mutate(compose)
        file = tmp_path / "docker-compose.yml"
        file.write_text(yaml.safe_dump(compose, sort_keys=False), encoding="utf-8")
    status = compose_check.main(["--file", str(file), "--project-directory", str(ROOT)])
    out = capsys.readouterr()
    return status, out.out + out.err


def test_the_compose_file_as_it_is_is_proven(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, output = run(capsys, tmp_path)
    assert status == 0, output
    assert "0 findings: proven" in output
    assert "kafka-setup: a one-shot set-up, no health check" in output


def test_a_service_without_a_healthcheck_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, output = run(capsys, tmp_path, lambda c: c["services"]["postgres"].pop("healthcheck"))
    assert status == 1
    assert "postgres: no healthcheck" in output.splitlines()


def test_a_set_up_its_dependents_only_start_after_needs_a_healthcheck(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def started(compose: Compose) -> None:
        compose["services"]["kafka"]["depends_on"]["kafka-certs"]["condition"] = "service_started"

    status, output = run(capsys, tmp_path, started)
    assert status == 1
    assert "kafka-certs: no healthcheck" in output.splitlines()


def test_kafka_latest_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, output = run(capsys, tmp_path, lambda c: c["services"]["kafka"].update(image="apache/kafka:latest"))
    assert status == 1
    assert "kafka: image 'apache/kafka:latest' has no explicit release tag" in output


def test_a_v_on_the_kafka_tag_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    tag = compose_check.split_image(
        yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["kafka"]["image"]
    )[1]
    status, output = run(capsys, tmp_path, lambda c: c["services"]["kafka"].update(image=f"apache/kafka:v{tag}"))
    assert status == 1
    assert f"kafka: image 'apache/kafka:v{tag}': tag 'v{tag}' is not in the registry's form" in output


def test_a_variable_no_setting_of_the_service_reads_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # SMTP_HOST is the notifications service's; recognition reads only the common settings.
    status, output = run(capsys, tmp_path, lambda c: c["services"]["recognition"]["environment"].update(SMTP_HOST="x"))
    assert status == 1
    assert "recognition: environment SMTP_HOST: no setting of ServiceSettings reads it" in output.splitlines()


class SettingsWithARequiredOne(ServiceSettings):
    """A service's settings with one no default stands in for."""

    partner_registry_url: str = Field(description="required: no default")


def test_a_required_setting_compose_does_not_set_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    project = compose_check.load(ROOT / "docker-compose.yml", ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    findings, _ = compose_check.check(project, readme, {"recognition": SettingsWithARequiredOne})
    assert [str(f) for f in findings] == [
        "recognition: environment PARTNER_REGISTRY_URL: required by SettingsWithARequiredOne, not set"
    ]
    project["services"]["recognition"]["environment"]["PARTNER_REGISTRY_URL"] = "https://registry.example.org/"
    assert compose_check.check(project, readme, {"recognition": SettingsWithARequiredOne})[0] == []


def test_an_invalid_compose_file_fails_on_the_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, output = run(capsys, tmp_path, lambda c: c["services"]["postgres"].update(restart_policy="always"))
    assert status == 1
    assert "compose: validating" in output and "services.postgres" in output and "restart_policy" in output


def test_a_variable_neither_set_nor_defaulted_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, output = run(capsys, tmp_path, lambda c: c["services"]["postgres"].update(image="postgres:${PG_TAG}"))
    assert status == 1
    assert 'compose: The "PG_TAG" variable is not set' in output


def test_a_port_the_readme_does_not_list_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, output = run(capsys, tmp_path, lambda c: c["services"]["mailpit"].update(ports=["18025:8025", "1025:1025"]))
    assert status == 1
    lines = output.splitlines()
    assert "mailpit: publishes port 18025, which the README's port table does not list for it" in lines
    assert "mailpit: the README lists port 8025, which compose does not publish for it" in lines


def test_a_mounted_file_that_is_not_there_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    def mount(compose: Compose) -> None:
        compose["services"]["kafka-setup"]["volumes"].append("./deploy/kafka/missing.txt:/setup/missing.txt:ro")

    status, output = run(capsys, tmp_path, mount)
    assert status == 1
    assert f"kafka-setup: mounted {ROOT}/deploy/kafka/missing.txt does not exist" in output.splitlines()

"""The partner guide's client example (docs/partners.md, Connecting) works as written: run as partner
`counselling-example` on the secured listener, it registers a candidate and receives the fact."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.infra import INFRA, Infra
from tests.support.processes import ServiceProcess
from tests.support.secure_kafka import credentials_file

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
MARK = "<!-- partner-client-example -->\n```python\n"
ORG = "counselling-example"


def guide_example() -> str:
    guide = (ROOT / "docs" / "partners.md").read_text(encoding="utf-8")
    assert MARK in guide, "the guide's client example is marked for this test"
    return guide.split(MARK, 1)[1].split("\n```\n", 1)[0] + "\n"


@pytest.fixture(scope="module")
def recruitment(infra: Infra, log_dir: Path) -> Iterator[ServiceProcess]:
    service = ServiceProcess("recruitment", infra, log_dir).start()
    yield service
    service.stop()


def run_guide_client(org: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The guide's client as partner `org`, with its credentials file's lines in the environment."""
    found = credentials_file(f"partner-{org}")
    if found is None:
        message = f"no credentials of partner-{org}: the secured listener comes with deploy/infra.sh up"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    script = tmp_path / "partner_client.py"
    script.write_text(guide_example(), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAFKA_")}
    for line in found.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            name, value = line.split("=", 1)
            env[name] = value
    env["PARTNER_ORG"] = org
    return subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def assert_recruited_by(done: subprocess.CompletedProcess[str], org: str) -> None:
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("journey.recruitment.ParticipantRecruited.v1 "), done.stdout
    assert f'"partner_org":"{org}"' in done.stdout.replace(" ", "")


def test_the_guides_client_registers_a_candidate_as_its_partner(
    infra: Infra, recruitment: ServiceProcess, tmp_path: Path
) -> None:
    assert_recruited_by(run_guide_client(ORG, tmp_path), ORG)


def test_a_partner_the_operator_adds_while_the_services_run_is_served_within_seconds(
    infra: Infra, recruitment: ServiceProcess, tmp_path: Path
) -> None:
    """README, "Adding a partner": `deploy/infra.sh partner-add`, hand over the file, and the partner's client works
    (the running stage finds the new commands topic by pattern within ten seconds)."""
    if not infra.local:
        pytest.skip(f"partner-add needs the local stack from deploy/infra.sh; this one is {infra.origin}")
    org = f"added-{uuid.uuid4().hex[:8]}"
    added = subprocess.run(["bash", str(INFRA), "partner-add", org], capture_output=True, text=True, check=False)
    try:
        assert added.returncode == 0, added.stderr
        assert added.stdout.strip().endswith(f"partner-{org}.env"), added.stdout
        # Sent at once: the stage's pattern consumer finds the new topic at its next metadata refresh and reads it from
        # its start, so the command waits there until then; the client waits for the answer.
        assert_recruited_by(run_guide_client(org, tmp_path), org)
        assert f"partner-{org} " in quotas_listed()  # throttled like every partner
    finally:
        subprocess.run(["bash", str(INFRA), "partner-remove", org], capture_output=True, check=False)
    assert credentials_file(f"partner-{org}") is None
    assert f"partner-{org} " not in quotas_listed()


def quotas_listed() -> str:
    return subprocess.run(["bash", str(INFRA), "quotas"], capture_output=True, text=True, check=True).stdout

"""The partner guide's client example (docs/partners.md, Connecting) works as written: run as partner
`counselling-example` on the secured listener, it registers a candidate and receives the fact."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.infra import Infra
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


def test_the_guides_client_registers_a_candidate_as_its_partner(
    infra: Infra, recruitment: ServiceProcess, tmp_path: Path
) -> None:
    found = credentials_file(f"partner-{ORG}")
    if found is None:
        message = f"no credentials of partner-{ORG}: the secured listener comes with deploy/infra.sh up"
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
    env["PARTNER_ORG"] = ORG

    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120, check=False
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("journey.recruitment.ParticipantRecruited.v1 "), done.stdout
    assert f'"partner_org":"{ORG}"' in done.stdout.replace(" ", "")

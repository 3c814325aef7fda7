"""A real Prometheus (`deploy/infra.sh tools prometheus`, compose's version) scrapes a real service with compose's
scrape job and evaluates compose's alert rules on what the service exports.

promtool's rule tests (tests/unit/deploy/test_alert_rules.py) prove the rules on series written by hand; this proves
the link: the scrape config's labels, the metric names and label sets the service really exports, and how
Prometheus reads a series that first appears (a counter born holding a burst shows no `increase()`).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiokafka import AIOKafkaProducer

from tests.support.binaries import binary
from tests.support.infra import Infra
from tests.support.processes import ServiceProcess, free_port

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "deploy" / "prometheus" / "alerts.yml"
SCRAPE = ROOT / "deploy" / "prometheus" / "prometheus.yml"


@pytest.fixture(scope="module")
def qualification(infra: Infra, log_dir: Path) -> Iterator[ServiceProcess]:
    service = ServiceProcess("qualification", infra, log_dir, WATCH_INTERVAL_S="0.5").start()
    yield service
    service.stop()


def compose_scrape_config(service: ServiceProcess, rules: Path) -> dict[str, Any]:
    """compose's prometheus.yml as it is, but for the one target (the service on this machine) and quicker rounds."""
    config: dict[str, Any] = yaml.safe_load(SCRAPE.read_text())
    config["global"] = {"scrape_interval": "1s", "evaluation_interval": "1s"}
    config["rule_files"] = [str(rules)]
    [job] = config["scrape_configs"]
    [target] = [t for t in job["static_configs"] if t["labels"]["service"] == service.stage]
    job["static_configs"] = [{**target, "targets": [f"127.0.0.1:{service.port}"]}]
    return config


class Prometheus:
    def __init__(self, port: int) -> None:
        self.api = f"http://127.0.0.1:{port}/api/v1"

    def get(self, path: str, **query: str) -> Any:
        url = f"{self.api}/{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.load(response)["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.get("query", query=expr)["result"]
        return result

    def rules(self) -> dict[str, dict[str, Any]]:
        return {rule["name"]: rule for group in self.get("rules")["groups"] for rule in group["rules"]}

    async def until(self, check: Callable[[], bool], what: str, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while not check():
            assert time.monotonic() < deadline, f"not within {timeout_s:.0f} s: {what}"
            await asyncio.sleep(0.5)


@pytest.fixture(scope="module")
def prometheus(qualification: ServiceProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prometheus]:
    here = tmp_path_factory.mktemp("prometheus")
    config = here / "prometheus.yml"
    config.write_text(yaml.safe_dump(compose_scrape_config(qualification, RULES)))
    port = free_port()
    log = (here / "prometheus.log").open("wb")
    proc = subprocess.Popen(
        [
            str(binary("prometheus")),
            f"--config.file={config}", f"--storage.tsdb.path={here / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    server = Prometheus(port)
    deadline = time.monotonic() + 30
    while True:
        try:
            server.get("status/buildinfo")
            break
        except OSError:
            assert proc.poll() is None, (here / "prometheus.log").read_text()
            assert time.monotonic() < deadline, "Prometheus did not answer within 30 s"
            time.sleep(0.2)
    yield server
    proc.terminate()
    proc.wait(10)
    log.close()


@pytest.fixture
async def producer(infra: Infra) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka, acks="all")
    await producer.start()
    yield producer
    await producer.stop()


async def test_the_scrape_job_labels_the_service_and_every_rule_evaluates_without_error(
    prometheus: Prometheus,
) -> None:
    await prometheus.until(lambda: bool(prometheus.query('up{job="journey",service="qualification"} == 1')), "up")
    await prometheus.until(
        lambda: bool(prometheus.query('journey_consumer_lag{service="qualification"}')), "the lag of its groups"
    )
    await asyncio.sleep(3)  # a few rounds of rule evaluation on what it exports

    rules = prometheus.rules()
    assert set(rules) == {
        rule["alert"] for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]
    }
    assert {name: rule["health"] for name, rule in rules.items()} == dict.fromkeys(rules, "ok")
    # The service is up and ready (what else is pending depends on what earlier tests left in the shared schemas).
    assert rules["JourneyServiceDown"]["state"] == rules["JourneyServiceNotReady"]["state"] == "inactive"


async def test_a_burst_of_rejections_on_a_quiet_topic_makes_the_spike_alert_pending(
    prometheus: Prometheus, producer: AIOKafkaProducer
) -> None:
    """The stage's first rejections on the topic: their counters must exist at 0 before, or `increase()` sees none."""
    topic = "journey.qualification.commands"
    await prometheus.until(lambda: bool(prometheus.query(f'journey_rejections_total{{topic="{topic}"}}')), "scraped")
    for n in range(12):
        await producer.send_and_wait(topic, key=f"burst-{n}".encode(), value=b"{not json")

    def pending() -> bool:
        alert = prometheus.rules()["JourneyRejectionsSpiking"]
        return any(
            a["state"] in ("pending", "firing") and a["labels"].get("service") == "qualification"
            for a in alert["alerts"]
        )

    await prometheus.until(pending, "JourneyRejectionsSpiking pending for qualification")
    spiked = prometheus.query(f'sum by (reason) (increase(journey_rejections_total{{topic="{topic}"}}[10m])) > 0')
    assert "missing_envelope" in {series["metric"]["reason"] for series in spiked}

"""The alert rules hold up: promtool checks them and the Prometheus config, runs their unit tests (alerts.test.yml),
and fails on a rule with a bad expression or a test the rules do not meet; every alert has a case where it fires and
one where it does not; the dashboard and the rules use only metrics the services export."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml
from prometheus_client import Counter, Gauge, Histogram
from prometheus_client.metrics import MetricWrapperBase

import shared.metrics
from tests.support.binaries import binary

ROOT = Path(__file__).resolve().parents[3]
PROMETHEUS = ROOT / "deploy" / "prometheus"
DASHBOARD = ROOT / "deploy" / "grafana" / "dashboards" / "journey.json"
METRIC = re.compile(r"\bjourney_[a-z_]+")


def promtool(*args: str, cwd: Path = PROMETHEUS) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(binary("promtool")), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def alerts(directory: Path = PROMETHEUS) -> list[dict[str, Any]]:
    groups = yaml.safe_load((directory / "alerts.yml").read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def copy_of_the_rules(tmp_path: Path) -> Path:
    for name in ("alerts.yml", "alerts.test.yml"):
        shutil.copy(PROMETHEUS / name, tmp_path / name)
    return tmp_path


def change(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} is not once in {path.name}"
    path.write_text(text.replace(old, new))


def series() -> dict[str, set[str]]:
    """Each metric of the services (shared/metrics.py) and the series names it puts on /metrics."""
    found: dict[str, set[str]] = {}
    for metric in vars(shared.metrics).values():
        if not isinstance(metric, MetricWrapperBase):
            continue
        [family] = metric.describe()
        name = family.name
        if isinstance(metric, Counter):
            found[name] = {f"{name}_total", f"{name}_created"}
        elif isinstance(metric, Histogram):
            found[name] = {f"{name}_bucket", f"{name}_sum", f"{name}_count", f"{name}_created"}
        else:
            assert isinstance(metric, Gauge), f"{name}: a kind of metric this test does not know"
            found[name] = {name}
    return found


def exported() -> set[str]:
    return set().union(*series().values())


def test_the_prometheus_config_and_the_rules_pass_promtool_check() -> None:
    checked = promtool("check", "config", "prometheus.yml")

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"SUCCESS: {len(alerts())} rules found" in checked.stdout


def test_every_alert_passes_its_unit_tests() -> None:
    tested = promtool("test", "rules", "alerts.test.yml")

    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "SUCCESS" in tested.stdout


def test_a_rule_with_a_bad_expression_fails_the_check(tmp_path: Path) -> None:
    rules = copy_of_the_rules(tmp_path) / "alerts.yml"
    change(rules, "(journey_outbox_oldest_pending_seconds) > 300", "(> 300 journey_outbox_oldest_pending_seconds)")

    checked = promtool("check", "rules", "alerts.yml", cwd=tmp_path)

    assert checked.returncode != 0
    assert '"JourneyOutboxStuck": could not parse expression' in checked.stdout + checked.stderr


def test_a_rule_that_no_longer_fires_when_its_test_expects_it_fails_the_tests(tmp_path: Path) -> None:
    rules = copy_of_the_rules(tmp_path) / "alerts.yml"
    change(rules, "(journey_outbox_oldest_pending_seconds) > 300", "(journey_outbox_oldest_pending_seconds) > 3000")

    tested = promtool("test", "rules", "alerts.test.yml", cwd=tmp_path)

    assert tested.returncode != 0
    assert "alertname: JourneyOutboxStuck" in tested.stdout + tested.stderr


def test_a_test_expecting_an_alert_the_rules_do_not_raise_fails(tmp_path: Path) -> None:
    tests = copy_of_the_rules(tmp_path) / "alerts.test.yml"
    change(
        tests,
        "eval_time: 3m\n        alertname: JourneyServiceDown\n        exp_alerts: []",
        "eval_time: 3m\n        alertname: JourneyServiceDown\n        exp_alerts:\n"
        '          - exp_labels: {severity: critical, job: journey, service: placement, instance: "placement:8080"}',
    )

    tested = promtool("test", "rules", "alerts.test.yml", cwd=tmp_path)

    assert tested.returncode != 0
    assert "alertname: JourneyServiceDown, time: 3m" in tested.stdout + tested.stderr


def test_every_alert_has_a_case_where_it_fires_and_one_where_it_does_not() -> None:
    cases = [
        case
        for test in yaml.safe_load((PROMETHEUS / "alerts.test.yml").read_text())["tests"]
        for case in test.get("alert_rule_test", [])
    ]

    for rule in alerts():
        name = rule["alert"]
        assert any(c["alertname"] == name and c.get("exp_alerts") for c in cases), f"{name} never fires in a test"
        assert any(c["alertname"] == name and not c.get("exp_alerts") for c in cases), f"{name}: no quiet case"


def test_every_alert_waits_says_how_severe_it_is_and_what_to_do() -> None:
    for rule in alerts():
        name = rule["alert"]
        assert rule.get("for"), f"{name} fires on a single evaluation"
        assert rule["labels"]["severity"] in {"critical", "warning"}, name
        assert rule["annotations"]["summary"], name
        assert len(rule["annotations"]["description"]) > 150, f"{name}: the description must say what to do"


def test_the_dashboard_and_the_rules_use_only_metrics_the_services_export() -> None:
    dashboard = DASHBOARD.read_text()
    used_by_dashboard = set(METRIC.findall(dashboard))
    used_by_rules = set(METRIC.findall((PROMETHEUS / "alerts.yml").read_text()))

    assert used_by_rules <= exported(), f"not exported: {used_by_rules - exported()}"
    assert used_by_dashboard <= exported(), f"not exported: {used_by_dashboard - exported()}"


def test_the_dashboard_shows_every_metric_the_services_export() -> None:
    shown = {
        name
        for panel in json.loads(DASHBOARD.read_text())["panels"]
        for target in panel.get("targets", [])
        for name in METRIC.findall(target["expr"])
    }

    missing = {metric for metric, names in series().items() if not names & shown}

    assert not missing, f"on no panel: {sorted(missing)}"


def test_every_dashboard_query_is_valid_promql(tmp_path: Path) -> None:
    queries = [
        target["expr"] for panel in json.loads(DASHBOARD.read_text())["panels"] for target in panel.get("targets", [])
    ]
    rules = [{"record": f"dashboard:query_{n}:check", "expr": query} for n, query in enumerate(queries)]
    (tmp_path / "queries.yml").write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))

    checked = promtool("check", "rules", "queries.yml", cwd=tmp_path)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"SUCCESS: {len(queries)} rules found" in checked.stdout


def test_the_dashboard_reads_the_provisioned_data_source() -> None:
    source = yaml.safe_load((ROOT / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text())
    [uid] = [s["uid"] for s in source["datasources"]]

    for panel in json.loads(DASHBOARD.read_text())["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == uid, panel["title"]

"""What the load cost the Kafka broker, by request type: its own JMX counters read before and after
(`BrokerRequests.java`, run with the JDK's single-file launcher; the attach API needs no broker setting)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tools.bench.stack import LOCAL
from tools.bench.stack import _pid_in as pid_in

READER = Path(__file__).with_name("BrokerRequests.java")
SUBSETS = {"FetchConsumer", "FetchFollower"}  # already counted in Fetch


def counters() -> dict[str, Any] | None:
    """The broker's cumulative counters now, or None when they cannot be read (no broker here, no JDK)."""
    pid = pid_in(LOCAL / "kafka" / "kafka.pid")
    if not pid:
        return None
    try:
        out = subprocess.run(["java", str(READER), pid], capture_output=True, text=True, timeout=60, check=True).stdout
        found: dict[str, Any] = json.loads(out)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return found


def cost(before: dict[str, Any] | None, after: dict[str, Any] | None, messages: int) -> dict[str, Any] | None:
    """Requests and broker CPU during the load, in total and per message of the load."""
    if before is None or after is None or not messages:
        return None
    requests: dict[str, dict[str, float]] = {}
    for name, now in after["requests"].items():
        then = before["requests"].get(name, {"count": 0, "time_ms": 0})
        count = now["count"] - then["count"]
        if name in SUBSETS or count <= 0:
            continue
        requests[name] = {
            "count": count,
            "per_message": round(count / messages, 3),
            "time_ms": now["time_ms"] - then["time_ms"],
        }
    cpu_s = (after["cpu_ns"] - before["cpu_ns"]) / 1e9
    return {
        "messages": messages,
        "cpu_s": round(cpu_s, 1),
        "cpu_ms_per_message": round(1000 * cpu_s / messages, 2),
        "requests": dict(sorted(requests.items(), key=lambda item: -item[1]["count"])),
        "requests_per_message": round(sum(r["count"] for r in requests.values()) / messages, 2),
        "records_appended": after["messages_in"] - before["messages_in"],
        "bytes_in": after["bytes_in"] - before["bytes_in"],
        "bytes_out": after["bytes_out"] - before["bytes_out"],
    }

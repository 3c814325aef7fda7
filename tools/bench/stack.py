"""The system under test: the local Kafka and PostgreSQL (deploy/infra.sh) and the five services as processes.

Each service gets a free HTTP port, its own log file and the settings a benchmark wants (cheap logs, a short timer
sweep so the six-month retention check fires at once). `kill()` is a real `kill -9`; `vm_hwm_kib()` reads the
peak resident memory from /proc.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tools.bench.mailsink import free_port

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "deploy" / "infra.sh"
SERVICES = ("recruitment", "recognition", "qualification", "placement", "notifications", "reporting")


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values) - idle) / ticks, sum(values) / ticks


def _proc_cpu(pid: str, children: bool = False) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def infra_cpu() -> dict[str, dict[str, float]]:
    """CPU seconds so far of the Kafka broker and of every PostgreSQL process (server and backends), per pid.

    Backends that exit between two readings take their share with them unless the server reaped them, so the
    PostgreSQL figure is a lower bound.
    """
    found: dict[str, dict[str, float]] = {"kafka": {}, "postgresql": {}}
    kafka_pid = ROOT / ".local" / "kafka" / "kafka.pid"
    pid = kafka_pid.read_text().strip() if kafka_pid.exists() else ""
    if pid and (cpu := _proc_cpu(pid)) is not None:
        found["kafka"][pid] = cpu
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                comm = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if comm.startswith("postgres") and (cpu := _proc_cpu(entry.name, children=True)) is not None:
                found["postgresql"][entry.name] = cpu
    return found


def cpu_delta(before: dict[str, float], after: dict[str, float]) -> float:
    """CPU seconds used between two readings of the same processes (new ones count from zero)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def process_cpu() -> float:
    """User + system CPU seconds of this process (load generator and mail sink)."""
    times = os.times()
    return times.user + times.system


def infra_running() -> bool:
    return subprocess.run(["bash", str(INFRA), "status"], capture_output=True).returncode == 0


def infra_up() -> dict[str, str]:
    """Start (or find) the local Kafka and PostgreSQL; their addresses as environment variables."""
    out = subprocess.run(["bash", str(INFRA), "up"], check=True, stdout=subprocess.PIPE, text=True).stdout
    return dict(line.removeprefix("export ").split("=", 1) for line in out.splitlines() if line.startswith("export "))


def infra(action: str) -> float:
    """`kafka-kill`, `kafka-start`, `pg-kill`, `pg-start`: run it, return how long it took."""
    started = time.monotonic()
    subprocess.run(["bash", str(INFRA), action], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.monotonic() - started


class Service:
    """One service process: `python -m services.<name>` with its own port and log."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.port = free_port()
        self.env = {**env, "HTTP_PORT": str(self.port)}
        self.log_path = log_dir / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def pid(self) -> int | None:
        return None if self.proc is None else self.proc.pid

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", f"services.{self.name}"], cwd=ROOT, env=self.env, stdout=log, stderr=log
            )
        self.starts += 1

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health/ready", timeout=2) as response:
                return bool(response.status == 200)
        except Exception:
            return False

    def wait_ready(self, timeout_s: float = 120) -> float:
        """Block until /health/ready answers 200; return the seconds it took."""
        started = time.monotonic()
        while time.monotonic() - started < timeout_s:
            if not self.alive():
                raise RuntimeError(f"{self.name} exited ({self.proc and self.proc.returncode}); see {self.log_path}")
            if self.ready():
                return time.monotonic() - started
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} not ready after {timeout_s:.0f}s; see {self.log_path}")

    def vm_hwm_kib(self) -> int | None:
        """Peak resident set size (VmHWM) of the running process, in KiB."""
        if not self.alive():
            return None
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except OSError:
            return None
        return None

    def cpu_seconds(self) -> float | None:
        """User + system CPU time the running process used so far."""
        if not self.alive():
            return None
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def kill(self) -> None:
        """`kill -9`: no shutdown hook runs, open transactions are lost, offsets stay where they were."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self, timeout_s: float = 20) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.kill()


class Stack:
    """The five services against one Kafka, one PostgreSQL and one SMTP server."""

    def __init__(
        self,
        infra_env: dict[str, str],
        *,
        smtp_port: int,
        directory_file: Path,
        log_dir: Path,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        log_dir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            **infra_env,
            "PYTHONUNBUFFERED": "1",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "WARNING",
            "TIMER_SWEEP_INTERVAL_S": "0.5",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp_port),
            "NOTIFICATIONS_DIRECTORY_FILE": str(directory_file),
            **(extra_env or {}),
        }
        self.services = {name: Service(name, env, log_dir) for name in SERVICES}
        self.log_dir = log_dir

    def start(self, timeout_s: float = 180) -> dict[str, float]:
        for service in self.services.values():
            service.start()
        return {name: service.wait_ready(timeout_s) for name, service in self.services.items()}

    def dead(self) -> list[str]:
        return [name for name, service in self.services.items() if not service.alive()]

    def all_ready(self) -> bool:
        return all(service.ready() for service in self.services.values())

    def wait_all_ready(self, timeout_s: float = 180) -> float:
        started = time.monotonic()
        for service in self.services.values():
            service.wait_ready(max(1.0, timeout_s - (time.monotonic() - started)))
        return time.monotonic() - started

    def cpu_seconds(self) -> dict[str, float | None]:
        return {name: service.cpu_seconds() for name, service in self.services.items()}

    def peak_memory_kib(self) -> dict[str, int | None]:
        return {name: service.vm_hwm_kib() for name, service in self.services.items()}

    def stop(self) -> None:
        for service in self.services.values():
            if service.proc is not None and service.proc.poll() is None:
                service.proc.send_signal(signal.SIGTERM)
        for service in self.services.values():
            service.stop()


def directory_yaml(recipient_id: str, email: str, region: str) -> str:
    """One coordinator for the bench's own region, every milestone (format: deploy/directory.example.yaml)."""
    return (
        "# Written by tools/bench for one run: the coordinator of the bench's own region.\n"
        "recipients:\n"
        f"  - recipient_id: {recipient_id}\n"
        "    recipient_kind: coordinator\n"
        f"    email: {email}\n"
        f"    display_name: Bench coordinator {recipient_id}\n"
        f"    regions: [{region}]\n"
        "    milestones: all\n"
        "    default_delivery: immediate\n"
        "    language: en\n"
    )

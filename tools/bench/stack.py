"""The system under test: the local Kafka and PostgreSQL (deploy/infra.sh) and the six services as processes.

Each service process gets a free HTTP port, its own log file and the settings a benchmark wants (cheap logs, a short
timer sweep so the six-month retention check fires at once). With `instances` > 1 every service runs that many
processes (`recognition#1`, `recognition#2`...) in the same consumer groups, as a scaled-out deployment would.
`kill()` is a real `kill -9`; `vm_hwm_kib()` reads the peak resident memory from /proc. deploy/infra.sh is run with
this process's environment, so `JOURNEY_LOCAL_DIR`, `KAFKA_PORT` and `PG_PORT` choose the stack.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tools.bench.mailsink import free_port
from tools.credentials import service_env

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "deploy" / "infra.sh"
# Where deploy/infra.sh keeps the stack's state (its pid files), by the same rule as the script.
LOCAL = Path(os.environ.get("JOURNEY_LOCAL_DIR") or ROOT / ".local")
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
    """CPU seconds so far of this stack's Kafka broker and PostgreSQL processes (server and backends), per pid.

    Only the stack deploy/infra.sh runs for this environment counts (its pid files), not another cluster on the same
    machine. Backends that exit between two readings take their share with them unless the server reaped them, so
    the PostgreSQL figure is a lower bound.
    """
    found: dict[str, dict[str, float]] = {"kafka": {}, "postgresql": {}}
    kafka = _pid_in(LOCAL / "kafka" / "kafka.pid")
    if kafka and (cpu := _proc_cpu(kafka)) is not None:
        found["kafka"][kafka] = cpu
    postmaster = _pid_in(LOCAL / "postgres" / "data" / "postmaster.pid")
    for entry in Path("/proc").iterdir():
        ours = postmaster and entry.name.isdigit() and postmaster in (entry.name, _parent(entry.name))
        if ours and (cpu := _proc_cpu(entry.name, children=True)) is not None:
            found["postgresql"][entry.name] = cpu
    return found


def _pid_in(pid_file: Path) -> str:
    """The pid on the first line of a pid file, or "" when there is none."""
    try:
        return pid_file.read_text().split("\n", 1)[0].strip()
    except OSError:
        return ""


def _parent(pid: str) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
    except (OSError, IndexError):
        return None


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
    """One service process: `python -m services.<module>` with its own port and log; `name` tells instances apart."""

    def __init__(self, module: str, env: dict[str, str], log_dir: Path, name: str | None = None) -> None:
        self.module = module
        self.name = name or module
        self.port = free_port()
        self.env = {**env, "HTTP_PORT": str(self.port)}
        self.log_path = log_dir / f"{self.name}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def pid(self) -> int | None:
        return None if self.proc is None else self.proc.pid

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", f"services.{self.module}"], cwd=ROOT, env=self.env, stdout=log, stderr=log
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

    def owns_tcp_port(self, port: int) -> bool:
        """Whether one of the process's sockets is bound to local TCP `port` (e.g. the client end of a PostgreSQL
        session, which `pg_stat_activity.client_port` names)."""
        if self.pid is None or not self.alive():
            return False
        return not _socket_inodes(self.pid).isdisjoint(_tcp_inodes_on(port))

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
    """The six services, `instances` processes each, against one Kafka, one PostgreSQL and one SMTP server."""

    def __init__(
        self,
        infra_env: dict[str, str],
        *,
        smtp_port: int,
        directory_file: Path,
        log_dir: Path,
        extra_env: dict[str, str] | None = None,
        instances: int = 1,
        secured: bool = False,
    ) -> None:
        """`services` is keyed by process name: the service's name alone with one instance, else `<service>#<n>`.
        `secured`: each service as its own principal on the secured listener (SASL/SCRAM over TLS), as in production;
        else on the loopback development listener."""
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
        names = [(m, m if instances == 1 else f"{m}#{n}") for m in SERVICES for n in range(1, instances + 1)]
        self.services = {
            name: Service(module, {**env, **(service_env(module) if secured else {})}, log_dir, name)
            for module, name in names
        }
        if secured and not all(service_env(module) for module in SERVICES):
            raise RuntimeError("no credentials of the services: the secured listener comes with deploy/infra.sh up")
        self.directory_file = directory_file
        self.log_dir = log_dir

    def instances_of(self, module: str) -> list[Service]:
        """The processes of one service, in their numbering."""
        return [service for service in self.services.values() if service.module == module]

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


def _socket_inodes(pid: int) -> set[str]:
    """The inodes of a process's open sockets (its /proc/<pid>/fd links read `socket:[<inode>]`)."""
    found = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                link = os.readlink(fd)
                if link.startswith("socket:["):
                    found.add(link.removeprefix("socket:[").removesuffix("]"))
    return found


def _tcp_inodes_on(port: int) -> set[str]:
    """The inodes of the TCP sockets bound to local `port`, from the kernel's tables."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port:
                    found.add(fields[9])
    return found


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

"""Services as real processes (`python -m services.<stage>`), started, awaited, stopped or killed."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.support.infra import ROOT, Infra


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServiceProcess:
    """One service instance with its own HTTP port and log file."""

    def __init__(self, stage: str, infra: Infra, log_dir: Path, **env: str) -> None:
        self.stage = stage
        self.port = free_port()
        self.log_path = log_dir / f"{stage}-{self.port}.log"
        self.env = {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": infra.kafka,
            "DATABASE_URL": infra.database_url,
            "HTTP_PORT": str(self.port),
            "LOG_FORMAT": "json",
            "OUTBOX_POLL_INTERVAL_S": "0.5",
            "TIMER_SWEEP_INTERVAL_S": "0.5",
            "RETRY_MAX_S": "1",
            "UNKNOWN_PARTICIPANT_GRACE_S": "3",
            **env,
        }
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, *, wait: bool = True) -> ServiceProcess:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", f"services.{self.stage}"], cwd=ROOT, env=self.env, stdout=log, stderr=log
        )
        if wait:
            self.wait_ready()
        return self

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health/ready", timeout=2) as r:
                return bool(r.status == 200)
        except Exception:
            return False

    def wait_ready(self, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.stage} exited with {self.proc.returncode}; see {self.log_path}:\n{self.tail()}"
                )
            if self.ready():
                return
            time.sleep(0.2)
        raise TimeoutError(f"{self.stage} not ready after {timeout_s}s; see {self.log_path}:\n{self.tail()}")

    def wait_exit(self, timeout_s: float = 60) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout_s)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""


@contextlib.contextmanager
def running(services: dict[str, ServiceProcess]) -> Iterator[dict[str, ServiceProcess]]:
    """Start the services side by side, wait until each is ready, and stop them all afterwards."""
    for service in services.values():
        service.start(wait=False)
    try:
        for service in services.values():
            service.wait_ready()
        yield services
    finally:
        for service in services.values():
            service.stop()

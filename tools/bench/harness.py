"""One bench or drill run's set-up: infrastructure, its own region and coordinator, the mail sink, the services.

Every run gets a region code of its own (`DE-` + a digit and two characters, unlike the letter codes the tests
use) and a coordinator for exactly that region, so the run's mails go to one recipient and no other run's
participants reach it. The region, the recipient and the participants stay in the databases afterwards, like the
tests' random ids do; Kafka and PostgreSQL are left running.
"""

from __future__ import annotations

import logging
import os
import random
import string
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from shared.settings import LOCAL_DATABASE, LOCAL_KAFKA
from tools.bench.mailsink import MailSink
from tools.bench.stack import ROOT, Stack, directory_yaml, infra_running, infra_up


@dataclass
class Harness:
    run_id: str
    region: str
    recipient_id: str
    recipient_email: str
    partner_org: str
    bootstrap: str
    database_url: str
    infra_was_running: bool
    sink: MailSink
    stack: Stack
    workdir: Path

    @classmethod
    def open(cls, *, extra_env: dict[str, str] | None = None, instances: int = 1, secured: bool = False) -> Harness:
        """Set the run up; `instances` processes of every service (scaled out in the same consumer groups)."""
        was_running = infra_running()
        env = infra_up()
        rng = random.Random()
        run_id = time.strftime("%Y%m%d-%H%M%S-") + "".join(rng.choices(string.ascii_lowercase, k=4))
        region = "DE-" + rng.choice(string.digits) + "".join(rng.choices(string.ascii_uppercase + string.digits, k=2))
        recipient_id = f"bench-{run_id}"
        email = f"{recipient_id}@example.org"
        workdir = ROOT / ".local" / "bench" / run_id
        workdir.mkdir(parents=True, exist_ok=True)
        _client_logs_to(workdir / "bench-clients.log")
        directory = Path(tempfile.mkdtemp(prefix="journey-bench-")) / "directory.yaml"
        directory.write_text(directory_yaml(recipient_id, email, region), encoding="utf-8")
        sink = MailSink().start()
        stack = Stack(
            env,
            smtp_port=sink.port,
            directory_file=directory,
            log_dir=workdir,
            extra_env=extra_env,
            instances=instances,
            secured=secured,
        )
        return cls(
            run_id=run_id,
            region=region,
            recipient_id=recipient_id,
            recipient_email=email,
            partner_org=f"bench-{run_id}",
            bootstrap=env.get("KAFKA_BOOTSTRAP_SERVERS", LOCAL_KAFKA),
            database_url=env.get("DATABASE_URL", LOCAL_DATABASE),
            infra_was_running=was_running,
            sink=sink,
            stack=stack,
            workdir=workdir,
        )

    def close(self) -> None:
        """Stop what the run started (services, sink); Kafka and PostgreSQL keep running."""
        try:
            self.stack.stop()
        finally:
            self.sink.stop()
        directory = self.stack.directory_file
        directory.unlink(missing_ok=True)
        directory.parent.rmdir()
        if not self.infra_was_running:
            print(
                "  note: this run started Kafka and PostgreSQL (deploy/infra.sh up); they keep running for others"
                " (`make infra-down` stops them)",
                flush=True,
            )


def _client_logs_to(path: Path) -> None:
    """The bench's own Kafka clients complain loudly while the broker is down (drill); keep that in a file."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    for name in ("aiokafka", "kafka"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.propagate = False


def other_service_processes(mine: set[int], database_url: str) -> list[str]:
    """`python -m services.<x>` processes on this machine that this run did not start (others' test runs) and that
    use the same database (their `DATABASE_URL`, else the services' default); ones on another stack do not count."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in mine:
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"-m" in argv and any(a.startswith(b"services.") for a in argv) and _uses(entry, database_url):
            found.append(f"{entry.name}:{next(a for a in argv if a.startswith(b'services.')).decode()}")
    return sorted(found)


def _uses(process: Path, database_url: str) -> bool:
    """Whether the process's environment points at this database; True when it cannot be read (assume it does)."""
    try:
        environ = dict(v.split(b"=", 1) for v in (process / "environ").read_bytes().split(b"\0") if b"=" in v)
    except OSError:
        return True
    return environ.get(b"DATABASE_URL", LOCAL_DATABASE.encode()).decode(errors="replace") == database_url


def my_pids(harness: Harness) -> set[int]:
    return {os.getpid(), *(s.pid for s in harness.stack.services.values() if s.pid is not None)}

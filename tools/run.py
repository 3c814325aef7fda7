"""`make run`: the whole system on local defaults — Kafka, PostgreSQL, Mailpit and the six services.

Each service runs as its own process (as in production); their logs are prefixed here and kept in .local/logs.
Mailpit is the mail catcher compose runs too, on the same ports (SMTP 1025 with STARTTLS required, web UI and API
8025), built by `deploy/infra.sh tools mailpit` in compose's version, with a certificate from the stack's CA; the
notifications service mails it over STARTTLS and verifies that certificate, as in compose.
Ctrl-C stops the services and Mailpit; Kafka and PostgreSQL keep running (`make infra-down` stops them).
The coordinator page (the reporting service) gets demo accounts, one per role, with passwords generated at the
first run and kept in .local/reporting-accounts.txt (never committed).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import yaml

from tools.credentials import credentials_dir, service_env
from tools.specs import HTTP_PORTS

ROOT = Path(__file__).resolve().parents[1]
LOCAL = Path(os.environ.get("JOURNEY_LOCAL_DIR") or ROOT / ".local")
SERVICES = HTTP_PORTS
# What only `docker compose` runs: its published ports are read from docker-compose.yml, not repeated here.
COMPOSE_ONLY = {"prometheus": "Prometheus", "grafana": "Grafana", "jaeger": "Jaeger"}
STOP_GRACE_S = 10.0
COLOURS = {
    "recruitment": 36,
    "recognition": 35,
    "qualification": 33,
    "placement": 32,
    "notifications": 34,
    "reporting": 94,
    "mail": 37,
}
ACCOUNTS_FILE = ROOT / ".local" / "reporting-accounts.txt"
# Demo accounts of the coordinator page, one per role: (login, the CLI's scope arguments). Invented.
DEMO_ACCOUNTS: tuple[tuple[str, list[str]], ...] = (
    ("koordination-saar", ["--role", "coordinator", "--region", "DE-SL"]),
    ("koordination-mitte", ["--role", "coordinator", "--region", "DE-RP", "--region", "DE-HE"]),
    ("beratung-saarbruecken", ["--role", "partner", "--org", "iq-network-example"]),
    ("foerdermittelgeber", ["--role", "funder"]),
)


def infra_env() -> dict[str, str]:
    """Start (or find) the local Kafka and PostgreSQL; their addresses as environment variables."""
    out = infra("up")
    return dict(line.removeprefix("export ").split("=", 1) for line in out.splitlines() if line.startswith("export "))


def infra(*args: str) -> str:
    """deploy/infra.sh's answer on stdout (its progress goes to our stderr)."""
    return subprocess.run(
        ["bash", str(ROOT / "deploy" / "infra.sh"), *args], check=True, stdout=subprocess.PIPE, text=True
    ).stdout.strip()


def mailpit_argv(smtp_port: int, web_port: int) -> tuple[list[str], dict[str, str]]:
    """Mailpit's command line (built in compose's version, STARTTLS required with a certificate from the stack's
    CA, mails kept in $JOURNEY_LOCAL_DIR/mail) and the notifications service's SMTP settings for it."""
    infra("tools", "mailpit")
    tls = Path(infra("mail-tls"))
    argv = [
        str(LOCAL / "bin" / "mailpit"),
        "--smtp", f"127.0.0.1:{smtp_port}", "--listen", f"127.0.0.1:{web_port}",
        "--database", str(LOCAL / "mail" / "mailpit.db"),
        "--smtp-tls-cert", str(tls / "mailpit.crt"), "--smtp-tls-key", str(tls / "mailpit.key"),
        "--smtp-require-starttls", "--disable-version-check",
    ]  # fmt: skip
    smtp = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "SMTP_SECURITY": "starttls",
        "SMTP_CA_FILE": str(tls / "ca.crt"),
    }
    return argv, smtp


def compose_ports() -> dict[str, list[str]]:
    """The host ports docker-compose.yml publishes for what only compose runs (Prometheus, Grafana, Jaeger)."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    return {
        name: [str(port).rsplit(":", 1)[0] for port in services[name].get("ports", [])]
        for name in COMPOSE_ONLY
        if name in services
    }


def wait_mailpit(web_port: int, proc: subprocess.Popen[str], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"mailpit exited with {proc.returncode}; see .local/logs/mail.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/readyz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"mailpit was not ready after {timeout_s:.0f}s; see .local/logs/mail.log")


def banner(env: dict[str, str], secured: dict[str, dict[str, str]], mail_web_port: int | None) -> str:
    """Where everything listens, for the terminal."""
    lines = ["", "Integration Journey is running.", f"  Kafka            {env['KAFKA_BOOTSTRAP_SERVERS']} (loopback"
             " development listener)"]  # fmt: skip
    if all(secured.values()):
        lines.append(
            f"  Kafka, secured   {secured['recruitment']['KAFKA_BOOTSTRAP_SERVERS']} (SASL_SSL: the services, each"
            f" as its own principal; partners' credentials in {credentials_dir()}/partner-<org>.env)"
        )
    lines.append(f"  PostgreSQL       {env['DATABASE_URL']}")
    if mail_web_port is not None:
        lines += [
            f"  Mailpit          http://127.0.0.1:{mail_web_port}/  (web UI; API: /api/v1/messages)",
            f"  SMTP             {env['SMTP_HOST']}:{env['SMTP_PORT']} (STARTTLS required; CA {env['SMTP_CA_FILE']})",
        ]
    lines += [
        f"  {n:<16} http://127.0.0.1:{p}/health/ready  http://127.0.0.1:{p}/metrics  /docs/asyncapi"
        for n, p in SERVICES.items()
    ]
    lines.append(f"  Coordinator page http://127.0.0.1:{SERVICES['reporting']}/  (German; English: ?lang=en)")
    compose_only = [f"{COMPOSE_ONLY[n]} :{', :'.join(ports)}" for n, ports in compose_ports().items()]
    if compose_only:
        lines.append(f"  With `docker compose up`, also: {'; '.join(compose_only)}")
    return "\n".join(lines)


def demo_accounts(env: dict[str, str]) -> list[tuple[str, str]]:
    """(login, password) of the demo accounts, with passwords generated at the first run and kept in ACCOUNTS_FILE;
    an account the database lacks (a new database, `deploy/infra.sh reset`) is created again with its password."""
    known: dict[str, str] = {}
    if ACCOUNTS_FILE.exists():
        known = dict(line.split(" ", 1) for line in ACCOUNTS_FILE.read_text().splitlines() if " " in line)
    existing = subprocess.run(
        [sys.executable, "-m", "services.reporting.cli", "accounts", "list"],
        cwd=ROOT, env=env, check=False, capture_output=True, text=True,
    ).stdout  # fmt: skip
    ready = []
    for login, scope in DEMO_ACCOUNTS:
        if login in known and re.search(rf"^{re.escape(login)}\b", existing, re.MULTILINE):
            ready.append((login, known[login]))
            continue
        password = known.get(login) or secrets.token_urlsafe(12)
        with tempfile.NamedTemporaryFile("w", dir=ACCOUNTS_FILE.parent, delete=False) as secret:
            secret.write(password + "\n")
        try:
            created = subprocess.run(
                [sys.executable, "-m", "services.reporting.cli", "accounts", "create", "--login", login, *scope,
                 "--password-file", secret.name],
                cwd=ROOT, env=env, check=False, capture_output=True, text=True,
            )  # fmt: skip
        finally:
            os.unlink(secret.name)
        if created.returncode != 0:
            print(f"demo account {login} not created: {created.stderr.strip()}", file=sys.stderr)
            continue
        known[login] = password
        ACCOUNTS_FILE.write_text("".join(f"{n} {p}\n" for n, p in known.items()))
        ACCOUNTS_FILE.chmod(0o600)
        ready.append((login, password))
    return ready


def pump(name: str, stream: object, log: Path) -> None:
    """Copy a child's output to its log file and, prefixed, to our terminal."""
    prefix = f"\033[{COLOURS.get(name, 0)}m{name:>13}\033[0m | " if sys.stdout.isatty() else f"{name:>13} | "
    with log.open("a", encoding="utf-8") as sink:
        for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
            sink.write(line)
            sink.flush()
            sys.stdout.write(prefix + line)
            sys.stdout.flush()


def wait_ready(name: str, port: int, proc: subprocess.Popen[str], timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{name} exited with {proc.returncode}; see .local/logs/{name}.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2):
                return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"{name} was not ready after {timeout_s:.0f}s; see .local/logs/{name}.log")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smtp-port", type=int, default=int(os.environ.get("SMTP_PORT", 1025)))
    parser.add_argument("--mail-web-port", type=int, default=8025)
    parser.add_argument(
        "--no-mailpit",
        action="store_true",
        help="no Mailpit: mail the server in SMTP_HOST, SMTP_PORT, SMTP_SECURITY...",
    )
    args = parser.parse_args()

    env = {**os.environ, **infra_env(), "PYTHONUNBUFFERED": "1"}
    env.setdefault("LOG_FORMAT", "console")
    mailpit, smtp = ([], {}) if args.no_mailpit else mailpit_argv(args.smtp_port, args.mail_web_port)
    env.update(smtp)
    env.setdefault("NOTIFICATIONS_DIRECTORY_FILE", str(ROOT / "deploy" / "directory.example.yaml"))
    logs = ROOT / ".local" / "logs"
    logs.mkdir(parents=True, exist_ok=True)

    children: dict[str, subprocess.Popen[str]] = {}

    def spawn(name: str, argv: list[str], extra: dict[str, str] | None = None) -> subprocess.Popen[str]:
        # A session of its own: Ctrl-C reaches this supervisor only, which stops the children in order below.
        proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**env, **(extra or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=pump, args=(name, proc.stdout, logs / f"{name}.log"), daemon=True).start()
        children[name] = proc
        return proc

    def stop(*_: object) -> None:
        """SIGTERM every child, give them STOP_GRACE_S together, then SIGKILL the rest: none outlives this."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        for proc in children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        for name, proc in children.items():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"{name} did not stop within {STOP_GRACE_S:.0f} s: killed", file=sys.stderr)
                proc.kill()
                proc.wait()

    def stop_and_exit(*_: object) -> None:
        stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop_and_exit)
    signal.signal(signal.SIGHUP, stop_and_exit)  # the terminal went away
    # Ctrl-C stops everything even when this was started from a shell that ignores SIGINT (e.g. `make run &`).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if mailpit:
            wait_mailpit(args.mail_web_port, spawn("mail", mailpit))
        secured = {name: service_env(name) for name in SERVICES}  # each as its own principal on the secured bus
        for name, port in SERVICES.items():
            spawn(name, [sys.executable, "-m", f"services.{name}"], {"HTTP_PORT": str(port), **secured[name]})
        for name, port in SERVICES.items():
            wait_ready(name, port, children[name])
        accounts = demo_accounts(env)
        print(
            banner(env, secured, None if args.no_mailpit else args.mail_web_port)
            + "\n"
            + "".join(f"    log in as {login:<22} password {password}\n" for login, password in accounts)
            + f"    (demo accounts, kept in {ACCOUNTS_FILE.relative_to(ROOT)})\n"
            + "Feed a sample cohort through the journey in another terminal: make simulate\n"
            "Ctrl-C stops the services and Mailpit; make infra-down stops Kafka and PostgreSQL.\n",
            flush=True,
        )
        while all(proc.poll() is None for proc in children.values()):
            time.sleep(0.5)
        dead = [n for n, p in children.items() if p.poll() is not None]
        print(f"stopping: {', '.join(dead)} exited; see .local/logs/", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C before the services were started (e.g. while Kafka comes up): no traceback
        print("stopped", file=sys.stderr)
        sys.exit(130)

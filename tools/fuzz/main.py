"""`python -m tools.fuzz` (`make fuzz`): malformed records on every commands topic, as an outside partner sends them.

Starts the five services as processes on the local stack (tools/bench/stack.py; or uses running ones with
`--running`), registers a pool of participants, then sends `--messages` malformed records spread over the five
commands topics, each a valid command with exactly one thing broken (tools/fuzz/*_probes.py), so the reason it must
be rejected with is known (`shared.contracts.limits.reason_for`). Behind every hazardous probe (NUL or invalid UTF-8
in a header, deep nesting, 1 MB, a bad key) and every `--canary-every`th other one it sends a valid canary to the
same partition. Then it matches every rejection to its probe by topic, partition and offset, and checks: one
rejection with the documented reason per probe, no event caused by a probe, every canary applied, lag 0 on every
commands partition, no outbox row stuck or set aside, every service ready.

Then (`--attacks`, the default; not with `--dry-run`) it attacks the secured listener as an attacker on the bus
would (tools/fuzz/attacks.py): connections without valid credentials, partner counselling-example's own credentials
used beyond its ACLs, oversized requests, and `--attack-records` records on its own commands topics with a forged
organisation, about participants it is not involved with, only operators may send, or dated far ahead. Each attempt
must be refused by the broker or rejected by the stage with its documented reason, nothing applied; they are
counted by kind. Prints the counts; exit 1 on FAIL.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import string
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from shared.settings import LOCAL_DATABASE, LOCAL_KAFKA
from tools.bench.mailsink import MailSink
from tools.bench.stack import ROOT, SERVICES, Stack, infra_up
from tools.fuzz import session
from tools.fuzz.forgeries import SUCCEEDED, tally_attempts
from tools.fuzz.offline import bases_pass, door
from tools.fuzz.plan import plan
from tools.fuzz.report import print_report
from tools.fuzz.verdict import Tally, tally
from tools.specs import HTTP_PORTS


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tools.fuzz", description=__doc__.split("\n\n")[0] if __doc__ else "")
    p.add_argument("--messages", type=int, default=10_000, help="malformed records to send (default 10000)")
    p.add_argument("--seed", type=int, default=7, help="what the probes are (ids also follow --run-id)")
    p.add_argument("--timeout", type=float, default=300, help="seconds to wait for outcomes after sending")
    p.add_argument("--canary-every", type=int, default=50, help="a canary behind every Nth non-hazardous probe too")
    p.add_argument("--pool", type=int, default=8, help="participants registered for the canaries")
    p.add_argument("--running", action="store_true", help="use services already running (see --ports)")
    p.add_argument(
        "--ports", default=",".join(map(str, HTTP_PORTS.values())), help="with --running: HTTP ports, stage order"
    )
    p.add_argument(
        "--run-id",
        help="ids and ce_ids in the probes derive from it: with --dry-run, the same --seed and --run-id give the same"
        " bytes again (live, the stages would skip the ce_ids they have seen)",
    )
    p.add_argument("--dry-run", action="store_true", help="no Kafka: every probe through shared.decoding.decode")
    p.add_argument(
        "--attacks",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="after the probes, attack the secured listener as an outsider and as a partner would (tools/fuzz/"
        "attacks.py; needs the credentials deploy/infra.sh writes; skipped with --dry-run)",
    )
    p.add_argument(
        "--attack-records",
        type=int,
        default=300,
        help="records a partner sends on its own commands topics that the stages must reject (forged organisation,"
        " not involved, not permitted, dated ahead), one of each kind alone, the rest in large batches (default 300)",
    )
    p.add_argument("--json", type=Path, help="write the figures to this file too")
    return p.parse_args(argv)


def region_of(run_id: str) -> str:
    """A region code of the run's own (digit first, unlike the tests' letter codes), so no coordinator has it."""
    rng = random.Random(run_id)
    return "DE-" + rng.choice(string.digits) + "".join(rng.choices(string.ascii_uppercase + string.digits, k=2))


def judge(figures: dict[str, Any], checks: dict[str, dict[str, Any]]) -> dict[str, Any]:
    failed = [name for name, check in checks.items() if not check["ok"]]
    return {
        **figures,
        "checks": checks,
        "verdict": "FAIL" if failed else "PASS",
        "verdict_reason": f"failed: {', '.join(failed)}" if failed else "every check passed",
    }


def probe_check(t: Tally, wanted: int) -> dict[str, Any]:
    total = t.total
    return {
        "ok": total.ok == total.sent >= wanted,
        "detail": f"{total.ok}/{total.sent} rejected once with the documented reason (wanted {wanted});"
        f" wrong reason {total.wrong_reason}, missing {total.missing}, applied {total.applied},"
        f" 2+ rejections {total.duplicated}",
    }


def dry_run(args: argparse.Namespace, run_id: str, region: str) -> dict[str, Any]:
    started = time.monotonic()
    probes = plan(args.messages, args.seed, run_id, region, {})
    figures = tally(probes, {p.index: door(p) for p in probes}, {})
    broken_bases = bases_pass()
    checks = {
        "probes (offline door)": probe_check(figures, args.messages),
        "valid bases": {"ok": not broken_bases, "detail": "; ".join(broken_bases) or "every base command passes"},
    }
    run = {"id": run_id, "seed": args.seed, "mode": "dry run", "seconds": time.monotonic() - started}
    skipped = {"skipped": "dry run: the attacks need the broker" if args.attacks else "--no-attacks"}
    return judge({"run": run, "probes": figures.as_json(), "attacks": skipped}, checks)


def attack_figures(args: argparse.Namespace, attacked: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The attacks' figures (counts by kind, every attempt) and their check: every attempt refused by the broker or
    rejected by the stage as documented, and the controls (the attacker's own connection and reading) worked."""
    if not args.attacks or attacked is None:
        return {"skipped": "--no-attacks"}, {"ok": True, "detail": "skipped (--no-attacks)"}
    if "error" in attacked:
        return {"skipped": attacked["error"]}, {"ok": False, "detail": attacked["error"]}
    t = tally_attempts(attacked["attempts"])
    broken = {name: c["detail"] for name, c in attacked["controls"].items() if c["status"] != SUCCEEDED}
    total = t.total
    detail = (
        f"{total.attempts} attempts: {total.refused} refused by the broker, {total.rejected} rejected by the stages;"
        f" succeeded {total.succeeded}, unanswered {total.unanswered}, wrong answer {total.wrong}"
        + (f"; controls failed: {broken}" if broken else "")
    )
    figures = {
        **{k: v for k, v in attacked.items() if k not in ("attempts", "slipped")},
        **t.as_json(),
        "attempts": [asdict(a) for a in attacked["attempts"]],
    }
    return figures, {"ok": not broken and total.attempts > 0 and not t.failures, "detail": detail}


def live_run(args: argparse.Namespace, run_id: str, region: str) -> dict[str, Any]:
    workdir = ROOT / ".local" / "fuzz" / run_id
    workdir.mkdir(parents=True, exist_ok=True)
    stack: Stack | None = None
    sink: MailSink | None = None
    try:
        if args.running:
            env = {k: v for k in ("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL") if (v := os.environ.get(k))}
            ports = dict(zip(SERVICES, (int(p) for p in args.ports.split(",")), strict=True))
        else:
            env = infra_up()
            sink = MailSink().start()
            directory = workdir / "directory.yaml"
            directory.write_text("# tools/fuzz: no recipients of its own\nrecipients: []\n", encoding="utf-8")
            stack = Stack(env, smtp_port=sink.port, directory_file=directory, log_dir=workdir)
            print(f"  starting the five services (logs in {workdir})", flush=True)
            stack.start()
            ports = {name: service.port for name, service in stack.services.items()}
        cfg = session.Config(
            messages=args.messages,
            seed=args.seed,
            timeout_s=args.timeout,
            canary_every=args.canary_every,
            pool_size=args.pool,
            run_id=run_id,
            region=region,
            bootstrap=env.get("KAFKA_BOOTSTRAP_SERVERS", LOCAL_KAFKA),
            database_url=env.get("DATABASE_URL", LOCAL_DATABASE),
            ports=ports,
            attacks=args.attacks,
            attack_records=args.attack_records,
        )
        result = asyncio.run(session.run(cfg, stack.dead if stack is not None else list))
    finally:
        if stack is not None:
            stack.stop()
        if sink is not None:
            sink.stop()
    return summarise(args, run_id, region, result, workdir)


def summarise(args: argparse.Namespace, run_id: str, region: str, r: dict[str, Any], workdir: Path) -> dict[str, Any]:
    canaries, system = r["canaries"], r["system"]
    attacks, attack_check = attack_figures(args, r.get("attacks"))
    checks = {
        "probes": probe_check(r["probes"], args.messages),
        "sending": {"ok": not r["send_errors"], "detail": f"{len(r['send_errors'])} records the broker refused"},
        "canaries": {
            "ok": canaries["applied"] == canaries["sent"] and canaries["not_after_probe"] == 0,
            "detail": f"{canaries['applied']}/{canaries['sent']} applied; rejected {canaries['rejections']}",
        },
        "lag": system["lag"],
        "outbox": system["outbox"],
        "readiness": {"ok": all(s == 200 for s in r["ready"].values()), "detail": str(r["ready"])},
        "services alive": {"ok": not r["dead"], "detail": f"exited: {r['dead']}" if r["dead"] else "none exited"},
        "attacks": attack_check,
    }
    run = {
        "id": run_id,
        "seed": args.seed,
        "region": region,
        "mode": "running stack" if args.running else "services started by the fuzzer",
        "messages": args.messages,
        "seconds": r["seconds"],
        "send_seconds": r["send_seconds"],
        "megabytes_sent": r["sizes_mb"],
        "pool": r["pool"],
        "cleanup": r["cleanup"],
        "logs": str(workdir),
        "send_errors": dict(list(r["send_errors"].items())[:20]),
    }
    return judge({"run": run, "probes": r["probes"].as_json(), "canaries": canaries, "attacks": attacks}, checks)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    run_id = args.run_id or time.strftime("%Y%m%d-%H%M%S-") + "".join(random.choices(string.ascii_lowercase, k=4))
    region = region_of(run_id)
    print(f"fuzz run {run_id}: {args.messages} malformed records, seed {args.seed}, region {region}", flush=True)
    figures = dry_run(args, run_id, region) if args.dry_run else live_run(args, run_id, region)
    print_report(figures)
    if not args.dry_run:
        result = Path(figures["run"]["logs"]) / "result.json"
        result.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    return 0 if figures["verdict"] == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())

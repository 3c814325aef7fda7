"""The run's figures as tables for people (the JSON written with `--json` holds the same, for machines)."""

from __future__ import annotations

from typing import Any

COLUMNS = ("sent", "ok", "wrong_reason", "missing", "applied", "duplicated")
HEADINGS = ("sent", "rejected as expected", "wrong reason", "missing", "applied", "2+ rejections")


def _table(title: str, rows: dict[str, dict[str, int]], total: dict[str, int] | None = None) -> None:
    width = max([len(title), *(len(name) for name in rows)]) + 2
    print(f"\n{title:<{width}}" + "".join(f"{h:>{max(8, len(h) + 2)}}" for h in HEADINGS))
    for name, row in [*rows.items(), *([("total", total)] if total else [])]:
        cells = "".join(f"{row[c]:>{max(8, len(h) + 2)}}" for c, h in zip(COLUMNS, HEADINGS, strict=True))
        print(f"{name:<{width}}{cells}")


def print_report(r: dict[str, Any]) -> None:
    run, probes = r["run"], r["probes"]
    print(
        f"\nIntegration Journey fuzz  run {run['id']}  seed {run['seed']}  {run['mode']}"
        f"  ({probes['total']['sent']} malformed records, {run.get('seconds', 0):.0f} s)"
    )
    _table("category", probes["by_category"], probes["total"])
    _table("expected reason", probes["by_expected_reason"])
    _table("stage", probes["by_stage"])
    canaries = r.get("canaries")
    if canaries:
        print(
            f"\ncanaries: {canaries['sent']} sent ({canaries['after_hazardous']} right after a hazardous probe, same"
            f" partition), {canaries['applied']} applied, {canaries['rejected']} rejected, {canaries['missing']}"
            f" missing, {canaries['not_after_probe']} not behind their probe"
        )
        for stage, row in canaries["by_stage"].items():
            print(f"  {stage:<14} sent {row['sent']:>5}  applied {row['applied']:>5}")
    _attacks(r.get("attacks") or {})
    for name, check in r.get("checks", {}).items():
        print(f"check {name:<22} {'ok' if check['ok'] else 'FAILED'}  {check['detail']}")
    _findings(probes["findings"])
    print(f"\n{r['verdict']}: {r['verdict_reason']}")


ATTACK_COLUMNS = ("attempts", "refused", "rejected", "succeeded", "unanswered", "wrong")
ATTACK_HEADINGS = ("attempts", "refused", "rejected", "succeeded", "unanswered", "wrong answer")


def _attacks(a: dict[str, Any]) -> None:
    """Attempts by kind: refused by the broker, rejected by the stage (as documented), or not (a failure each)."""
    if "skipped" in a:
        print(f"\nattacks: skipped ({a['skipped']})")
        return
    if not a:
        return
    title = f"attack (as {a['attacker']} on {a['bootstrap']})"
    rows = {**a["by_kind"], "total": a["total"]}
    width = max(len(title), *(len(name) for name in rows)) + 2
    print(f"\n{title:<{width}}" + "".join(f"{h:>{len(h) + 2}}" for h in ATTACK_HEADINGS))
    for name, row in rows.items():
        cells = "".join(f"{row[c]:>{len(h) + 2}}" for c, h in zip(ATTACK_COLUMNS, ATTACK_HEADINGS, strict=True))
        print(f"{name:<{width}}{cells}")
    for name, control in a["controls"].items():
        print(f"control: {name}: {control['status']} ({control['detail']})")
    print(
        f"forged records: {a['forged_records']} ({a['one_by_one']} one by one, {a['batched']} in large batches:"
        f" {', '.join(a['batches']) or 'none'}); max.message.bytes {a['max_message_bytes']}; grace {a['grace_s']} s"
    )
    failures = a["failures"]
    if failures:
        print(f"attacks that were not refused or rejected as documented ({len(failures)}; all in the JSON):")
        for f in failures[:20]:
            print(f"- [{f['group']}] {f['kind']}: {f['target']}: {f['status']}: {f['detail']}")


def _findings(findings: list[dict[str, Any]]) -> None:
    """Findings grouped by what was broken (the field aside) and what happened, one example each."""
    if not findings:
        return
    groups: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    for f in sorted(findings, key=lambda f: (f["category"], f["probe"], f["stage"])):
        what = f["probe"].split(": ", 1)[-1]
        groups.setdefault((f["category"], what, f["outcome"], f["got"]), []).append(f)
    count = sum(f["count"] for f in findings)
    print(f"\nFindings: {count} probes not rejected as documented, {len(findings)} kinds (each with an example in")
    print("the JSON); grouped by what was broken, fields aside, one example per group:")
    for (category, what, outcome, got), group in groups.items():
        where = sorted(
            {
                f"{f['stage']} {f['example']['ce_type'].split('.')[2]}.{f['probe'].split(': ')[0]}"
                if ": " in f["probe"]
                else f"{f['stage']} {f['example']['ce_type'].split('.')[2]}"
                for f in group
            }
        )
        ex = group[0]["example"]
        print(
            f"- [{category}] {what}: expected {group[0]['expected']}, got {outcome}"
            f"{'' if got == '-' else ' ' + got} x{sum(f['count'] for f in group)}"
        )
        print(f"    in {len(where)}: {', '.join(where[:8])}{' ...' if len(where) > 8 else ''}")
        print(f"    e.g. {ex['topic']}/{ex['partition']}@{ex['offset']} key={ex['key']}")
        print(f"    headers={ex['headers']}")
        print(f"    value={ex['value']}")
        if ex["rejection_message"] or ex["caused"]:
            print(f"    rejection message: {ex['rejection_message']!r}; caused: {ex['caused']}")

"""The bench's figures as a table for people (the JSON beside it is for machines)."""

from __future__ import annotations

from typing import Any


def _f(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_bench(r: dict[str, Any]) -> None:
    run, load, tp, lat = r["run"], r["load"], r["throughput"], r["latency"]
    mode = f"open loop, {run['rate']} journeys/s" if run["rate"] > 0 else f"closed loop, {run['in_flight']} in flight"
    print(f"\nIntegration Journey benchmark  run {run['id']}  ({run['cpus']} CPUs, Python {run['python']})")
    print(
        f"load: {run['journeys']} journeys, {mode}; {load['finished']}/{load['started']} finished,"
        f" {load['failed']} failed; {load['commands']} commands, {load['events']} events,"
        f" {load['rejections']} rejections"
    )
    for pid, why in load["failures"].items():
        print(f"  FAILED journey {pid}: {why}")
    print("\nThroughput (end to end)                overall    steady (10th-90th completion)")
    overall, steady = tp.get("overall", {}), tp.get("steady", {})
    for label, key, digits in (
        ("journeys/s", "journeys_per_s", 2),
        ("messages/s", "messages_per_s", 1),
        ("mails/s (all recipients)", "mails_per_s", 1),
        ("window (s)", "seconds", 1),
    ):
        print(f"  {label:<35}{_f(overall.get(key), digits):>10} {_f(steady.get(key), digits):>12}")
    for label, key in (
        ("one journey, to its last mail (s)", "journey_seconds"),
        ("one journey, to its last event (s)", "journey_events_seconds"),
    ):
        js = tp.get(key, {})
        print(f"  {label:<35}p50 {_f(js.get('p50'))}  p95 {_f(js.get('p95'))}  max {_f(js.get('max'))}")
    s = lat["seconds"]
    print("\nLatency: milestone command published -> e-mail accepted by the SMTP server (s)")
    print(f"  {'milestone':<26}{'mails':>7}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}  caused by")
    print(f"  {'all':<26}{s['count']:>7}{_f(s['p50']):>8}{_f(s['p95']):>8}{_f(s['p99']):>8}{_f(s['max']):>8}")
    for name, m in lat["per_milestone"].items():
        print(
            f"  {name:<26}{m['count']:>7}{_f(m['p50']):>8}{_f(m['p95']):>8}{_f(m['p99']):>8}{_f(m['max']):>8}"
            f"  {', '.join(m['caused_by'])}"
        )
    mails = r["mails"]
    print(
        f"  mails to the run's coordinator: {mails['received']}/{mails['expected']} expected received,"
        f" {mails['missing']} missing, {mails['extra_copies']} extra copies; to all {len(mails['recipients'])}"
        f" recipients: {mails['accepted_all_recipients']} ({_f(mails['per_journey'], 1)} per journey)"
    )
    cpu = r["cpu"]
    print(
        f"\nCPU during the load ({_f(cpu['wall_s'], 1)} s; machine {_f(cpu['machine_busy_pct'], 1)} % busy"
        " over all cores), CPU seconds"
    )
    print(
        "  "
        + "  ".join(f"{n} {_f(v, 1)}" for n, v in cpu["services_s"].items())
        + f"  | kafka {_f(cpu['infra_s'].get('kafka'), 1)}  postgresql {_f(cpu['infra_s'].get('postgresql'), 1)}"
        + f"  | bench process (load + SMTP sink) {_f(cpu['bench_process_s'], 1)}"
    )
    lag = r.get("reporting_lag") or {}
    if lag.get("events"):
        print("\nReporting read model lag (source commit -> reporting commit, seconds)")
        print(
            f"  events {lag['events']}  p50 {_f(lag['p50_s'])}  p90 {_f(lag['p90_s'])}  p99 {_f(lag['p99_s'])}"
            f"  max {_f(lag['max_s'])}  (caught up {_f(lag['settle_s'], 1)} s after the last mail)"
        )
    print("\nPeak resident memory per service (VmHWM at the end, MiB)")
    print("  " + "  ".join(f"{n} {_f(v, 1)}" for n, v in r["memory_peak_mib"].items()))
    print("\nRaw baseline on the same broker and database: consume -> one transaction -> produce, per message")
    for mode_name, b in r["baseline"].items():
        print(
            f"  {mode_name:<10} {b['messages']:>6} messages in {_f(b['seconds'], 1):>6} s"
            f" = {_f(b['messages_per_s'], 1):>8} msg/s"
        )
    print(f"  system (steady messages/s) / pipelined baseline = {_f(r['ratio_to_baseline'], 3)}")
    _print_broker(r.get("broker_cost"))
    for name, title in (("half_load", "Half load"), ("idle", "Idle, one journey at a time")):
        phase = r.get(name)
        if phase:
            s = phase["latency"]["seconds"]
            print(
                f"\n{title}: {phase['finished']}/{phase['journeys']} journeys"
                + (f" at {phase['rate']:.2f}/s" if phase["rate"] else "")
                + f"; command -> mail (s) n {s['count']}  p50 {_f(s['p50'], 3)}  p95 {_f(s['p95'], 3)}"
                f"  p99 {_f(s['p99'], 3)}  max {_f(s['max'], 3)}"
            )
    profile = r.get("profile")
    if profile and profile.get("samples"):
        print(f"\nProfile of {profile['service']} under the load (py-spy, {profile['samples']} samples)")
        for kind in ("inclusive", "self"):
            print(f"  {kind} (share of samples):")
            for entry in profile[kind][:12]:
                print(f"    {entry['share']:>6.1%}  {entry['function']}")
    elif profile:
        print(f"\nProfile of {profile['service']}: {profile.get('error', 'no samples')}")
    if r.get("goals"):
        print("\nGoals (issue 14)")
        for goal in r["goals"]:
            verdict = {True: "MET", False: "NOT MET", None: "not measured"}[goal["met"]]
            print(f"  {verdict:<13}{goal['goal']:<62} {goal['measured']:<34} (goal {goal['target']})")
    if r["services_dead_at_end"]:
        print(f"\n  SERVICES DEAD AT THE END: {', '.join(r['services_dead_at_end'])}")
    if r["other_service_processes"]:
        print(f"\n  note: other service processes ran meanwhile: {', '.join(r['other_service_processes'])}")


def print_drill(r: dict[str, Any]) -> None:
    t, m, d = r["topics"], r["mailbox"], r["databases"]
    print(f"\nFault drill  run {r['run']['id']}: {r['run']['journeys']} journeys at {r['run']['rate']}/s")
    print(
        "faults: "
        + "; ".join(
            f"{f['what']} {f.get('service', '')}".strip() + f" @{f['at_s']}s"
            for f in r["faults"]
            if f["what"] in ("kill -9", "kafka-kill", "pg-kill")
        )
    )
    rows = [
        ("commands sent", t["commands_sent"]),
        ("  lost (no effect, no rejection)", t["commands_lost"]),
        ("  not on their topic", t["commands_not_on_topic"]),
        ("  missing from the stage's inbox", d["commands_missing_from_inbox"]),
        ("  rejected", t["commands_rejected"]),
        ("  copies on the topic (re-sent by the load)", t["command_copies_on_topic"]),
        ("events and rejections (distinct topic+ce_id)", t["events_distinct"]),
        ("  redelivered copies (same ce_id)", t["redelivered_copies_same_ce_id"]),
        ("  duplicated facts (different ce_id)", t["duplicated_facts_different_ce_id"]),
        ("journeys completed / started", f"{t['journeys_completed']} / {t['journeys_started']}"),
        ("mails expected (milestone event x recipient)", m["mails_expected"]),
        ("  of them to recipients others registered (all regions)", m["mails_expected_to_other_recipients"]),
        ("  accepted by the SMTP server", m["mails_accepted"]),
        ("  missing", m["mails_missing"]),
        ("  re-sent, same Message-ID (at-least-once window)", m["mails_resent_same_message_id"]),
        ("  duplicated, different Message-ID", m["mails_duplicated_different_message_id"]),
        ("  unexpected", m["mails_unexpected"]),
        ("databases: recruitment participants", d["recruitment_participants"]),
        ("  recognition cases by state", d["recognition_case_states"]),
        ("  qualification completed", d["qualification_completed"]),
        ("  placements by status", d["placement_states"]),
        (
            "  reporting: participants / events applied of those it takes",
            f"{d['reporting_participants']} / "
            f"{d['reporting_events_expected'] - d['reporting_events_not_applied']} of {d['reporting_events_expected']}",
        ),
        ("  recognition cases by route", d["recognition_routes"]),
        (
            "  outbox rows / unpublished / published but not on topic",
            f"{d['outbox_rows']} / {d['outbox_unpublished']} / {d['outbox_published_not_on_topic']}",
        ),
        ("  deliveries to the coordinator by status", d["deliveries_by_status"]),
        ("  more than one delivery per milestone", d["deliveries_more_than_one_per_milestone"]),
        ("services that died without being killed", ", ".join(r["unexpected_exits"]) or 0),
    ]
    for label, value in rows:
        print(f"  {label:<58} {value}")
    examples = {k: v for part in (t, m, d) for k, v in part.get("examples", {}).items() if v}
    for name, items in examples.items():
        print(f"  e.g. {name}: " + "; ".join(items))
    if r["other_service_processes"]:
        print(f"  note: other service processes ran meanwhile: {', '.join(r['other_service_processes'])}")
    print("\nVERDICT: " + ("PASS" if not r["failures"] else "FAIL: " + "; ".join(r["failures"])))


def _print_broker(cost: dict[str, Any] | None) -> None:
    if not cost:
        return
    print(
        f"\nKafka broker during the load: {_f(cost['cpu_s'], 1)} CPU s = {_f(cost['cpu_ms_per_message'])} ms per"
        f" message of the load ({cost['messages']}); {_f(cost['requests_per_message'])} requests per message"
    )
    print(
        "  "
        + "  ".join(
            f"{name} {r['count']} ({_f(r['per_message'])}/msg)" for name, r in list(cost["requests"].items())[:8]
        )
    )

"""The fuzzer's attacks, the pure parts: the forged records a partner sends, how attempts are judged and counted."""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any, cast

import asyncpg
import pytest

from shared.contracts.catalogue import commands_of
from shared.contracts.topics import Kind, Stage, partner_of, partner_topic
from shared.decoding import decode
from shared.partners import authorise
from tools import credentials
from tools.fuzz import attacks
from tools.fuzz.forgeries import (
    FUTURE,
    FUTURE_S,
    NOT_INVOLVED,
    REFUSED,
    REJECTED,
    SUCCEEDED,
    UNANSWERED,
    WRONG,
    Attempt,
    Forgery,
    Parties,
    forgeries,
    judge_forgery,
    judge_future,
    tally_attempts,
    variants,
)
from tools.fuzz.main import attack_figures, main
from tools.fuzz.observer import COMMANDS, REJECTIONS
from tools.fuzz.offline import OfflineRecord

PARTIES = Parties(
    attacker="counselling-example",
    victim="language-school-example",
    participants=("5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b", "6c1f3b9f-4d5e-4f70-8b2c-3d4e5f6a7b8c"),
    run_id="unit",
    region="DE-9ZZ",
)


class NobodyInvolved:
    """An involvements table with nobody in it (`shared.partners.is_involved` asks it)."""

    async def fetchval(self, *_: Any) -> bool:
        return False


def _record(f: Forgery) -> OfflineRecord:
    return OfflineRecord(f.topic, 0, f.index, f.key, f.value, cast(Any, f.headers))


@pytest.mark.parametrize("forgery", forgeries(len(variants()), PARTIES), ids=lambda f: f"{f.kind}:{f.stage.value}")
async def test_each_forgery_passes_the_door_and_is_refused_by_the_partner_check_with_its_reason(
    forgery: Forgery,
) -> None:
    # The door takes it (valid envelope and payload on the attacker's own topic): only the partner check may refuse.
    decoded = decode(_record(forgery), {m.ce_type(): m for m in commands_of(forgery.stage)})
    assert partner_of(forgery.topic) == PARTIES.attacker
    conn = cast(asyncpg.Connection, NobodyInvolved())
    refused = await authorise(conn, PARTIES.attacker, decoded.envelope, decoded.message, "partner_involvements")
    assert refused is not None
    assert refused.reason is forgery.expected


def test_forgeries_cover_every_kind_on_every_stage_it_applies_to_then_repeat() -> None:
    kinds = variants()
    records = forgeries(3 * len(kinds) + 1, PARTIES)
    assert {(f.kind, f.stage, f.ce_type) for f in records[: len(kinds)]} == {
        (v.kind, v.stage, v.ce_type) for v in kinds
    }
    assert Counter(f.kind for f in records)[NOT_INVOLVED] >= 3 * 5
    assert len({f.ce_id for f in records}) == len(records)
    assert all(f.ce_id.startswith("fuzz-unit-a") for f in records)
    assert {f.topic for f in records} == {
        partner_topic(stage, Kind.COMMAND, PARTIES.attacker)
        for stage in (Stage.RECRUITMENT, Stage.RECOGNITION, Stage.QUALIFICATION, Stage.PLACEMENT, Stage.NOTIFICATIONS)
    }
    assert all((f.future_s == FUTURE_S) == (f.kind == FUTURE) for f in records)


def test_forged_source_names_the_victim_and_the_rest_the_attacker() -> None:
    for f in forgeries(len(variants()), PARTIES):
        source = dict(f.headers)["ce_source"]
        victim = f.kind == "ce_source of another partner"
        assert source == f"/partners/{PARTIES.victim if victim else PARTIES.attacker}".encode()


def test_a_forgery_is_held_only_when_refused_or_rejected_once_with_its_reason_and_nothing_caused() -> None:
    f = forgeries(1, PARTIES)[0]
    expected = f.expected.value
    assert judge_forgery(f, "TopicAuthorizationFailedError", (), ())[0] == REFUSED
    assert judge_forgery(f, None, (expected,), ())[0] == REJECTED
    assert judge_forgery(f, None, (expected,), ("journey.recruitment.events ConsentGranted",))[0] == SUCCEEDED
    assert judge_forgery(f, None, (), ())[0] == UNANSWERED
    assert judge_forgery(f, None, ("not_involved",), ())[0] == WRONG
    assert judge_forgery(f, None, (expected, expected), ())[0] == WRONG


def test_a_future_dated_record_must_carry_the_broker_s_time_and_be_answered_within_the_grace() -> None:
    sent = 1_780_000_000_000
    ok = judge_future(
        REJECTED, "not_involved", stored_type=1, stored_ms=sent + 40, sent_ms=sent, answered_s=16.2, limit_s=60
    )
    assert ok[0] == REJECTED
    own_time = judge_future(
        REJECTED,
        "not_involved",
        stored_type=0,
        stored_ms=sent + FUTURE_S * 1000,
        sent_ms=sent,
        answered_s=16.2,
        limit_s=60,
    )
    assert own_time[0] == WRONG
    late = judge_future(
        REJECTED, "not_involved", stored_type=1, stored_ms=sent, sent_ms=sent, answered_s=90, limit_s=60
    )
    assert late[0] == WRONG
    assert (
        judge_future(UNANSWERED, "x", stored_type=1, stored_ms=sent, sent_ms=sent, answered_s=None, limit_s=60)[0]
        == UNANSWERED
    )


def test_the_tally_counts_by_group_and_kind_and_lists_what_did_not_hold() -> None:
    attempts = [
        Attempt("no credentials", "wrong password", "127.0.0.1:9094", REFUSED, "SaslAuthenticationFailed"),
        Attempt("not involved", "participant", "t/0@1", REJECTED, "not_involved"),
        Attempt("not involved", "participant", "t/0@2", REJECTED, "not_involved"),
        Attempt("beyond its ACLs", "read commands", "journey.recruitment.commands", SUCCEEDED, "read 3 records"),
        Attempt("not involved", "participant", "t/0@3", UNANSWERED, "no rejection"),
    ]
    t = tally_attempts(attempts)
    assert list(t.rows) == [
        "no credentials: wrong password",
        "not involved: participant",
        "beyond its ACLs: read commands",
    ]
    assert (t.rows["not involved: participant"].rejected, t.rows["not involved: participant"].unanswered) == (2, 1)
    assert (t.total.attempts, t.total.refused, t.total.rejected, t.total.succeeded) == (5, 1, 2, 1)
    assert [a.target for a in t.failures] == ["journey.recruitment.commands", "t/0@3"]


def _attacked(*statuses: str, control: str = SUCCEEDED) -> dict[str, Any]:
    return {
        "attacker": "partner-counselling-example",
        "bootstrap": "127.0.0.1:9094",
        "controls": {"connects with its own credentials": {"status": control, "detail": "connected"}},
        "attempts": [Attempt("g", "k", f"t{n}", s, "") for n, s in enumerate(statuses)],
        "slipped": [],
    }


def test_the_attacks_check_fails_on_any_attempt_that_held_not_or_a_failed_control() -> None:
    args = argparse.Namespace(attacks=True)
    assert attack_figures(args, _attacked(REFUSED, REJECTED))[1]["ok"]
    assert not attack_figures(args, _attacked(REFUSED, SUCCEEDED))[1]["ok"]
    assert not attack_figures(args, _attacked(REFUSED, UNANSWERED))[1]["ok"]
    assert not attack_figures(args, _attacked(REFUSED, control=UNANSWERED))[1]["ok"]
    assert not attack_figures(args, _attacked())[1]["ok"]  # nothing tried proves nothing
    assert not attack_figures(args, {"error": "no credentials"})[1]["ok"]
    figures, check = attack_figures(argparse.Namespace(attacks=False), None)
    assert check["ok"] and figures == {"skipped": "--no-attacks"}


def test_a_dry_run_skips_the_attacks_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--dry-run", "--messages", "30"]) == 0
    assert "attacks: skipped (dry run: the attacks need the broker)" in capsys.readouterr().out


def test_the_observer_reads_a_partner_s_rejections_of_its_own_commands_topic() -> None:
    assert REJECTIONS.fullmatch("journey.recognition.rejections.counselling-example")
    assert REJECTIONS.fullmatch("journey.recognition.rejections")
    assert not REJECTIONS.fullmatch("journey.recognition.events")
    assert COMMANDS.fullmatch("journey.recognition.commands.counselling-example")
    assert attacks.watched_topics() == [
        f"journey.{stage}.rejections.counselling-example"
        for stage in ("recruitment", "recognition", "qualification", "placement", "notifications")
    ]


def test_credentials_files_are_read_as_deploy_infra_writes_them(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = tmp_path / "kafka" / "credentials"
    directory.mkdir(parents=True)
    (directory / "partner-counselling-example.env").write_text(
        "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9094\nKAFKA_SECURITY_PROTOCOL=SASL_SSL\nKAFKA_SASL_MECHANISM=SCRAM-SHA-512\n"
        "KAFKA_SASL_USERNAME=partner-counselling-example\nKAFKA_SASL_PASSWORD=abc123\n"
        f"KAFKA_SSL_CAFILE={tmp_path}/ca.crt\n"
    )
    monkeypatch.setenv("JOURNEY_LOCAL_DIR", str(tmp_path))
    found = credentials.load("partner-counselling-example")
    assert (found.bootstrap_servers, found.username, found.password) == (
        "127.0.0.1:9094",
        "partner-counselling-example",
        "abc123",
    )
    with pytest.raises(FileNotFoundError):
        credentials.load("partner-nobody-example")

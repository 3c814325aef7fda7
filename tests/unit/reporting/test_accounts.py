"""Accounts: argon2id hashes, what an account may be, constant-time checks, throttling and the scope it gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from services.reporting import accounts
from services.reporting.accounts import Account, AccountError, new_account
from services.reporting.figures import Role, Scope

PASSWORD = "correct horse battery"


def test_password_hash_is_argon2id_with_the_library_defaults() -> None:
    account = new_account("coord-saar", Role.COORDINATOR, PASSWORD, regions=["DE-SL"])
    assert account.password_hash.startswith("$argon2id$")
    assert not PasswordHasher().check_needs_rehash(account.password_hash)
    assert PASSWORD not in account.password_hash


def test_a_password_matches_only_its_account() -> None:
    account = new_account("coord-saar", Role.COORDINATOR, PASSWORD, regions=["DE-SL"])
    assert accounts.password_matches(account, PASSWORD)
    assert not accounts.password_matches(account, PASSWORD + "!")
    assert not accounts.password_matches(None, PASSWORD)  # verified against a dummy hash, still refused


@pytest.mark.parametrize(
    ("role", "regions", "org"),
    [
        (Role.COORDINATOR, [], None),
        (Role.COORDINATOR, ["DE-SL"], "iq-saar-example"),
        (Role.COORDINATOR, ["Saarland"], None),
        (Role.COORDINATOR, ["de-sl"], None),
        (Role.PARTNER, [], None),
        (Role.PARTNER, ["DE-SL"], "iq-saar-example"),
        (Role.FUNDER, ["DE-SL"], None),
        (Role.FUNDER, [], "iq-saar-example"),
    ],
)
def test_an_account_has_exactly_the_scope_its_role_needs(role: Role, regions: list[str], org: str | None) -> None:
    with pytest.raises(AccountError):
        new_account("someone", role, PASSWORD, regions=regions, org_id=org)


def test_short_passwords_and_odd_logins_are_refused() -> None:
    with pytest.raises(AccountError):
        new_account("funder", Role.FUNDER, "short")
    with pytest.raises(AccountError):
        new_account("no spaces please", Role.FUNDER, PASSWORD)


def test_the_scope_comes_from_the_account() -> None:
    assert new_account("c", Role.COORDINATOR, PASSWORD, regions=["DE-SL", "DE-RP"]).scope() == Scope(
        role=Role.COORDINATOR, regions=frozenset({"DE-SL", "DE-RP"})
    )
    assert new_account("p", Role.PARTNER, PASSWORD, org_id="iq-saar-example").scope() == Scope(
        role=Role.PARTNER, org_id="iq-saar-example"
    )
    assert new_account("f", Role.FUNDER, PASSWORD).scope() == Scope(role=Role.FUNDER)


def test_csrf_tokens_compare_in_constant_time_and_never_match_when_missing() -> None:
    assert accounts.csrf_matches("abc", "abc")
    assert not accounts.csrf_matches("abc", "abd")
    assert not accounts.csrf_matches("abc", None)
    assert not accounts.csrf_matches("abc", "")
    assert not accounts.csrf_matches("", "")


def test_session_tokens_are_random_and_stored_as_their_sha256() -> None:
    first, second = accounts.new_token(), accounts.new_token()
    assert first != second and len(first) >= 40
    assert len(accounts.token_digest(first)) == 32
    assert accounts.token_digest(first) != first.encode()


def test_a_lock_lasts_until_its_time() -> None:
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    account = Account("f", Role.FUNDER, locked_until=now + timedelta(minutes=1))
    assert accounts.locked(account, now)
    assert not accounts.locked(account, now + timedelta(minutes=1))

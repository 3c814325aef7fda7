"""The SMTP settings' rules: mails in clear only to a mail server on this machine, credentials only with TLS, and a
CA file that holds a certificate; each refused at start-up with a message that says what to set."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from services.notifications.settings import NotificationSettings


@pytest.fixture(autouse=True)
def _no_smtp_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in os.environ:
        if name.startswith("SMTP_"):
            monkeypatch.delenv(name)


def _settings(**fields: Any) -> NotificationSettings:
    return NotificationSettings(**fields)


def _refusal(**fields: Any) -> str:
    with pytest.raises(ValidationError) as refused:
        _settings(**fields)
    return str(refused.value)


def test_the_default_is_a_local_mail_catcher_in_clear() -> None:
    settings = _settings()
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_security) == ("127.0.0.1", 1025, "none")


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.53", "::1", "[::1]", "localhost", "LOCALHOST."])
def test_mails_in_clear_are_allowed_to_a_loopback_host(host: str) -> None:
    assert _settings(smtp_host=host, smtp_security="none").smtp_host == host


@pytest.mark.parametrize("host", ["mail.example.org", "192.0.2.25", "2001:db8::25", "localhost.example.org", "mailpit"])
def test_mails_in_clear_over_a_network_are_refused(host: str) -> None:
    refusal = _refusal(smtp_host=host)
    assert "SMTP_SECURITY=none sends mails in clear" in refusal
    assert f"SMTP_HOST={host}" in refusal and "starttls" in refusal


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_any_host_is_allowed_with_tls(security: str) -> None:
    assert _settings(smtp_host="mail.example.org", smtp_security=security).smtp_security == security


@pytest.mark.parametrize("credentials", [{"smtp_username": "journey"}, {"smtp_password": "secret"}])
def test_credentials_without_tls_are_refused_even_on_loopback(credentials: dict[str, str]) -> None:
    assert "never sent without TLS" in _refusal(smtp_host="127.0.0.1", smtp_security="none", **credentials)


def test_credentials_with_tls_are_taken_and_the_refusals_never_show_them() -> None:
    settings = _settings(
        smtp_host="mail.example.org", smtp_security="starttls", smtp_username="journey", smtp_password="s3cret-pw"
    )
    assert settings.smtp_password is not None and settings.smtp_password.get_secret_value() == "s3cret-pw"
    assert "s3cret-pw" not in _refusal(smtp_security="none", smtp_username="journey", smtp_password="s3cret-pw")


def test_a_password_without_a_username_is_refused() -> None:
    assert "without SMTP_USERNAME" in _refusal(smtp_security="tls", smtp_password="secret")


def test_a_ca_file_must_exist_and_hold_a_certificate(tmp_path: Path) -> None:
    not_pem = tmp_path / "ca.crt"
    not_pem.write_text("not a certificate\n")
    assert "SMTP_CA_FILE" in _refusal(smtp_security="starttls", smtp_ca_file=not_pem)
    assert "smtp_ca_file" in _refusal(smtp_security="starttls", smtp_ca_file=tmp_path / "missing.crt")


def test_the_environment_names_are_the_documented_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_HOST", "mail.example.org")
    monkeypatch.setenv("SMTP_SECURITY", "tls")
    monkeypatch.setenv("SMTP_PORT", "465")
    settings = NotificationSettings()
    assert (settings.smtp_security, settings.smtp_port, settings.smtp_ca_file) == ("tls", 465, None)

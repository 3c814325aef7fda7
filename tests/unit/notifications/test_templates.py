"""Mail texts: German by default, English on request, coarse facts only."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from services.notifications.mailer import compose, to_wire
from services.notifications.templates import render
from shared.contracts import placement, recognition
from shared.contracts.catalogue import MILESTONE_EVENTS
from shared.contracts.enums import Milestone
from shared.contracts.examples import example_json
from shared.contracts.notifications import MailLanguage

PID = "5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b"


def facts_of(model: type[Any], **changes: object) -> dict[str, object]:
    facts = {**example_json(model), **changes}
    facts.pop("participant_id")
    return facts


def test_a_recognition_decision_reads_in_german_with_outcome_measures_and_date() -> None:
    mail = render(Milestone.RECOGNITION_DECIDED, PID, facts_of(recognition.RecognitionDecided), salutation="Desk")
    assert mail.subject == "Integration Journey: Anerkennung entschieden (Teilnehmende 5b0f2a8e…)"
    assert mail.body.startswith("Guten Tag Desk,\n")
    assert f"Teilnehmende (Pseudonym): {PID}" in mail.body
    assert "Ergebnis: Ausgleichsmaßnahme erforderlich" in mail.body
    assert "Angebotene Ausgleichsmaßnahmen: Anpassungslehrgang, Kenntnisprüfung" in mail.body
    assert "Entschieden am: 28.05.2025" in mail.body


def test_english_recipients_get_english_mails() -> None:
    mail = render(Milestone.RECOGNITION_DECIDED, PID, facts_of(recognition.RecognitionDecided), MailLanguage.EN, "Desk")
    assert mail.subject == "Integration Journey: Recognition decided (participant 5b0f2a8e…)"
    assert "Outcome: compensation required" in mail.body and "Decided on: 2025-05-28" in mail.body


def test_an_ended_employment_reminds_of_the_four_week_duty_to_inform_the_authority() -> None:
    mail = render(Milestone.EMPLOYMENT_ENDED, PID, facts_of(placement.EmploymentEnded))
    assert "Meldepflicht gegenüber der Ausländerbehörde innerhalb von 4 Wochen (§ 4a Abs. 5 AufenthG)" in mail.body
    assert "Meldung an die Ausländerbehörde bis: 28.11.2026" in mail.body
    english = render(Milestone.EMPLOYMENT_ENDED, PID, facts_of(placement.EmploymentEnded), MailLanguage.EN)
    assert "within 4 weeks (§ 4a(5) AufenthG)" in english.body


def test_an_overdue_receipt_names_the_procedure_and_both_days_and_says_to_ask_the_authority() -> None:
    mail = render(Milestone.RECEIPT_OVERDUE, PID, facts_of(recognition.ReceiptOverdue, track="fast_track_81a"))
    assert mail.subject == "Integration Journey: Eingangsbestätigung überfällig (Teilnehmende 5b0f2a8e…)"
    assert "Verfahren: beschleunigtes Fachkräfteverfahren (§ 81a AufenthG)" in mail.body
    assert "Gestellt am: 03.02.2025" in mail.body and "Eingangsbestätigung fällig am: 03.03.2025" in mail.body
    assert "innerhalb von 2 Wochen (§ 14a BQFG, § 81a AufenthG)" in mail.body
    english = render(Milestone.RECEIPT_OVERDUE, PID, facts_of(recognition.ReceiptOverdue), MailLanguage.EN)
    assert english.subject.startswith("Integration Journey: Confirmation of receipt overdue")
    assert "Confirmation of receipt due on: 2025-03-03" in english.body and "Please ask the authority." in english.body


def test_a_berufserlaubnis_ending_soon_is_announced_with_its_last_day_and_what_to_settle() -> None:
    mail = render(Milestone.LICENCE_EXPIRING, PID, facts_of(recognition.LicenceExpiring))
    assert mail.subject == "Integration Journey: Berufserlaubnis läuft bald ab (Teilnehmende 5b0f2a8e…)"
    assert "Zulassung: Berufserlaubnis" in mail.body and "Gültig bis: 31.03.2027" in mail.body
    assert "höchstens 2 Jahre erteilt (§ 10 BÄO)" in mail.body
    english = render(Milestone.LICENCE_EXPIRING, PID, facts_of(recognition.LicenceExpiring), MailLanguage.EN)
    assert english.subject.startswith("Integration Journey: Berufserlaubnis ends soon")
    assert "Valid until: 2027-03-31" in english.body and "at most 2 years (§ 10 BÄO)" in english.body


def test_an_ended_berufserlaubnis_says_medicine_may_not_be_practised_without_a_licence() -> None:
    mail = render(Milestone.LICENCE_EXPIRED, PID, facts_of(recognition.LicenceExpired))
    assert mail.subject == "Integration Journey: Berufserlaubnis abgelaufen (Teilnehmende 5b0f2a8e…)"
    assert "Gültig bis: 31.03.2027" in mail.body
    assert "darf der ärztliche Beruf nicht ausgeübt werden (§ 2 BÄO)" in mail.body


def test_an_employment_under_an_ended_berufserlaubnis_names_the_permit_and_the_start_but_not_the_employer() -> None:
    mail = render(Milestone.EMPLOYMENT_PERMIT_EXPIRED, PID, facts_of(placement.EmploymentPermitExpired))
    assert mail.subject == "Integration Journey: Beschäftigung ohne gültige Berufserlaubnis (Teilnehmende 5b0f2a8e…)"
    assert "Zulassung: Berufserlaubnis" in mail.body and "Gültig bis: 31.03.2027" in mail.body
    assert "Begonnen am: 02.03.2026" in mail.body
    assert "bitte mit Arbeitgeber und Teilnehmenden klären" in mail.body
    assert "care-home-example" not in mail.body


def test_reasons_and_fields_not_listed_never_reach_the_mail() -> None:
    ended = render(Milestone.EMPLOYMENT_ENDED, PID, facts_of(placement.EmploymentEnded, reason="dismissed"))
    assert "dismissed" not in ended.body and "resigned" not in ended.body
    smuggled = facts_of(recognition.RecognitionDecided, given_name="Amara", email="amara@example.org")
    body = render(Milestone.RECOGNITION_DECIDED, PID, smuggled).body
    assert "Amara" not in body and "@" not in body


def test_facts_left_empty_are_left_out() -> None:
    mail = render(Milestone.LICENCE_GRANTED, PID, facts_of(recognition.LicenceGranted, valid_until=None))
    assert "Gültig bis" not in mail.body and "Erteilt am: 16.02.2026" in mail.body


def test_yes_and_no_are_words() -> None:
    facts = facts_of(placement.RetentionCheckRecorded, still_employed=True, still_in_region=False)
    body = render(Milestone.RETENTION_CHECK_RECORDED, PID, facts).body
    assert "Weiterhin beschäftigt: ja" in body and "Weiterhin in der Region: nein" in body


@pytest.mark.parametrize("language", list(MailLanguage))
@pytest.mark.parametrize("milestone", list(Milestone))
def test_every_milestone_has_a_mail_in_every_language(milestone: Milestone, language: MailLanguage) -> None:
    mail = render(milestone, PID, facts_of(MILESTONE_EVENTS[milestone]), language)
    assert mail.subject.startswith("Integration Journey: ") and PID in mail.body


@pytest.mark.parametrize("language", list(MailLanguage))
@pytest.mark.parametrize("milestone", list(Milestone))
def test_subjects_and_bodies_arrive_as_they_were_written(milestone: Milestone, language: MailLanguage) -> None:
    text = render(milestone, PID, facts_of(MILESTONE_EVENTS[milestone]), language, "Koordination Süd")
    message = compose(
        sender="journey@example.org",
        to="desk@example.org",
        text=text,
        delivery_id=UUID(PID),
        language=language,
        sent_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
        participant_id=PID,
        milestone=milestone.value,
        caused_by_id="event-1",
    )
    received = email.message_from_bytes(to_wire(message), policy=email.policy.default)
    assert received["Subject"] == text.subject
    assert received["X-Journey-Participant"] == PID and received["X-Journey-Milestone"] == milestone.value
    assert received["X-Journey-Event-Id"] == "event-1"
    assert received.get_content().replace("\r\n", "\n") == text.body
    assert received["Message-ID"] == f"<{PID}@example.org>"

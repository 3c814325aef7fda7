"""Mail texts: German by default, English on request, coarse facts only."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

import pytest

from services.notifications.mailer import compose, to_wire
from services.notifications.templates import MailContext, render
from services.notifications.wording import FACT_VALUES, VALUES_DE
from shared.contracts import counselling, organisations, placement, qualification, recognition, recruitment
from shared.contracts.catalogue import MILESTONE_EVENTS
from shared.contracts.enums import Milestone, Route
from shared.contracts.examples import example_json
from shared.contracts.notifications import MailLanguage

PID = "5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b"


def facts_of(model: type[Any], **changes: object) -> dict[str, object]:
    facts = {**example_json(model), **changes}
    facts.pop("participant_id")
    return facts


def test_a_recognition_decision_reads_in_german_with_outcome_measures_and_date() -> None:
    mail = render(Milestone.RECOGNITION_DECIDED, PID, facts_of(recognition.RecognitionDecided))
    assert mail.subject == "Integration Journey: Anerkennung entschieden (Teilnehmende 5b0f2a8e…)"
    assert mail.body.startswith("Guten Tag,\n")
    assert f"Teilnehmende (Pseudonym): {PID}" in mail.body
    assert "Ergebnis: Ausgleichsmaßnahme erforderlich" in mail.body
    assert "Angebotene Ausgleichsmaßnahmen: Anpassungslehrgang, Kenntnisprüfung" in mail.body
    assert "Entschieden am: 28.05.2025" in mail.body


def test_english_recipients_get_english_mails() -> None:
    mail = render(Milestone.RECOGNITION_DECIDED, PID, facts_of(recognition.RecognitionDecided), MailLanguage.EN)
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


def test_overdue_documents_are_named_in_german_with_their_day_and_what_to_settle() -> None:
    facts = facts_of(recognition.DocumentsOverdue, missing_documents=["certified_translation", "proof_of_experience"])
    mail = render(Milestone.DOCUMENTS_OVERDUE, PID, facts)
    assert mail.subject == "Integration Journey: Fehlende Unterlagen überfällig (Teilnehmende 5b0f2a8e…)"
    assert "Fehlende Unterlagen: beglaubigte Übersetzung, Nachweis der Berufserfahrung" in mail.body
    assert "Unterlagen fällig am: 20.03.2025" in mail.body
    assert "wenn die Unterlagen vollständig sind" in mail.body
    english = render(Milestone.DOCUMENTS_OVERDUE, PID, facts, MailLanguage.EN)
    assert english.subject.startswith("Integration Journey: Missing documents overdue")
    assert "Missing documents: certified translation, proof of experience" in english.body
    assert "Documents due on: 2025-03-20" in english.body


def test_every_kind_of_missing_document_has_a_german_name() -> None:
    for kind in recognition.DocumentKind:
        assert kind.value in VALUES_DE, kind


def test_a_final_exam_failure_names_the_exam_its_part_and_the_attempts_and_says_it_cannot_be_retaken() -> None:
    mail = render(Milestone.EXAM_FINALLY_FAILED, PID, facts_of(qualification.ExamFinallyFailed))
    assert mail.subject == "Integration Journey: Prüfung endgültig nicht bestanden (Teilnehmende 5b0f2a8e…)"
    assert "Meilenstein: Prüfung endgültig nicht bestanden" in mail.body
    assert "Prüfung: Kenntnisprüfung" in mail.body and "Prüfungsteil: praktisch" in mail.body
    assert "Versuche insgesamt: 2" in mail.body and "Letzter Versuch am: 12.03.2026" in mail.body
    assert "kann nicht noch einmal abgelegt werden" in mail.body
    assert "5b2e8d41" not in mail.body  # the measure's id stays out
    oral = render(Milestone.EXAM_FINALLY_FAILED, PID, facts_of(qualification.ExamFinallyFailed, part="oral"))
    assert "Prüfungsteil: mündlich" in oral.body
    english = render(Milestone.EXAM_FINALLY_FAILED, PID, facts_of(qualification.ExamFinallyFailed), MailLanguage.EN)
    assert english.subject.startswith("Integration Journey: Exam finally failed")
    assert "Exam: knowledge test" in english.body and "Exam part: practical" in english.body
    assert "Attempts in total: 2" in english.body and "Last attempt on: 2026-03-12" in english.body


def test_an_exam_sat_whole_is_mailed_without_a_part() -> None:
    whole = facts_of(qualification.ExamFinallyFailed, exam="aptitude_test", part=None, attempts=3)
    mail = render(Milestone.EXAM_FINALLY_FAILED, PID, whole)
    assert "Prüfung: Eignungsprüfung" in mail.body and "Versuche insgesamt: 3" in mail.body
    assert "Prüfungsteil:" not in mail.body


def test_a_failed_attempt_at_a_part_names_the_part() -> None:
    mail = render(Milestone.EXAM_FAILED, PID, facts_of(qualification.ExamFailed, part="oral"))
    assert "Prüfung: Kenntnisprüfung" in mail.body and "Prüfungsteil: mündlich" in mail.body
    assert "Versuch: 1" in mail.body and "endgültig" not in mail.body


def test_a_statement_of_comparability_names_the_occupation_and_day_and_says_it_is_no_recognition() -> None:
    mail = render(Milestone.COMPARABILITY_STATED, PID, facts_of(recognition.ComparabilityStated))
    assert mail.subject == "Integration Journey: Zeugnisbewertung ausgestellt (Teilnehmende 5b0f2a8e…)"
    assert "Beruf (KldB 2010): 27104" in mail.body and "Ausgestellt am: 14.04.2025" in mail.body
    assert "keine Anerkennung und keine Berufszulassung" in mail.body
    unknown = render(Milestone.COMPARABILITY_STATED, PID, facts_of(recognition.ComparabilityStated, occupation=None))
    assert "KldB" not in unknown.body
    english = render(Milestone.COMPARABILITY_STATED, PID, facts_of(recognition.ComparabilityStated), MailLanguage.EN)
    assert english.subject.startswith("Integration Journey: Statement of comparability issued")
    assert "Occupation (KldB 2010): 27104" in english.body and "Issued on: 2025-04-14" in english.body


def test_no_recognition_needed_names_the_counselling_organisation_and_the_day_it_counselled() -> None:
    mail = render(Milestone.RECOGNITION_NOT_NEEDED, PID, facts_of(recognition.RecognitionNotNeeded))
    assert mail.subject == "Integration Journey: Kein Anerkennungsverfahren nötig (Teilnehmende 5b0f2a8e…)"
    assert "Beratende Organisation: iq-network-example" in mail.body and "Beraten am: 10.02.2025" in mail.body
    assert "Beruf (KldB 2010): 43104" in mail.body
    assert "Qualifizierung und Vermittlung gehen weiter" in mail.body
    english = render(Milestone.RECOGNITION_NOT_NEEDED, PID, facts_of(recognition.RecognitionNotNeeded), MailLanguage.EN)
    assert english.subject.startswith("Integration Journey: No recognition procedure needed")
    assert (
        "Counselling organisation: iq-network-example" in english.body and "Counselled on: 2025-02-10" in english.body
    )


def test_a_training_started_names_the_profession_the_school_and_the_expected_end() -> None:
    mail = render(Milestone.TRAINING_STARTED, PID, facts_of(recognition.TrainingStarted))
    assert mail.subject == "Integration Journey: Ausbildung begonnen (Teilnehmende 5b0f2a8e…)"
    assert "Ausbildungsberuf: Pflegefachkraft" in mail.body and "Beruf (KldB 2010): 81302" in mail.body
    assert "Schule oder Bildungsträger: nursing-school-x" in mail.body
    assert "Beginn am: 01.09.2025" in mail.body and "Voraussichtliches Ende: 31.08.2028" in mail.body
    english = render(Milestone.TRAINING_STARTED, PID, facts_of(recognition.TrainingStarted), MailLanguage.EN)
    assert english.subject.startswith("Integration Journey: Vocational training started")
    assert "School or training provider: nursing-school-x" in english.body
    assert "Expected to end on: 2028-08-31" in english.body


def test_a_training_completed_names_the_profession_and_the_day() -> None:
    mail = render(Milestone.TRAINING_COMPLETED, PID, facts_of(recognition.TrainingCompleted))
    assert mail.subject == "Integration Journey: Ausbildung abgeschlossen (Teilnehmende 5b0f2a8e…)"
    assert "Ausbildungsberuf: Pflegefachkraft" in mail.body and "Abgeschlossen am: 15.07.2028" in mail.body
    english = render(Milestone.TRAINING_COMPLETED, PID, facts_of(recognition.TrainingCompleted), MailLanguage.EN)
    assert "Trained for: nursing professional" in english.body and "Completed on: 2028-07-15" in english.body


def test_an_application_mail_names_the_route_and_the_occupation() -> None:
    mail = render(Milestone.APPLICATION_SUBMITTED, PID, facts_of(recognition.ApplicationSubmitted))
    assert "Referenzberuf: Pflegefachkraft" in mail.body and "Beruf (KldB 2010): 81302" in mail.body
    assert "Weg in den Beruf: Pflegefachkraft (PflBG)" in mail.body
    doctor = render(Milestone.APPLICATION_SUBMITTED, PID, facts_of(recognition.ApplicationSubmitted, route="doctor"))
    assert "Weg in den Beruf: Ärztin/Arzt (BÄO)" in doctor.body
    english = render(Milestone.APPLICATION_SUBMITTED, PID, facts_of(recognition.ApplicationSubmitted), MailLanguage.EN)
    assert "Route into work: nurse (PflBG)" in english.body
    older = facts_of(recognition.ApplicationSubmitted, route=None, occupation=None)  # published before routes
    assert "Weg in den Beruf" not in render(Milestone.APPLICATION_SUBMITTED, PID, older).body


@pytest.mark.parametrize("language", list(MailLanguage))
@pytest.mark.parametrize("route", list(Route))
def test_every_route_reads_as_words_in_every_language(route: Route, language: MailLanguage) -> None:
    assert route.value in FACT_VALUES["route"][language]
    mail = render(Milestone.APPLICATION_SUBMITTED, PID, facts_of(recognition.ApplicationSubmitted, route=route))
    assert f": {route.value}\n" not in mail.body


def test_home_care_is_home_support_not_nursing_care() -> None:
    facts = facts_of(recognition.ApplicationSubmitted, reference_profession="home_care", route="non_regulated")
    body = render(Milestone.APPLICATION_SUBMITTED, PID, facts).body
    assert "Referenzberuf: Häusliche Betreuung" in body and "Pflege" not in body
    assert "Weg in den Beruf: nicht reglementierter Beruf (BQFG)" in body
    recruited = render(Milestone.PARTICIPANT_RECRUITED, PID, {"target_profession": "home_care"}).body
    assert "Zielberuf: Häusliche Betreuung" in recruited


def test_new_measure_kinds_and_exam_parts_have_german_names() -> None:
    for code in (*qualification.MeasureKind, *qualification.ExamPart):
        assert code.value in VALUES_DE, code
    assert VALUES_DE["adaptation_qualification"] == "Anpassungsqualifizierung"


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


def test_a_counselling_names_its_kind_the_outcome_the_route_recommended_and_who_counselled() -> None:
    mail = render(Milestone.COUNSELLING_HELD, PID, facts_of(counselling.CounsellingSessionHeld))
    assert mail.subject == "Integration Journey: Beratung durchgeführt (Teilnehmende 5b0f2a8e…)"
    assert "Art der Beratung: Anerkennungsberatung" in mail.body and "Ergebnis: Weg empfohlen" in mail.body
    assert "Empfohlener Weg: Pflegefachkraft (PflBG)" in mail.body
    assert "Beratende Organisation: iq-centre-x" in mail.body and "Beraten am: 27.01.2025" in mail.body
    assert "weiterverfolgen" in mail.body
    assert "Sprache" not in mail.body and ": ar" not in mail.body  # the language of counselling stays out
    employer = facts_of(
        counselling.CounsellingSessionHeld,
        counselling_type="employer",
        outcome="referral",
        route_recommended=None,
        referred_to="jobcenter-x",
        follow_up_on="2025-02-10",
    )
    referral = render(Milestone.COUNSELLING_HELD, PID, employer).body
    assert (
        "Art der Beratung: Arbeitgeberberatung" in referral and "Ergebnis: Verweisung an eine Organisation" in referral
    )
    assert "Verwiesen an: jobcenter-x" in referral and "Nächster Kontakt bis: 10.02.2025" in referral
    english = render(Milestone.COUNSELLING_HELD, PID, employer, MailLanguage.EN)
    assert "Kind of counselling: employer counselling" in english.body and "Outcome: referral" in english.body


def test_a_referral_names_the_organisation_referred_to_and_by_when_to_follow_up() -> None:
    mail = render(Milestone.REFERRAL_MADE, PID, facts_of(counselling.ReferralMade))
    assert mail.subject == "Integration Journey: Verweisung an eine Organisation (Teilnehmende 5b0f2a8e…)"
    assert "Verwiesen an: language-school-x" in mail.body and "Nächster Kontakt bis: 03.03.2025" in mail.body
    assert "Bitte bis zum genannten Tag nachfragen" in mail.body
    english = render(Milestone.REFERRAL_MADE, PID, facts_of(counselling.ReferralMade), MailLanguage.EN)
    assert "Referred to: language-school-x" in english.body and "Next contact by: 2025-03-03" in english.body


def test_a_handover_names_both_organisations_and_the_day() -> None:
    facts = facts_of(organisations.LeadHandedOver, from_org="iq-centre-x", to_org="jobcenter-x")
    mail = render(Milestone.LEAD_HANDED_OVER, PID, facts)
    assert mail.subject == "Integration Journey: Federführung übergeben (Teilnehmende 5b0f2a8e…)"
    assert "Bisher federführend: iq-centre-x" in mail.body and "Jetzt federführend: jobcenter-x" in mail.body
    assert "Übergeben am: 05.01.2026" in mail.body and "Fristen übergeben" in mail.body
    english = render(Milestone.LEAD_HANDED_OVER, PID, facts, MailLanguage.EN)
    assert "Lead until now: iq-centre-x" in english.body and "Lead from now on: jobcenter-x" in english.body


def test_a_pause_names_its_reason_and_the_expected_return_and_says_which_deadlines_run_on() -> None:
    mail = render(Milestone.PARTICIPATION_PAUSED, PID, facts_of(recruitment.ParticipationPaused))
    assert mail.subject == "Integration Journey: Teilnahme pausiert (Teilnehmende 5b0f2a8e…)"
    assert "Grund der Pause: Elternzeit" in mail.body and "Pause begonnen am: 01.10.2025" in mail.body
    assert "Voraussichtliche Rückkehr am: 01.04.2026" in mail.body
    assert "laufen weiter" in mail.body and "ruhen bis zur Rückkehr" in mail.body
    english = render(Milestone.PARTICIPATION_PAUSED, PID, facts_of(recruitment.ParticipationPaused), MailLanguage.EN)
    assert "Reason for the pause: parental leave" in english.body and "Expected back on: 2026-04-01" in english.body
    open_ended = facts_of(recruitment.ParticipationPaused, expected_return_on=None)
    assert "Rückkehr am" not in render(Milestone.PARTICIPATION_PAUSED, PID, open_ended).body


def test_a_return_a_completion_and_a_reactivation_say_what_happened_and_what_goes_on() -> None:
    resumed = render(Milestone.PARTICIPATION_RESUMED, PID, facts_of(recruitment.ParticipationResumed)).body
    assert "Wieder dabei seit: 16.03.2026" in resumed and "laufen wieder" in resumed
    completed = render(Milestone.PARTICIPATION_COMPLETED, PID, facts_of(recruitment.ParticipationCompleted)).body
    assert "Ergebnis der Teilnahme: Berufszulassung und beschäftigt" in completed
    assert "Abgeschlossen am: 30.06.2026" in completed and "6, 12, 24 und 36 Monaten" in completed
    back = render(Milestone.PARTICIPANT_REACTIVATED, PID, facts_of(recruitment.ParticipantReactivated)).body
    assert "Vorheriger Stand: vorzeitig beendet" in back and "Wieder aufgenommen am: 01.09.2026" in back
    english = render(
        Milestone.PARTICIPATION_COMPLETED, PID, facts_of(recruitment.ParticipationCompleted), MailLanguage.EN
    )
    assert "Result of the participation: licensed and employed" in english.body


def test_the_end_notice_reminder_names_the_employer_the_last_day_and_the_notice_day_under_section_4a_5() -> None:
    mail = render(Milestone.EMPLOYMENT_END_NOTICE_DUE, PID, facts_of(placement.EmploymentEndNoticeDue))
    assert mail.subject == "Integration Journey: Meldung an die Ausländerbehörde fällig (Teilnehmende 5b0f2a8e…)"
    assert "Arbeitgeber: care-home-example" in mail.body and "Letzter Arbeitstag: 31.10.2026" in mail.body
    assert "Meldung an die Ausländerbehörde nach §4a Abs. 5 AufenthG bis: 28.11.2026" in mail.body
    english = render(
        Milestone.EMPLOYMENT_END_NOTICE_DUE, PID, facts_of(placement.EmploymentEndNoticeDue), MailLanguage.EN
    )
    assert "Employer: care-home-example" in english.body and "due by: 2026-11-28" in english.body


def test_a_drop_out_shows_its_coarse_reason_and_the_stage_when_given() -> None:
    mail = render(Milestone.PARTICIPANT_WITHDRAWN, PID, facts_of(recruitment.ParticipantWithdrawn))
    assert "Beendet am: 30.09.2025" in mail.body and "Ausgestiegen in der Phase: Aufnahme" in mail.body
    assert "Grund: weggezogen" in mail.body
    english = render(Milestone.PARTICIPANT_WITHDRAWN, PID, facts_of(recruitment.ParticipantWithdrawn), MailLanguage.EN)
    assert "Reason: moved away" in english.body
    unknown = facts_of(recruitment.ParticipantWithdrawn, dropped_out_in=None)
    assert "Phase" not in render(Milestone.PARTICIPANT_WITHDRAWN, PID, unknown).body


@pytest.mark.parametrize(
    "codes",
    [
        recruitment.OrgRole,
        recruitment.PauseReason,
        recruitment.ParticipationResult,
        recruitment.JourneyStage,
        recruitment.WithdrawalReason,
        recruitment.ParticipantStatus,
        counselling.CounsellingOutcome,
    ],
)
def test_every_new_code_has_a_german_name(codes: type[StrEnum]) -> None:
    for code in codes:
        assert code.value in VALUES_DE, code


@pytest.mark.parametrize("language", list(MailLanguage))
def test_every_kind_of_counselling_reads_as_words_in_every_language(language: MailLanguage) -> None:
    for kind in counselling.CounsellingType:
        assert kind.value in FACT_VALUES["counselling_type"][language], kind


@pytest.mark.parametrize("language", list(MailLanguage))
@pytest.mark.parametrize("milestone", list(Milestone))
def test_every_milestone_has_a_mail_in_every_language(milestone: Milestone, language: MailLanguage) -> None:
    mail = render(milestone, PID, facts_of(MILESTONE_EVENTS[milestone]), language)
    assert mail.subject.startswith("Integration Journey: ") and PID in mail.body


@pytest.mark.parametrize("language", list(MailLanguage))
@pytest.mark.parametrize("milestone", list(Milestone))
def test_subjects_and_bodies_arrive_as_they_were_written(milestone: Milestone, language: MailLanguage) -> None:
    text = render(milestone, PID, facts_of(MILESTONE_EVENTS[milestone]), language)
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


def test_every_mailbox_is_greeted_alike_without_a_name() -> None:
    for language, greeting in ((MailLanguage.DE, "Guten Tag,\n"), (MailLanguage.EN, "Hello,\n")):
        assert render(
            Milestone.RECOGNITION_DECIDED, PID, facts_of(recognition.RecognitionDecided), language
        ).body.startswith(greeting)


def test_regions_organisations_and_the_profession_are_named_in_words() -> None:
    context = MailContext(profession="home_care", region="DE-SL", org_names={"iq-saar-example": "IQ Beratung Saar"})
    facts = facts_of(recruitment.ParticipantRecruited, partner_org="iq-saar-example", region="DE-SL")
    mail = render(Milestone.PARTICIPANT_RECRUITED, PID, facts, context=context)
    assert "Region: Saarland" in mail.body and "Zuständige Organisation: IQ Beratung Saar" in mail.body
    assert "DE-SL" not in mail.body and "iq-saar-example" not in mail.body
    decided = render(Milestone.RECOGNITION_DECIDED, PID, facts_of(recognition.RecognitionDecided), context=context)
    assert "Beruf: Häusliche Betreuung\n" in decided.body and "Region: Saarland" in decided.body
    assert "Häusliche Pflege" not in decided.body
    other = render(Milestone.RECOGNITION_DECIDED, PID, {}, context=MailContext(profession="other"))
    assert "Beruf: Sonstiger Beruf" in other.body
    handover = facts_of(organisations.LeadHandedOver)
    unnamed = render(Milestone.LEAD_HANDED_OVER, PID, handover, context=context)
    assert f"Bisher federführend: {handover['from_org']}" in unnamed.body  # no name known: the id


def test_an_exam_attempt_is_counted_out_of_those_the_law_allows_for_the_profession() -> None:
    failed = facts_of(qualification.ExamFailed, exam="knowledge_test", attempt=1, part=None)
    assert (
        "Versuch: 1 von 3" in render(Milestone.EXAM_FAILED, PID, failed, context=MailContext(profession="doctor")).body
    )
    nurse = MailContext(profession="nursing_professional")
    assert "Versuch: 1 von 2" in render(Milestone.EXAM_FAILED, PID, failed, context=nurse).body
    assert "Versuch: 1\n" in render(Milestone.EXAM_FAILED, PID, failed).body  # profession unknown: no total
    language = facts_of(qualification.ExamFailed, exam="language_exam", attempt=4, part=None)
    assert "Versuch: 4\n" in render(Milestone.EXAM_FAILED, PID, language, context=nurse).body
    finally_failed = facts_of(qualification.ExamFinallyFailed, exam="knowledge_test", attempts=2)
    assert (
        "Versuche insgesamt: 2 von 2" in render(Milestone.EXAM_FINALLY_FAILED, PID, finally_failed, context=nurse).body
    )


def test_the_case_reference_is_shown_only_when_the_mailbox_is_the_organisation_that_gave_it() -> None:
    mine = render(Milestone.RECOGNITION_DECIDED, PID, {}, context=MailContext(case_reference="BER-2026-0147"))
    assert "Ihr Aktenzeichen: BER-2026-0147" in mine.body
    assert "Aktenzeichen" not in render(Milestone.RECOGNITION_DECIDED, PID, {}).body


def test_what_to_do_next_and_by_when() -> None:
    overdue = render(Milestone.DECISION_OVERDUE, PID, {"decision_due_on": "2026-06-10"}).body
    assert "Was ist zu tun: Bei der zuständigen Stelle nach dem Stand des Verfahrens fragen." in overdue
    assert (
        "Untätigkeitsklage möglich (§ 75 VwGO)" in overdue and "Bis wann: umgehend (fällig seit 10.06.2026)" in overdue
    )
    english = render(Milestone.DECISION_OVERDUE, PID, {"decision_due_on": "2026-06-10"}, MailLanguage.EN).body
    assert "action for failure to act (Untätigkeitsklage, § 75 VwGO) is possible" in english
    notice = render(Milestone.EMPLOYMENT_END_NOTICE_DUE, PID, facts_of(placement.EmploymentEndNoticeDue)).body
    assert "4 Wochen ab Kenntnis" in notice and "Bis wann: bis 28.11.2026" in notice
    expiring = render(Milestone.LICENCE_EXPIRING, PID, facts_of(recognition.LicenceExpiring)).body
    assert "Bis wann: bis 31.03.2027" in expiring
    for milestone, fact in (
        (Milestone.DOCUMENTS_OVERDUE, "documents_due_on"),
        (Milestone.RETENTION_CHECK_OVERDUE, "due_on"),
    ):
        assert "Bis wann: umgehend (fällig seit 01.03.2026)" in render(milestone, PID, {fact: "2026-03-01"}).body

"""The words of the mails, German and English: milestone titles, fact labels and coded values."""

from __future__ import annotations

from shared.contracts.enums import Milestone
from shared.contracts.notifications import MailLanguage

DE, EN = MailLanguage.DE, MailLanguage.EN

TITLES: dict[Milestone, dict[MailLanguage, str]] = {
    Milestone.PARTICIPANT_RECRUITED: {DE: "Teilnehmende aufgenommen", EN: "Participant recruited"},
    Milestone.APPLICATION_SUBMITTED: {DE: "Anerkennungsantrag gestellt", EN: "Recognition application submitted"},
    Milestone.RECEIPT_OVERDUE: {DE: "Eingangsbestätigung überfällig", EN: "Confirmation of receipt overdue"},
    Milestone.DOCUMENTS_OVERDUE: {DE: "Fehlende Unterlagen überfällig", EN: "Missing documents overdue"},
    Milestone.APPLICATION_COMPLETE: {DE: "Antrag vollständig", EN: "Application complete"},
    Milestone.RECOGNITION_DECIDED: {DE: "Anerkennung entschieden", EN: "Recognition decided"},
    Milestone.DECISION_OVERDUE: {DE: "Entscheidung überfällig", EN: "Decision overdue"},
    Milestone.COMPARABILITY_STATED: {
        DE: "Zeugnisbewertung ausgestellt",
        EN: "Statement of comparability issued",
    },
    Milestone.RECOGNITION_NOT_NEEDED: {
        DE: "Kein Anerkennungsverfahren nötig",
        EN: "No recognition procedure needed",
    },
    Milestone.TRAINING_STARTED: {DE: "Ausbildung begonnen", EN: "Vocational training started"},
    Milestone.TRAINING_COMPLETED: {DE: "Ausbildung abgeschlossen", EN: "Vocational training completed"},
    Milestone.LANGUAGE_TARGET_REACHED: {DE: "Sprachziel erreicht", EN: "Language target reached"},
    Milestone.EXAM_FAILED: {DE: "Prüfung nicht bestanden", EN: "Exam failed"},
    Milestone.EXAM_FINALLY_FAILED: {DE: "Prüfung endgültig nicht bestanden", EN: "Exam finally failed"},
    Milestone.QUALIFICATION_COMPLETED: {DE: "Qualifizierung abgeschlossen", EN: "Qualification completed"},
    Milestone.LICENCE_GRANTED: {DE: "Berufszulassung erteilt", EN: "Licence to practise granted"},
    Milestone.LICENCE_EXPIRING: {DE: "Berufserlaubnis läuft bald ab", EN: "Berufserlaubnis ends soon"},
    Milestone.LICENCE_EXPIRED: {DE: "Berufserlaubnis abgelaufen", EN: "Berufserlaubnis ended"},
    Milestone.PLACEMENT_CONFIRMED: {DE: "Vermittlung bestätigt", EN: "Placement confirmed"},
    Milestone.EMPLOYMENT_STARTED: {DE: "Beschäftigung begonnen", EN: "Employment started"},
    Milestone.RETENTION_CHECK_RECORDED: {DE: "Verbleib nachgefragt", EN: "Retention check recorded"},
    Milestone.RETENTION_CHECK_OVERDUE: {DE: "Verbleibsnachfrage überfällig", EN: "Retention check overdue"},
    Milestone.EMPLOYMENT_PERMIT_EXPIRED: {
        DE: "Beschäftigung ohne gültige Berufserlaubnis",
        EN: "Employment without a valid Berufserlaubnis",
    },
    Milestone.EMPLOYMENT_ENDED: {DE: "Beschäftigung beendet", EN: "Employment ended"},
    Milestone.PARTICIPANT_WITHDRAWN: {DE: "Teilnahme beendet", EN: "Participant withdrawn"},
    Milestone.COUNSELLING_HELD: {DE: "Beratung durchgeführt", EN: "Counselling held"},
    Milestone.REFERRAL_MADE: {DE: "Verweisung an eine Organisation", EN: "Referral to an organisation"},
    Milestone.LEAD_HANDED_OVER: {DE: "Federführung übergeben", EN: "Lead handed over"},
    Milestone.PARTICIPATION_PAUSED: {DE: "Teilnahme pausiert", EN: "Participation paused"},
    Milestone.PARTICIPATION_RESUMED: {DE: "Teilnahme wieder aufgenommen", EN: "Participation resumed"},
    Milestone.PARTICIPATION_COMPLETED: {DE: "Teilnahme abgeschlossen", EN: "Participation completed"},
    Milestone.PARTICIPANT_REACTIVATED: {DE: "Teilnehmende wieder aufgenommen", EN: "Participant back in the programme"},
    Milestone.EMPLOYMENT_END_NOTICE_DUE: {
        DE: "Meldung an die Ausländerbehörde fällig",
        EN: "Notice to the foreigners' authority due",
    },
}

COUNSELLING_FACTS = (
    "counselling_type",
    "outcome",
    "route_recommended",
    "referred_to",
    "follow_up_on",
    "org_id",
    "held_on",
)

# The coarse facts a mail shows, per milestone. Anything else in the event (reasons, authorities, employers)
# stays out of the mail by construction.
FACTS: dict[Milestone, tuple[str, ...]] = {
    Milestone.PARTICIPANT_RECRUITED: ("target_profession", "language_level", "region", "partner_org"),
    Milestone.APPLICATION_SUBMITTED: ("reference_profession", "occupation", "route", "track", "submitted_on"),
    Milestone.RECEIPT_OVERDUE: ("track", "submitted_on", "receipt_due_on"),
    Milestone.DOCUMENTS_OVERDUE: ("missing_documents", "documents_due_on"),
    Milestone.APPLICATION_COMPLETE: ("complete_on", "decision_due_on"),
    Milestone.RECOGNITION_DECIDED: ("outcome", "measures_offered", "decided_on"),
    Milestone.DECISION_OVERDUE: ("decision_due_on",),
    Milestone.COMPARABILITY_STATED: ("occupation", "issued_on"),
    Milestone.RECOGNITION_NOT_NEEDED: ("occupation", "partner_org", "decided_on"),
    Milestone.TRAINING_STARTED: ("profession", "occupation", "school_id", "starts_on", "expected_end_on"),
    Milestone.TRAINING_COMPLETED: ("profession", "completed_on"),
    Milestone.LANGUAGE_TARGET_REACHED: ("level", "target_level", "reached_on"),
    Milestone.EXAM_FAILED: ("exam", "part", "attempt", "taken_on"),
    Milestone.EXAM_FINALLY_FAILED: ("exam", "part", "attempts", "failed_on"),
    Milestone.QUALIFICATION_COMPLETED: ("completed_on", "language_level", "route"),
    Milestone.LICENCE_GRANTED: ("licence", "granted_on", "valid_until"),
    Milestone.LICENCE_EXPIRING: ("licence", "valid_until"),
    Milestone.LICENCE_EXPIRED: ("licence", "valid_until"),
    Milestone.PLACEMENT_CONFIRMED: ("role_level", "contract_signed_on", "starts_on", "in_region"),
    Milestone.EMPLOYMENT_STARTED: ("role_level", "started_on", "in_region"),
    Milestone.RETENTION_CHECK_RECORDED: ("months", "still_employed", "still_in_region", "checked_on"),
    Milestone.RETENTION_CHECK_OVERDUE: ("months", "due_on"),
    Milestone.EMPLOYMENT_PERMIT_EXPIRED: ("licence", "valid_until", "started_on"),
    Milestone.EMPLOYMENT_ENDED: ("ended_on", "authority_notice_due_on"),
    Milestone.PARTICIPANT_WITHDRAWN: ("reason", "withdrawn_on", "dropped_out_in"),
    Milestone.COUNSELLING_HELD: COUNSELLING_FACTS,
    Milestone.REFERRAL_MADE: ("referred_to", "follow_up_on", "org_id", "referred_on"),
    Milestone.LEAD_HANDED_OVER: ("from_org", "to_org", "handed_over_on"),
    Milestone.PARTICIPATION_PAUSED: ("reason", "paused_on", "expected_return_on"),
    Milestone.PARTICIPATION_RESUMED: ("resumed_on", "paused_on"),
    Milestone.PARTICIPATION_COMPLETED: ("result", "completed_on"),
    Milestone.PARTICIPANT_REACTIVATED: ("previous_status", "reactivated_on"),
    Milestone.EMPLOYMENT_END_NOTICE_DUE: ("employer_id", "ended_on", "notice_due_on"),
}

# Facts whose label differs for a milestone (a key of LABELS): the same field means something else there.
LABEL_KEYS: dict[Milestone, dict[str, str]] = {
    # counselling advised against a procedure: the organisation that counselled, the day it did
    Milestone.RECOGNITION_NOT_NEEDED: {"partner_org": "counselling_org", "decided_on": "counselled_on"},
    # the organisation that counselled or referred, the day it did; a pause's reason is the pause's
    Milestone.COUNSELLING_HELD: {"org_id": "counselling_org", "held_on": "counselled_on"},
    Milestone.REFERRAL_MADE: {"org_id": "counselling_org", "referred_on": "counselled_on"},
    Milestone.PARTICIPATION_PAUSED: {"reason": "pause_reason"},
    Milestone.PARTICIPANT_WITHDRAWN: {"reason": "withdrawal_reason"},
}

# Facts that hold an organisation's id: mails show its name (from recruitment's OrganisationRegistered) instead.
ORG_FACTS = frozenset({"partner_org", "org_id", "from_org", "to_org", "referred_to", "school_id", "employer_id"})

LABELS: dict[MailLanguage, dict[str, str]] = {
    DE: {
        "target_profession": "Zielberuf",
        "language_level": "Sprachniveau",
        "region": "Region",
        "partner_org": "Zuständige Organisation",
        "reference_profession": "Referenzberuf",
        "occupation": "Beruf (KldB 2010)",
        "route": "Weg in den Beruf",
        "track": "Verfahren",
        "submitted_on": "Gestellt am",
        "receipt_due_on": "Eingangsbestätigung fällig am",
        "missing_documents": "Fehlende Unterlagen",
        "documents_due_on": "Unterlagen fällig am",
        "complete_on": "Vollständig seit",
        "decision_due_on": "Entscheidung fällig am",
        "outcome": "Ergebnis",
        "measures_offered": "Angebotene Ausgleichsmaßnahmen",
        "decided_on": "Entschieden am",
        "issued_on": "Ausgestellt am",
        "counselling_org": "Beratende Organisation",
        "counselled_on": "Beraten am",
        "profession": "Ausbildungsberuf",
        "school_id": "Schule oder Bildungsträger",
        "expected_end_on": "Voraussichtliches Ende",
        "level": "Erreichtes Niveau",
        "target_level": "Zielniveau",
        "reached_on": "Erreicht am",
        "exam": "Prüfung",
        "part": "Prüfungsteil",
        "attempt": "Versuch",
        "taken_on": "Geprüft am",
        "attempts": "Versuche insgesamt",
        "failed_on": "Letzter Versuch am",
        "completed_on": "Abgeschlossen am",
        "licence": "Zulassung",
        "granted_on": "Erteilt am",
        "valid_until": "Gültig bis",
        "role_level": "Tätigkeit",
        "contract_signed_on": "Vertrag unterschrieben am",
        "starts_on": "Beginn am",
        "in_region": "In der Region",
        "started_on": "Begonnen am",
        "months": "Monate nach Beginn",
        "still_employed": "Weiterhin beschäftigt",
        "still_in_region": "Weiterhin in der Region",
        "checked_on": "Nachgefragt am",
        "due_on": "Fällig am",
        "ended_on": "Letzter Arbeitstag",
        "authority_notice_due_on": "Meldung an die Ausländerbehörde bis",
        "withdrawn_on": "Beendet am",
        "dropped_out_in": "Ausgestiegen in der Phase",
        "counselling_type": "Art der Beratung",
        "route_recommended": "Empfohlener Weg",
        "referred_to": "Verwiesen an",
        "follow_up_on": "Nächster Kontakt bis",
        "from_org": "Bisher federführend",
        "to_org": "Jetzt federführend",
        "handed_over_on": "Übergeben am",
        "pause_reason": "Grund der Pause",
        "withdrawal_reason": "Grund",
        "case_reference": "Ihr Aktenzeichen",
        "participant_profession": "Beruf",
        "paused_on": "Pause begonnen am",
        "expected_return_on": "Voraussichtliche Rückkehr am",
        "resumed_on": "Wieder dabei seit",
        "result": "Ergebnis der Teilnahme",
        "previous_status": "Vorheriger Stand",
        "reactivated_on": "Wieder aufgenommen am",
        "employer_id": "Arbeitgeber",
        "notice_due_on": "Meldung an die Ausländerbehörde nach §4a Abs. 5 AufenthG bis",
    },
    EN: {
        "target_profession": "Target profession",
        "language_level": "Language level",
        "region": "Region",
        "partner_org": "Organisation in charge",
        "reference_profession": "Reference profession",
        "occupation": "Occupation (KldB 2010)",
        "route": "Route into work",
        "track": "Procedure",
        "submitted_on": "Submitted on",
        "receipt_due_on": "Confirmation of receipt due on",
        "missing_documents": "Missing documents",
        "documents_due_on": "Documents due on",
        "complete_on": "Complete since",
        "decision_due_on": "Decision due on",
        "outcome": "Outcome",
        "measures_offered": "Compensation measures offered",
        "decided_on": "Decided on",
        "issued_on": "Issued on",
        "counselling_org": "Counselling organisation",
        "counselled_on": "Counselled on",
        "profession": "Trained for",
        "school_id": "School or training provider",
        "expected_end_on": "Expected to end on",
        "level": "Level reached",
        "target_level": "Target level",
        "reached_on": "Reached on",
        "exam": "Exam",
        "part": "Exam part",
        "attempt": "Attempt",
        "taken_on": "Taken on",
        "attempts": "Attempts in total",
        "failed_on": "Last attempt on",
        "completed_on": "Completed on",
        "licence": "Licence",
        "granted_on": "Granted on",
        "valid_until": "Valid until",
        "role_level": "Employed as",
        "contract_signed_on": "Contract signed on",
        "starts_on": "Starts on",
        "in_region": "In the region",
        "started_on": "Started on",
        "months": "Months after the start",
        "still_employed": "Still employed",
        "still_in_region": "Still in the region",
        "checked_on": "Checked on",
        "due_on": "Due on",
        "ended_on": "Last working day",
        "authority_notice_due_on": "Notice to the foreigners' authority due by",
        "withdrawn_on": "Left on",
        "dropped_out_in": "Dropped out in",
        "counselling_type": "Kind of counselling",
        "route_recommended": "Route recommended",
        "referred_to": "Referred to",
        "follow_up_on": "Next contact by",
        "from_org": "Lead until now",
        "to_org": "Lead from now on",
        "handed_over_on": "Handed over on",
        "pause_reason": "Reason for the pause",
        "withdrawal_reason": "Reason",
        "case_reference": "Your case reference",
        "participant_profession": "Profession",
        "paused_on": "Paused on",
        "expected_return_on": "Expected back on",
        "resumed_on": "Back since",
        "result": "Result of the participation",
        "previous_status": "Previous status",
        "reactivated_on": "Back on",
        "employer_id": "Employer",
        "notice_due_on": "Notice to the foreigners' authority under § 4a(5) AufenthG due by",
    },
}

# German names of coded values; English mails show the code in plain words.
VALUES_DE: dict[str, str] = {
    "full_equivalence": "volle Gleichwertigkeit",
    "partial_equivalence": "teilweise Gleichwertigkeit",
    "compensation_required": "Ausgleichsmaßnahme erforderlich",
    "rejected": "abgelehnt",
    "adaptation_course": "Anpassungslehrgang",
    "knowledge_test": "Kenntnisprüfung",
    "aptitude_test": "Eignungsprüfung",
    "language_course": "Sprachkurs",
    "knowledge_test_preparation": "Vorbereitung auf die Kenntnisprüfung",
    "aptitude_test_preparation": "Vorbereitung auf die Eignungsprüfung",
    "adaptation_qualification": "Anpassungsqualifizierung",
    "nursing_professional": "Pflegefachkraft",
    "doctor": "Ärztin/Arzt",
    "nursing_assistant": "Pflegehilfskraft",
    "home_care": "Häusliche Betreuung",
    "other": "Sonstiges",
    "standard": "Regelverfahren",
    "fast_track_81a": "beschleunigtes Fachkräfteverfahren (§ 81a AufenthG)",
    "recognition_partnership_16d": "Anerkennungspartnerschaft (§ 16d Abs. 3 AufenthG)",
    "language_exam": "Sprachprüfung",
    "fachsprachpruefung": "Fachsprachprüfung",
    "oral": "mündlich",
    "practical": "praktisch",
    "berufserlaubnis": "Berufserlaubnis",
    "approbation": "Approbation",
    "nursing_licence": "Erlaubnis zum Führen der Berufsbezeichnung",
    "skilled_worker": "Fachkraft",
    "assistant_pending_recognition": "Hilfskraft bis zur Anerkennung",
    "under_berufserlaubnis": "mit Berufserlaubnis",
    "identity_document": "Identitätsnachweis",
    "training_certificate": "Ausbildungsnachweis",
    "transcript": "Fächer- und Stundenaufstellung",
    "proof_of_experience": "Nachweis der Berufserfahrung",
    "language_certificate": "Sprachnachweis",
    "certificate_of_good_standing": "Bescheinigung der Berufsberechtigung (Certificate of Good Standing)",
    "criminal_record_extract": "Führungszeugnis",
    "fitness_certificate": "Bescheinigung der gesundheitlichen Eignung",
    "certified_translation": "beglaubigte Übersetzung",
    "curriculum_vitae": "Lebenslauf",
    "fee_payment": "Zahlung der Gebühr",
    # the roles of organisations in a case (OrgRole)
    "counselling_centre": "Beratungsstelle",
    "measure_provider": "Sprachschule oder Bildungsträger",
    "employer": "Arbeitgeber",
    "jobcenter": "Jobcenter oder Agentur für Arbeit",
    "authority": "zuständige Stelle",
    "recruiter": "Vermittlungspartner",
    # reasons for a pause (PauseReason)
    "parental_leave": "Elternzeit",
    "illness": "Krankheit",
    "care_duties": "Pflege von Angehörigen",
    "stay_abroad": "Aufenthalt im Ausland",
    "waiting_for_visa": "Warten auf das Visum",
    # what a participant leaves the programme with (ParticipationResult)
    "licensed_and_employed": "Berufszulassung und beschäftigt",
    "recognised_and_employed": "anerkannt und beschäftigt",
    "employed_without_recognition": "beschäftigt ohne Anerkennung",
    "employed_recognition_pending": "beschäftigt, Anerkennung läuft (z. B. Anerkennungspartnerschaft)",
    "in_training": "in Ausbildung",
    "recognised_not_employed": "anerkannt, noch nicht beschäftigt",
    # what a counselling came to (CounsellingOutcome)
    "route_recommended": "Weg empfohlen",
    "referral": "Verweisung an eine Organisation",
    "no_further_need": "kein weiterer Bedarf",
    # the stages of the journey (JourneyStage)
    "recruitment": "Aufnahme",
    "recognition": "Anerkennung",
    "qualification": "Qualifizierung",
    "placement": "Vermittlung",
    "follow_up": "Nachbetreuung",
    # why a participant left (WithdrawalReason)
    "employed_elsewhere": "anderweitig beschäftigt",
    "moved_away": "weggezogen",
    "left_germany": "hat Deutschland verlassen",
    "no_longer_interested": "kein Interesse mehr",
    "personal_reasons": "persönliche Gründe",
    "lost_contact": "Kontakt abgebrochen",
    "training_started_elsewhere": "Ausbildung anderswo begonnen",
    "visa_refused": "Visum abgelehnt",
    "recognition_not_possible": "Anerkennung nicht möglich",
    # where a participant stood (ParticipantStatus)
    "active": "aktiv",
    "paused": "pausiert",
    "completed": "abgeschlossen",
    "withdrawn": "vorzeitig beendet",
    "erased": "gelöscht",
}

# Codes that read differently in one fact than in VALUES_DE (or than the code in plain words), by language: a
# route names the law it follows ("doctor" is a profession elsewhere); a kind of counselling is one ("recognition"
# is a stage of the journey elsewhere, "employer" a role).
FACT_VALUES: dict[str, dict[MailLanguage, dict[str, str]]] = {
    "counselling_type": {
        DE: {
            "recognition": "Anerkennungsberatung",
            "qualification": "Qualifizierungsberatung",
            "job_coaching": "Jobcoaching und Begleitung",
            "employer": "Arbeitgeberberatung",
        },
        EN: {
            "recognition": "recognition counselling",
            "qualification": "qualification counselling",
            "job_coaching": "job coaching and accompaniment",
            "employer": "employer counselling",
        },
    },
    "route": {
        DE: {
            "non_regulated": "nicht reglementierter Beruf (BQFG)",
            "regulated": "reglementierter Beruf (BQFG oder Landesrecht)",
            "doctor": "Ärztin/Arzt (BÄO)",
            "nurse": "Pflegefachkraft (PflBG)",
            "statement_of_comparability": "Zeugnisbewertung der ZAB",
            "no_recognition_needed": "ohne Anerkennungsverfahren",
            "vocational_training": "Ausbildung in Deutschland",
        },
        EN: {
            "non_regulated": "non-regulated profession (BQFG)",
            "regulated": "regulated profession (BQFG or Land law)",
            "doctor": "doctor (BÄO)",
            "nurse": "nurse (PflBG)",
            "statement_of_comparability": "statement of comparability by the ZAB",
            "no_recognition_needed": "no recognition procedure",
            "vocational_training": "vocational training in Germany",
        },
    },
}
FACT_VALUES["route_recommended"] = FACT_VALUES["route"]
# The professions (`Profession`) in the terms of the field: Häusliche Betreuung is support at home, not nursing care
# (Häusliche Pflege).
FACT_VALUES["profession"] = {
    DE: {
        "nursing_professional": "Pflegefachkraft",
        "doctor": "Ärztin/Arzt",
        "nursing_assistant": "Pflegehilfskraft",
        "home_care": "Häusliche Betreuung",
        "other": "Sonstiger Beruf",
    },
    EN: {
        "nursing_professional": "nursing professional",
        "doctor": "doctor",
        "nursing_assistant": "nursing assistant",
        "home_care": "home support (Häusliche Betreuung)",
        "other": "other occupation",
    },
}
FACT_VALUES["target_profession"] = FACT_VALUES["profession"]
FACT_VALUES["reference_profession"] = FACT_VALUES["profession"]

# What to do next, and by when, for the milestones that leave something to do: (a key of PHRASES, the fact that
# holds the day, whether that day has passed already). The day is left out when the event has none.
NEXT_STEPS: dict[Milestone, tuple[str, str | None, bool]] = {
    Milestone.RECEIPT_OVERDUE: ("next_receipt_overdue", "receipt_due_on", True),
    Milestone.DOCUMENTS_OVERDUE: ("next_documents_overdue", "documents_due_on", True),
    Milestone.DECISION_OVERDUE: ("next_decision_overdue", "decision_due_on", True),
    Milestone.RECOGNITION_DECIDED: ("next_recognition_decided", None, False),
    Milestone.EXAM_FAILED: ("next_exam_failed", None, False),
    Milestone.EXAM_FINALLY_FAILED: ("next_exam_finally_failed", None, False),
    Milestone.LICENCE_EXPIRING: ("next_licence_expiring", "valid_until", False),
    Milestone.LICENCE_EXPIRED: ("next_licence_expired", "valid_until", True),
    Milestone.EMPLOYMENT_PERMIT_EXPIRED: ("next_licence_expired", "valid_until", True),
    Milestone.RETENTION_CHECK_OVERDUE: ("next_retention_check_overdue", "due_on", True),
    Milestone.EMPLOYMENT_ENDED: ("next_employment_ended", "authority_notice_due_on", False),
    Milestone.EMPLOYMENT_END_NOTICE_DUE: ("next_end_notice_due", "notice_due_on", False),
    Milestone.PARTICIPATION_PAUSED: ("next_participation_paused", "expected_return_on", False),
    Milestone.COUNSELLING_HELD: ("next_follow_up", "follow_up_on", False),
    Milestone.REFERRAL_MADE: ("next_follow_up", "follow_up_on", False),
}

# The words of a digest, German and English.
DIGEST_PHRASES: dict[MailLanguage, dict[str, str]] = {
    DE: {
        "day_subject": "Tagesübersicht {span}: {milestones} {milestones_word}, {participants} Teilnehmende",
        "week_subject": "Wochenübersicht {span}: {milestones} {milestones_word}, {participants} Teilnehmende",
        "milestone_one": "Meilenstein",
        "milestone_many": "Meilensteine",
        "intro_day": "hier ist die Übersicht über die Meilensteine vom {span}.",
        "intro_week": "hier ist die Übersicht über die Meilensteine der Woche vom {span}.",
        "by_participant": "Meilensteine nach Teilnehmenden",
        "participant": "Teilnehmende {short}…",
        "mailed": "bereits einzeln gemeldet",
        "action": "Handlungsbedarf",
        "no_action": "Keine dringenden Meilensteine in diesem Zeitraum.",
        "figures": "Kennzahlen",
        "figures_note": "Zahlen von 1 bis 4 werden als „weniger als 5“ angegeben.",
        "fewer_than_5": "weniger als 5",
        "participants_total": "Teilnehmende",
        "link": "Zur Übersicht für Koordinierende (Follow-up-Liste, Kennzahlen): {url}",
    },
    EN: {
        "day_subject": "Daily digest {span}: {milestones} {milestones_word}, {participants} participants",
        "week_subject": "Weekly digest {span}: {milestones} {milestones_word}, {participants} participants",
        "milestone_one": "milestone",
        "milestone_many": "milestones",
        "intro_day": "here are the milestones of {span}.",
        "intro_week": "here are the milestones of the week {span}.",
        "by_participant": "Milestones by participant",
        "participant": "Participant {short}…",
        "mailed": "mailed already",
        "action": "Action needed",
        "no_action": "No urgent milestones in this period.",
        "figures": "Headline figures",
        "figures_note": "Counts from 1 to 4 are shown as “fewer than 5”.",
        "fewer_than_5": "fewer than 5",
        "participants_total": "Participants",
        "link": "The coordinators' overview (follow-up list, figures): {url}",
    },
}

# The note a mail about these milestones ends with (a key of PHRASES): what the recipient has to see to.
NOTES: dict[Milestone, str] = {
    Milestone.RECEIPT_OVERDUE: "receipt_overdue",
    Milestone.DOCUMENTS_OVERDUE: "documents_overdue",
    Milestone.COMPARABILITY_STATED: "comparability_stated",
    Milestone.RECOGNITION_NOT_NEEDED: "recognition_not_needed",
    Milestone.EXAM_FINALLY_FAILED: "exam_finally_failed",
    Milestone.LICENCE_EXPIRING: "permit_expiring",
    Milestone.LICENCE_EXPIRED: "permit_expired",
    Milestone.EMPLOYMENT_PERMIT_EXPIRED: "employment_without_permit",
    Milestone.EMPLOYMENT_ENDED: "reminder",
    Milestone.COUNSELLING_HELD: "counselling_held",
    Milestone.REFERRAL_MADE: "referral_made",
    Milestone.LEAD_HANDED_OVER: "lead_handed_over",
    Milestone.PARTICIPATION_PAUSED: "participation_paused",
    Milestone.PARTICIPATION_RESUMED: "participation_resumed",
    Milestone.PARTICIPATION_COMPLETED: "participation_completed",
    Milestone.PARTICIPANT_REACTIVATED: "participant_reactivated",
    Milestone.EMPLOYMENT_END_NOTICE_DUE: "end_notice_due",
}

PHRASES: dict[MailLanguage, dict[str, str]] = {
    DE: {
        "subject": "Integration Journey: {title} (Teilnehmende {short}…)",
        "greeting": "Guten Tag,",
        "case_reference": "Ihr Aktenzeichen",
        "of_attempts": "{attempt} von {allowed}",
        "next_step": "Was ist zu tun",
        "by_when": "Bis wann",
        "by": "bis {day}",
        "overdue_since": "umgehend (fällig seit {day})",
        "next_receipt_overdue": "Bei der zuständigen Stelle nachfragen, ob der Antrag eingegangen ist und welche"
        " Unterlagen fehlen.",
        "next_documents_overdue": "Mit den Teilnehmenden klären, welche Unterlagen fehlen, sie nachreichen oder die"
        " zuständige Stelle um eine längere Frist bitten.",
        "next_decision_overdue": "Bei der zuständigen Stelle nach dem Stand des Verfahrens fragen. Ist drei Monate"
        " nach Antragstellung ohne zureichenden Grund nicht entschieden, ist eine Untätigkeitsklage möglich"
        " (§ 75 VwGO); ob sie sinnvoll ist, klären die Teilnehmenden gegebenenfalls mit einer Rechtsberatung.",
        "next_recognition_decided": "Den Bescheid mit den Teilnehmenden besprechen; bei einer Ausgleichsmaßnahme"
        " gemeinsam eine der angebotenen wählen.",
        "next_exam_failed": "Mit den Teilnehmenden und dem Bildungsträger die Wiederholung planen.",
        "next_exam_finally_failed": "Mit den Teilnehmenden klären, wie es weitergeht (etwa eine Ausbildung in"
        " Deutschland oder eine Tätigkeit ohne Zulassung).",
        "next_licence_expiring": "Klären, ob die Approbation rechtzeitig kommt, die Berufserlaubnis verlängert"
        " werden kann oder eine andere Tätigkeit nötig ist.",
        "next_licence_expired": "Mit Arbeitgeber und Teilnehmenden klären, wie die Tätigkeit ohne gültige"
        " Berufserlaubnis weitergehen kann.",
        "next_retention_check_overdue": "Bei den Teilnehmenden oder dem Arbeitgeber nachfragen und den Verbleib"
        " erfassen (RecordRetentionCheck).",
        "next_employment_ended": "Bei vorzeitigem Ende: der Arbeitgeber meldet es der Ausländerbehörde.",
        "next_end_notice_due": "Der Arbeitgeber meldet das vorzeitige Ende der Ausländerbehörde (§ 4a Abs. 5"
        " AufenthG: 4 Wochen ab Kenntnis).",
        "next_participation_paused": "Zur voraussichtlichen Rückkehr Kontakt aufnehmen.",
        "next_follow_up": "Nachfassen, ob der nächste Schritt geklappt hat.",
        "milestone": "Meilenstein",
        "participant": "Teilnehmende (Pseudonym)",
        "yes": "ja",
        "no": "nein",
        "reminder": "Hinweis bei vorzeitigem Ende: Meldepflicht gegenüber der Ausländerbehörde innerhalb von"
        " 4 Wochen (§ 4a Abs. 5 AufenthG).",
        "receipt_overdue": "Hinweis: Die zuständige Stelle bestätigt den Eingang eines Antrags innerhalb eines"
        " Monats, im beschleunigten Fachkräfteverfahren innerhalb von 2 Wochen (§ 14a BQFG, § 81a AufenthG), und"
        " nennt fehlende Unterlagen. Bitte bei der Stelle nachfragen.",
        "documents_overdue": "Hinweis: Die Frist für die Entscheidung läuft erst, wenn die Unterlagen vollständig"
        " sind; fehlen sie weiter, kann die zuständige Stelle nach Aktenlage entscheiden. Bitte mit den"
        " Teilnehmenden klären, was noch fehlt, und die Stelle gegebenenfalls um eine längere Frist bitten.",
        "comparability_stated": "Hinweis: Die Zeugnisbewertung ist keine Anerkennung und keine Berufszulassung;"
        " sie beschreibt den ausländischen Hochschulabschluss für Arbeitgeber. Die Vermittlung kann beginnen.",
        "recognition_not_needed": "Hinweis: Für einen in Deutschland nicht reglementierten Beruf ist die"
        " Anerkennung ein Recht, keine Voraussetzung. Qualifizierung und Vermittlung gehen weiter.",
        "exam_finally_failed": "Hinweis: Alle zulässigen Versuche sind ausgeschöpft; die Prüfung (bzw. dieser"
        " Prüfungsteil) kann nicht noch einmal abgelegt werden, und auf diesem Weg folgt keine Berufszulassung."
        " Bitte mit den Teilnehmenden klären, wie es weitergeht, etwa mit einer Ausbildung in Deutschland oder"
        " einer Tätigkeit ohne Zulassung.",
        "permit_expiring": "Hinweis: Die Berufserlaubnis wird für höchstens 2 Jahre erteilt (§ 10 BÄO). Bitte"
        " rechtzeitig klären, wie es weitergeht: Approbation, Verlängerung im Rahmen der 2 Jahre oder eine"
        " andere Tätigkeit.",
        "permit_expired": "Hinweis: Ohne Approbation oder gültige Berufserlaubnis darf der ärztliche Beruf nicht"
        " ausgeübt werden (§ 2 BÄO).",
        "employment_without_permit": "Hinweis: Die Beschäftigung läuft weiter, die Berufserlaubnis, auf der sie"
        " beruht, ist abgelaufen. Ohne Approbation oder gültige Berufserlaubnis darf der ärztliche Beruf nicht"
        " ausgeübt werden (§ 2 BÄO): bitte mit Arbeitgeber und Teilnehmenden klären.",
        "counselling_held": "Hinweis: Bitte den empfohlenen Weg oder die Verweisung mit den Teilnehmenden"
        " weiterverfolgen und, wenn ein nächster Kontakt vereinbart ist, zu diesem Tag nachfassen.",
        "referral_made": "Hinweis: Die Organisation, an die verwiesen wurde, übernimmt den nächsten Schritt. Bitte"
        " bis zum genannten Tag nachfragen, ob die Teilnehmenden dort angekommen sind. Meldungen über den Fall erhält"
        " sie erst, wenn sie dem Fall in einer Rolle zugeordnet ist (InvolveOrganisation).",
        "lead_handed_over": "Hinweis: Die jetzt federführende Organisation ist ab sofort Ansprechpartnerin für den"
        " Fall und erhält alle Meldungen; die bisherige erhält nur noch, was ihre Rolle im Fall betrifft. Bitte"
        " offene Absprachen und Fristen übergeben.",
        "participation_paused": "Hinweis: Fristen der Teilnehmenden selbst (Eingangsbestätigung, Unterlagen,"
        " Bescheid, Berufserlaubnis) laufen weiter und werden weiter gemeldet; die Erinnerungen des Programms"
        " (Verbleibsnachfragen) ruhen bis zur Rückkehr. Bitte zur voraussichtlichen Rückkehr Kontakt aufnehmen.",
        "participation_resumed": "Hinweis: Die Erinnerungen des Programms laufen wieder. Bitte die nächsten Schritte"
        " mit den Teilnehmenden absprechen und prüfen, was während der Pause fällig geworden ist.",
        "participation_completed": "Hinweis: Was läuft (etwa ein Anerkennungsverfahren), geht weiter, ebenso die"
        " Verbleibsnachfragen nach 6, 12, 24 und 36 Monaten einer Beschäftigung. Bitte sie weiter erfassen.",
        "participant_reactivated": "Hinweis: Die Teilnehmenden sind unter demselben Pseudonym zurück. Bitte den"
        " aktuellen Stand und die nächsten Schritte mit ihnen klären.",
        "end_notice_due": "Hinweis: Endet eine Beschäftigung vorzeitig, muss der Arbeitgeber dies der"
        " Ausländerbehörde innerhalb von 4 Wochen ab Kenntnis mitteilen (§ 4a Abs. 5 AufenthG). Bitte die Meldung"
        " bis zum genannten Tag erstatten und als erfolgt erfassen (RecordEndNotice).",
        "footer": "Diese Nachricht enthält bewusst keine Namen, Kontakt- oder Gesundheitsdaten. Einzelheiten kennt die"
        " zuständige Partnerorganisation.\n\n-- \nIntegration Journey, automatische Benachrichtigung",
    },
    EN: {
        "subject": "Integration Journey: {title} (participant {short}…)",
        "greeting": "Hello,",
        "case_reference": "Your case reference",
        "of_attempts": "{attempt} of {allowed}",
        "next_step": "What to do",
        "by_when": "By when",
        "by": "by {day}",
        "overdue_since": "now (due since {day})",
        "next_receipt_overdue": "Ask the competent authority whether the application arrived and which documents"
        " are missing.",
        "next_documents_overdue": "Settle with the participant which documents are missing, hand them in or ask the"
        " competent authority for more time.",
        "next_decision_overdue": "Ask the competent authority where the procedure stands. If three months after the"
        " application there is no decision without sufficient reason, an action for failure to act"
        " (Untätigkeitsklage, § 75 VwGO) is possible; whether it makes sense is for the participant to settle, with"
        " legal advice if needed.",
        "next_recognition_decided": "Go through the decision with the participant; where a compensation measure is"
        " required, choose one of those offered together.",
        "next_exam_failed": "Plan the retake with the participant and the training provider.",
        "next_exam_finally_failed": "Settle with the participant what comes next (vocational training in Germany, or"
        " work that needs no licence).",
        "next_licence_expiring": "Settle whether the Approbation comes in time, the Berufserlaubnis can be extended,"
        " or other work is needed.",
        "next_licence_expired": "Settle with the employer and the participant how the work can go on without a"
        " valid Berufserlaubnis.",
        "next_retention_check_overdue": "Ask the participant or the employer and record the retention check"
        " (RecordRetentionCheck).",
        "next_employment_ended": "If the employment ended early: the employer tells the foreigners' authority.",
        "next_end_notice_due": "The employer tells the foreigners' authority of the early end (§ 4a(5) AufenthG:"
        " 4 weeks from learning of it).",
        "next_participation_paused": "Get in touch around the expected return.",
        "next_follow_up": "Check that the next step worked out.",
        "milestone": "Milestone",
        "participant": "Participant (pseudonym)",
        "yes": "yes",
        "no": "no",
        "reminder": "If the employment ended early: duty to inform the foreigners' authority within 4 weeks"
        " (§ 4a(5) AufenthG).",
        "receipt_overdue": "Note: the competent authority confirms receipt of an application within 1 month, within"
        " 2 weeks on the fast track for skilled workers (§ 14a BQFG, § 81a AufenthG), and lists missing documents."
        " Please ask the authority.",
        "documents_overdue": "Note: the period for the decision runs only once the documents are complete; while"
        " they are missing, the competent authority may decide on the file as it stands. Please settle with the"
        " participant what is still missing, and ask the authority for more time if needed.",
        "comparability_stated": "Note: a statement of comparability is neither a recognition nor a licence to"
        " practise; it describes the foreign degree for employers. Placement can start.",
        "recognition_not_needed": "Note: in a profession not regulated in Germany, recognition is a right, never a"
        " condition. Qualification and placement go on.",
        "exam_finally_failed": "Note: every attempt allowed has been used; the exam (or this part of it) cannot be"
        " taken again, and no licence to practise follows on this route. Please settle with the participant what"
        " comes next, for instance vocational training in Germany or work that needs no licence.",
        "permit_expiring": "Note: a Berufserlaubnis is granted for at most 2 years (§ 10 BÄO). Please settle in"
        " time what comes next: the Approbation, an extension within the 2 years, or other work.",
        "permit_expired": "Note: without an Approbation or a valid Berufserlaubnis, medicine may not be practised"
        " (§ 2 BÄO).",
        "employment_without_permit": "Note: the employment goes on while the Berufserlaubnis it relies on has"
        " ended. Without an Approbation or a valid Berufserlaubnis, medicine may not be practised (§ 2 BÄO):"
        " please settle this with the employer and the participant.",
        "counselling_held": "Note: please follow up the route recommended or the referral with the participant and,"
        " if a next contact was agreed, check back on that day.",
        "referral_made": "Note: the organisation referred to takes the next step. Please check by the day given"
        " that the participant got there. It is mailed about the case only once it is involved in it in a role"
        " (InvolveOrganisation).",
        "lead_handed_over": "Note: the organisation now leading is the case's contact from now on and is told every"
        " milestone; the former lead is told only what its role in the case is told. Please hand over open"
        " arrangements and deadlines.",
        "participation_paused": "Note: the participant's own deadlines (confirmation of receipt, documents,"
        " decision, Berufserlaubnis) keep running and keep being mailed; the programme's reminders (retention"
        " checks) pause until the return. Please get in touch around the expected return.",
        "participation_resumed": "Note: the programme's reminders run again. Please agree the next steps with the"
        " participant and check what fell due during the pause.",
        "participation_completed": "Note: what is under way (a recognition procedure, say) goes on, and so do the"
        " retention checks 6, 12, 24 and 36 months into an employment. Please keep recording them.",
        "participant_reactivated": "Note: the participant is back under the same pseudonym. Please settle where"
        " things stand and the next steps with them.",
        "end_notice_due": "Note: when an employment ends early, the employer must tell the foreigners' authority"
        " within 4 weeks of learning of it (§ 4a(5) AufenthG). Please give notice by the day given and record it"
        " (RecordEndNotice).",
        "footer": "This message deliberately contains no names, contact or health data. The partner organisation in"
        " charge knows the details.\n\n-- \nIntegration Journey, automatic notification",
    },
}

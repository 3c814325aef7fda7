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
}

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
    Milestone.PARTICIPANT_WITHDRAWN: ("withdrawn_on",),
}

# Facts whose label differs for a milestone (a key of LABELS): the same field means something else there.
LABEL_KEYS: dict[Milestone, dict[str, str]] = {
    # counselling advised against a procedure: the organisation that counselled, the day it did
    Milestone.RECOGNITION_NOT_NEEDED: {"partner_org": "counselling_org", "decided_on": "counselled_on"},
}

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
}

# Codes that read differently in one fact than in VALUES_DE (or than the code in plain words), by language: a
# route names the law it follows ("doctor" is a profession elsewhere).
FACT_VALUES: dict[str, dict[MailLanguage, dict[str, str]]] = {
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
}

PHRASES: dict[MailLanguage, dict[str, str]] = {
    DE: {
        "subject": "Integration Journey: {title} (Teilnehmende {short}…)",
        "greeting": "Guten Tag {name},",
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
        "footer": "Diese Nachricht enthält bewusst keine Namen, Kontakt- oder Gesundheitsdaten. Einzelheiten kennt die"
        " zuständige Partnerorganisation.\n\n-- \nIntegration Journey, automatische Benachrichtigung",
    },
    EN: {
        "subject": "Integration Journey: {title} (participant {short}…)",
        "greeting": "Hello {name},",
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
        "footer": "This message deliberately contains no names, contact or health data. The partner organisation in"
        " charge knows the details.\n\n-- \nIntegration Journey, automatic notification",
    },
}

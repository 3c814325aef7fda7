"""The words of the mails, German and English: milestone titles, fact labels and coded values."""

from __future__ import annotations

from shared.contracts.enums import Milestone
from shared.contracts.notifications import MailLanguage

DE, EN = MailLanguage.DE, MailLanguage.EN

TITLES: dict[Milestone, dict[MailLanguage, str]] = {
    Milestone.PARTICIPANT_RECRUITED: {DE: "Teilnehmende aufgenommen", EN: "Participant recruited"},
    Milestone.APPLICATION_SUBMITTED: {DE: "Anerkennungsantrag gestellt", EN: "Recognition application submitted"},
    Milestone.RECEIPT_OVERDUE: {DE: "Eingangsbestätigung überfällig", EN: "Confirmation of receipt overdue"},
    Milestone.APPLICATION_COMPLETE: {DE: "Antrag vollständig", EN: "Application complete"},
    Milestone.RECOGNITION_DECIDED: {DE: "Anerkennung entschieden", EN: "Recognition decided"},
    Milestone.DECISION_OVERDUE: {DE: "Entscheidung überfällig", EN: "Decision overdue"},
    Milestone.LANGUAGE_TARGET_REACHED: {DE: "Sprachziel erreicht", EN: "Language target reached"},
    Milestone.EXAM_FAILED: {DE: "Prüfung nicht bestanden", EN: "Exam failed"},
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
    Milestone.APPLICATION_SUBMITTED: ("reference_profession", "track", "submitted_on"),
    Milestone.RECEIPT_OVERDUE: ("track", "submitted_on", "receipt_due_on"),
    Milestone.APPLICATION_COMPLETE: ("complete_on", "decision_due_on"),
    Milestone.RECOGNITION_DECIDED: ("outcome", "measures_offered", "decided_on"),
    Milestone.DECISION_OVERDUE: ("decision_due_on",),
    Milestone.LANGUAGE_TARGET_REACHED: ("level", "target_level", "reached_on"),
    Milestone.EXAM_FAILED: ("exam", "attempt", "taken_on"),
    Milestone.QUALIFICATION_COMPLETED: ("completed_on", "language_level"),
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

LABELS: dict[MailLanguage, dict[str, str]] = {
    DE: {
        "target_profession": "Zielberuf",
        "language_level": "Sprachniveau",
        "region": "Region",
        "partner_org": "Zuständige Organisation",
        "reference_profession": "Referenzberuf",
        "track": "Verfahren",
        "submitted_on": "Gestellt am",
        "receipt_due_on": "Eingangsbestätigung fällig am",
        "complete_on": "Vollständig seit",
        "decision_due_on": "Entscheidung fällig am",
        "outcome": "Ergebnis",
        "measures_offered": "Angebotene Ausgleichsmaßnahmen",
        "decided_on": "Entschieden am",
        "level": "Erreichtes Niveau",
        "target_level": "Zielniveau",
        "reached_on": "Erreicht am",
        "exam": "Prüfung",
        "attempt": "Versuch",
        "taken_on": "Geprüft am",
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
        "track": "Procedure",
        "submitted_on": "Submitted on",
        "receipt_due_on": "Confirmation of receipt due on",
        "complete_on": "Complete since",
        "decision_due_on": "Decision due on",
        "outcome": "Outcome",
        "measures_offered": "Compensation measures offered",
        "decided_on": "Decided on",
        "level": "Level reached",
        "target_level": "Target level",
        "reached_on": "Reached on",
        "exam": "Exam",
        "attempt": "Attempt",
        "taken_on": "Taken on",
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
    "nursing_professional": "Pflegefachkraft",
    "doctor": "Ärztin/Arzt",
    "nursing_assistant": "Pflegehilfskraft",
    "home_care": "Häusliche Pflege",
    "other": "Sonstiges",
    "standard": "Regelverfahren",
    "fast_track_81a": "beschleunigtes Fachkräfteverfahren (§ 81a AufenthG)",
    "recognition_partnership_16d": "Anerkennungspartnerschaft (§ 16d Abs. 3 AufenthG)",
    "language_exam": "Sprachprüfung",
    "fachsprachpruefung": "Fachsprachprüfung",
    "berufserlaubnis": "Berufserlaubnis",
    "approbation": "Approbation",
    "nursing_licence": "Erlaubnis zum Führen der Berufsbezeichnung",
    "skilled_worker": "Fachkraft",
    "assistant_pending_recognition": "Hilfskraft bis zur Anerkennung",
    "under_berufserlaubnis": "mit Berufserlaubnis",
}

# The note a mail about these milestones ends with (a key of PHRASES): what the recipient has to see to.
NOTES: dict[Milestone, str] = {
    Milestone.RECEIPT_OVERDUE: "receipt_overdue",
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

"""Enumerations the handbook pins, shared by the stages; a stage's own coarse codes live beside its messages.

Adding a value is compatible; removing or renaming one is a breaking change (a new message version).
Readers should treat a value they do not know yet like `other`.
"""

from __future__ import annotations

from enum import StrEnum


class Profession(StrEnum):
    """Target profession; ISCO-08 codes where known."""

    NURSING_PROFESSIONAL = "nursing_professional"  # ISCO-08 2221
    DOCTOR = "doctor"  # ISCO-08 2211
    NURSING_ASSISTANT = "nursing_assistant"  # ISCO-08 3221
    HOME_CARE = "home_care"  # Häusliche Betreuung: support at home, not regulated (not nursing care)
    OTHER = "other"  # any other occupation: its route follows from its regulation status (see `Route`)


ISCO_08: dict[Profession, str] = {
    Profession.NURSING_PROFESSIONAL: "2221",
    Profession.DOCTOR: "2211",
    Profession.NURSING_ASSISTANT: "3221",
}


class CefrLevel(StrEnum):
    """German language level on the Common European Framework of Reference (A1 lowest, C2 highest)."""

    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


class Residence(StrEnum):
    """Where the participant lives at intake."""

    IN_GERMANY = "in_germany"
    ABROAD = "abroad"


class ReferralSource(StrEnum):
    """How the participant came to the programme."""

    SELF = "self"
    SOCIAL_CIRCLE = "social_circle"
    JOBCENTER = "jobcenter"
    AGENTUR_FUER_ARBEIT = "agentur_fuer_arbeit"
    EMPLOYER = "employer"
    COUNSELLING_ABROAD = "counselling_abroad"
    INTERNET = "internet"
    OTHER = "other"


class ConsentScope(StrEnum):
    """Kinds of recipient a participant may consent to sharing with (DSGVO: named, not blanket)."""

    JOBCENTER_AGENTUR = "jobcenter_agentur"
    EMPLOYER = "employer"
    LANGUAGE_PROVIDER = "language_provider"
    RECOGNITION_AUTHORITY = "recognition_authority"
    FUNDER_REPORTING = "funder_reporting"


class Route(StrEnum):
    """The way the law gives a person with a foreign qualification into work; `shared.contracts.routes` holds
    each route's rules."""

    NON_REGULATED = "non_regulated"  # BQFG, a chamber decides (IHK FOSA, Handwerkskammer); no licence
    REGULATED = "regulated"  # BQFG or Land law, regulated (educators, engineers' title, nursing assistants)
    DOCTOR = "doctor"  # Bundesärzteordnung and Approbationsordnung
    NURSE = "nurse"  # Pflegeberufegesetz and its training and examination regulation
    STATEMENT_OF_COMPARABILITY = "statement_of_comparability"  # ZAB Zeugnisbewertung, academic degrees
    NO_RECOGNITION_NEEDED = "no_recognition_needed"  # counselling advises against a procedure
    VOCATIONAL_TRAINING = "vocational_training"  # Ausbildung in Germany instead of recognition


class RecognitionTrack(StrEnum):
    """Procedure the recognition runs under."""

    STANDARD = "standard"
    FAST_TRACK_81A = "fast_track_81a"  # §81a AufenthG, started by the employer
    RECOGNITION_PARTNERSHIP_16D = "recognition_partnership_16d"  # §16d(3) AufenthG


class RecognitionOutcome(StrEnum):
    """Outcome of the competent authority's decision (never its reasons)."""

    FULL_EQUIVALENCE = "full_equivalence"
    PARTIAL_EQUIVALENCE = "partial_equivalence"
    COMPENSATION_REQUIRED = "compensation_required"  # "Defizitbescheid" in regulated professions
    REJECTED = "rejected"


class CompensationMeasure(StrEnum):
    """Compensation measure an authority offers for substantial differences (regulated professions)."""

    ADAPTATION_COURSE = "adaptation_course"  # Anpassungslehrgang, up to 3 years
    KNOWLEDGE_TEST = "knowledge_test"  # Kenntnisprüfung
    APTITUDE_TEST = "aptitude_test"  # Eignungsprüfung


class LanguageCertificate(StrEnum):
    """Issuer or kind of a German language certificate."""

    TELC = "telc"
    GOETHE = "goethe"
    OESD = "oesd"
    TESTDAF = "testdaf"
    DSH = "dsh"
    FACHSPRACHPRUEFUNG = "fachsprachpruefung"  # medical language exam of the Land chamber/authority
    OTHER = "other"


class Milestone(StrEnum):
    """Milestones coordinators and partner organisations can be e-mailed about."""

    PARTICIPANT_RECRUITED = "participant_recruited"
    APPLICATION_SUBMITTED = "application_submitted"
    RECEIPT_OVERDUE = "receipt_overdue"  # the authority has not confirmed receipt in time (1 month; 2 weeks fast track)
    DOCUMENTS_OVERDUE = "documents_overdue"  # the missing documents the authority listed are not in by their day
    APPLICATION_COMPLETE = "application_complete"
    RECOGNITION_DECIDED = "recognition_decided"
    DECISION_OVERDUE = "decision_overdue"
    COMPARABILITY_STATED = "comparability_stated"  # ZAB statement of comparability: placement can start
    RECOGNITION_NOT_NEEDED = (
        "recognition_not_needed"  # counselling advised no procedure: qualification, placement go on
    )
    TRAINING_STARTED = "training_started"
    TRAINING_COMPLETED = "training_completed"
    LANGUAGE_TARGET_REACHED = "language_target_reached"
    EXAM_FAILED = "exam_failed"
    EXAM_FINALLY_FAILED = "exam_finally_failed"  # the last attempt allowed was failed: no licence on this route
    QUALIFICATION_COMPLETED = "qualification_completed"
    LICENCE_GRANTED = "licence_granted"
    LICENCE_EXPIRING = "licence_expiring"  # a Berufserlaubnis ends in 8 weeks, no permanent licence yet
    LICENCE_EXPIRED = "licence_expired"  # a Berufserlaubnis ended, no permanent licence
    PLACEMENT_CONFIRMED = "placement_confirmed"
    EMPLOYMENT_STARTED = "employment_started"
    RETENTION_CHECK_RECORDED = "retention_check_recorded"
    RETENTION_CHECK_OVERDUE = "retention_check_overdue"
    EMPLOYMENT_PERMIT_EXPIRED = "employment_permit_expired"  # an employment goes on after its Berufserlaubnis ended
    EMPLOYMENT_ENDED = "employment_ended"
    PARTICIPANT_WITHDRAWN = "participant_withdrawn"
    COUNSELLING_HELD = "counselling_held"  # a counselling session with a registered participant
    REFERRAL_MADE = "referral_made"  # the counselling referred the participant to an organisation
    LEAD_HANDED_OVER = "lead_handed_over"  # another organisation now leads the participant's case
    PARTICIPATION_PAUSED = "participation_paused"
    PARTICIPATION_RESUMED = "participation_resumed"
    PARTICIPATION_COMPLETED = "participation_completed"  # left the programme with a result (often: employed)
    PARTICIPANT_REACTIVATED = "participant_reactivated"  # back after completing or dropping out, same pseudonym
    EMPLOYMENT_END_NOTICE_DUE = "employment_end_notice_due"  # §4a(5) AufenthG notice to the foreigners' authority

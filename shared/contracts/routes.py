"""The routes the law gives a person with a foreign qualification, and the rules each applies, as data.

Published with the contracts because partners act on them: the recognition service applies the route tables (which
decision and measures a route allows, which licence ends it, the legal periods), the qualification service the
language and exam tables (what `QualificationCompleted` requires), and the partner guide prints them all. Each row
names its source. Adding a row or value is compatible; changing what a row allows is a change of the law's reading
and is announced in the guide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared.contracts.enums import (
    CefrLevel,
    CompensationMeasure,
    LanguageCertificate,
    Profession,
    RecognitionOutcome,
    RecognitionTrack,
    Route,
)
from shared.contracts.qualification import ExamKind, ExamPart, LanguageDomain
from shared.contracts.recognition import LegalBasis, LicenceKind

OUT, MEASURE = RecognitionOutcome, CompensationMeasure

# EU and EEA states and Switzerland (ISO 3166-1 alpha-2): training there falls under Directive 2005/36/EC.
EU_EEA_CH: frozenset[str] = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
    "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO", "CH",
})  # fmt: skip


def trained_in_eu(country_of_training: str | None) -> bool:
    """Training in the EU, EEA or Switzerland; unknown counts as a third country (the stricter rules)."""
    return country_of_training in EU_EEA_CH


@dataclass(frozen=True, slots=True)
class RouteRule:
    """What a route allows, from the application to the end of the recognition stage."""

    route: Route
    description: str
    source: str
    outcomes: frozenset[RecognitionOutcome] = frozenset()  # decisions the authority can record (none: no application)
    measures_eu: frozenset[CompensationMeasure] = frozenset()  # offered after compensation_required, EU/EEA/CH training
    measures_third_country: frozenset[CompensationMeasure] = (
        frozenset()
    )  # offered after compensation_required, elsewhere
    may_choose: bool = False  # the participant chooses among the measures offered, may change while none is passed
    follow_up_after_partial: bool = False  # a follow-up application may follow a partial equivalence
    licences: frozenset[LicenceKind] = frozenset()  # what the route ends in (empty: no licence, recognition is the end)


RULES: Mapping[Route, RouteRule] = {
    rule.route: rule
    for rule in (
        RouteRule(
            Route.NON_REGULATED,
            "Non-regulated profession (chambers: IHK FOSA, Handwerkskammer): full, partial or no equivalence; after"
            " a partial one an adaptation qualification and a follow-up application can lead to full equivalence."
            " No licence: any decision but a rejection opens the labour market.",
            outcomes=frozenset({OUT.FULL_EQUIVALENCE, OUT.PARTIAL_EQUIVALENCE, OUT.REJECTED}),
            follow_up_after_partial=True,
            source="BQFG §§4-7 (equivalence, partial equivalence)",
        ),
        RouteRule(
            Route.REGULATED,
            "Regulated profession under the BQFG or a Land law (educators, engineers' title, nursing assistants):"
            " equivalence, or a compensation measure the participant chooses (adaptation course or aptitude test),"
            " then the authorisation.",
            outcomes=frozenset({OUT.FULL_EQUIVALENCE, OUT.COMPENSATION_REQUIRED, OUT.REJECTED}),
            measures_eu=frozenset({MEASURE.ADAPTATION_COURSE, MEASURE.APTITUDE_TEST}),
            measures_third_country=frozenset({MEASURE.ADAPTATION_COURSE, MEASURE.APTITUDE_TEST}),
            may_choose=True,
            licences=frozenset({LicenceKind.OTHER}),
            source="BQFG §§9-11 and the Länder's BQFG (compensation measures, the right to choose)",
        ),
        RouteRule(
            Route.DOCTOR,
            "Doctors: training from a third country, the knowledge test only (two retakes); EU training with"
            " differences, the aptitude test. Approbation after full equivalence or a passed test, and B2 general"
            " German and the medical language exam (C1, at the chamber); a Berufserlaubnis (at most 2 years in"
            " total) may bridge the time.",
            outcomes=frozenset({OUT.FULL_EQUIVALENCE, OUT.COMPENSATION_REQUIRED, OUT.REJECTED}),
            measures_eu=frozenset({MEASURE.APTITUDE_TEST}),
            measures_third_country=frozenset({MEASURE.KNOWLEDGE_TEST}),
            licences=frozenset({LicenceKind.APPROBATION, LicenceKind.BERUFSERLAUBNIS}),
            source="BÄO §3(2)-(3) (knowledge and aptitude test), §10 (Berufserlaubnis); ÄApprO §§36-37",
        ),
        RouteRule(
            Route.NURSE,
            "Nurses: the participant chooses an adaptation course (at most 3 years, ending with a final interview)"
            " or the knowledge test (an oral and a practical part, each retaken at most once); EU training with"
            " differences, an adaptation course or the aptitude test. The licence to use the title after full"
            " equivalence or the chosen measure passed, and B2 German.",
            outcomes=frozenset({OUT.FULL_EQUIVALENCE, OUT.COMPENSATION_REQUIRED, OUT.REJECTED}),
            measures_eu=frozenset({MEASURE.ADAPTATION_COURSE, MEASURE.APTITUDE_TEST}),
            measures_third_country=frozenset({MEASURE.ADAPTATION_COURSE, MEASURE.KNOWLEDGE_TEST}),
            may_choose=True,
            licences=frozenset({LicenceKind.NURSING_LICENCE}),
            source="PflBG §§1-2, §40 (compensation measures, the right to choose); PflAPrV (their conduct)",
        ),
        RouteRule(
            Route.STATEMENT_OF_COMPARABILITY,
            "Academic degree in a profession not regulated in Germany: the ZAB's statement of comparability. Not a"
            " recognition; it closes the recognition stage and placement can start.",
            source="KMK/ZAB Zeugnisbewertung (no statute: an expert statement)",
        ),
        RouteRule(
            Route.NO_RECOGNITION_NEEDED,
            "A job not regulated in Germany where the counselling advises against a procedure: an explicit outcome"
            " that closes the recognition stage; qualification and placement go on.",
            source="BQFG §2 (a procedure is a right, never a condition, in non-regulated professions)",
        ),
        RouteRule(
            Route.VOCATIONAL_TRAINING,
            "Vocational training in Germany instead of recognition (e.g. Pflegefachfrau/-mann, 3 years): start,"
            " school, final examination; a nurse's training ends in the licence to use the title.",
            licences=frozenset({LicenceKind.NURSING_LICENCE}),
            source="PflBG §§5-10 (training), §1-2 (licence after the state examination); BBiG for dual training",
        ),
    )
}

# Reference professions with rules of their own; every other profession takes its route from its regulation status.
PROFESSION_ROUTES: Mapping[Profession, Route] = {
    Profession.DOCTOR: Route.DOCTOR,
    Profession.NURSING_PROFESSIONAL: Route.NURSE,
    Profession.NURSING_ASSISTANT: Route.REGULATED,  # Land law (Pflegehelfer/-assistenz laws of the Länder)
    Profession.HOME_CARE: Route.NON_REGULATED,  # Häusliche Betreuung is not regulated
}
# The law each route's application must name.
LEGAL_BASES: Mapping[Route, frozenset[LegalBasis]] = {
    Route.DOCTOR: frozenset({LegalBasis.BAEO}),
    Route.NURSE: frozenset({LegalBasis.PFLBG}),
    Route.REGULATED: frozenset({LegalBasis.BQFG, LegalBasis.LAND_BQFG, LegalBasis.OTHER}),
    Route.NON_REGULATED: frozenset({LegalBasis.BQFG, LegalBasis.LAND_BQFG, LegalBasis.OTHER}),
}


def application_route(profession: Profession, legal_basis: LegalBasis, regulated: bool | None) -> Route:
    """The route an application follows: the health professions by their law, the others by regulation status
    (given, or by default regulated under a Land law and not regulated under the federal BQFG)."""
    if profession in PROFESSION_ROUTES:
        return PROFESSION_ROUTES[profession]
    if regulated is None:
        regulated = legal_basis is LegalBasis.LAND_BQFG
    return Route.REGULATED if regulated else Route.NON_REGULATED


def measures_offered(route: Route, country_of_training: str | None) -> frozenset[CompensationMeasure]:
    """The measures the authority may offer on `route` after `compensation_required`."""
    rule = RULES[route]
    return rule.measures_eu if trained_in_eu(country_of_training) else rule.measures_third_country


# Decision deadline once the file is complete, in months. BQFG §6(3)/§13(3): 3 months. The health professions'
# laws transpose Directive 2005/36/EC Art. 51(2): 3 months for training in the EU, EEA or Switzerland, one more
# month (4) under the general system, which third-country training falls under. The fast track (§81a AufenthG,
# §14a BQFG and the health laws' fast-track clauses): 2 months for every route. A recognition partnership (§16d
# AufenthG) runs the standard procedure.
STANDARD_DECISION_MONTHS = 3
HEALTH_THIRD_COUNTRY_DECISION_MONTHS = 4
FAST_TRACK_DECISION_MONTHS = 2
HEALTH_ROUTES = frozenset({Route.DOCTOR, Route.NURSE})


def decision_months(route: Route, track: RecognitionTrack, country_of_training: str | None) -> int:
    """Months the authority has for its decision once the file is complete."""
    if track is RecognitionTrack.FAST_TRACK_81A:
        return FAST_TRACK_DECISION_MONTHS
    if route in HEALTH_ROUTES and not trained_in_eu(country_of_training):
        return HEALTH_THIRD_COUNTRY_DECISION_MONTHS
    return STANDARD_DECISION_MONTHS


@dataclass(frozen=True, slots=True)
class LanguageTarget:
    """German a reference profession needs: the level, the domains a certificate may cover, the issuers that count
    (None: any), and the course the qualification service plans towards it."""

    level: CefrLevel
    domains: frozenset[LanguageDomain]
    issuers: frozenset[LanguageCertificate] | None
    course_domain: LanguageDomain
    source: str


ANY_DOMAIN = frozenset(LanguageDomain)

# What `QualificationCompleted` asks for, by the reference profession of the application (before an application:
# the target profession). Vocational training asks for none (the training proves the German), nor do routes that
# need no licence unless the profession has a rule.
LANGUAGE_TARGETS: Mapping[Profession, tuple[LanguageTarget, ...]] = {
    Profession.NURSING_PROFESSIONAL: (
        LanguageTarget(CefrLevel.B2, ANY_DOMAIN, None, LanguageDomain.PROFESSIONAL, "PflBG §2 No. 4"),
    ),
    Profession.DOCTOR: (
        LanguageTarget(
            CefrLevel.B2, frozenset({LanguageDomain.GENERAL}), None, LanguageDomain.GENERAL, "BÄO §3(1) No. 5"
        ),
        LanguageTarget(
            CefrLevel.C1,
            frozenset({LanguageDomain.MEDICAL}),
            frozenset({LanguageCertificate.FACHSPRACHPRUEFUNG}),
            LanguageDomain.MEDICAL,
            "BÄO §3(1) No. 5 with the GMK key points of 2014: Fachsprachprüfung at the Land chamber",
        ),
    ),
    Profession.NURSING_ASSISTANT: (
        LanguageTarget(CefrLevel.B1, ANY_DOMAIN, None, LanguageDomain.GENERAL, "the Länder's assistant laws (B1)"),
    ),
    Profession.HOME_CARE: (),  # not regulated: no language requirement
    Profession.OTHER: (),  # no rule we can know
}


@dataclass(frozen=True, slots=True)
class ExamRule:
    """How an exam is sat: in parts (each counted on its own) or whole, and the attempts allowed in total per part."""

    parts: tuple[ExamPart, ...]  # empty: sat whole
    attempts: int
    source: str


# Knowledge and aptitude tests by reference profession; language exams may be retaken without limit.
EXAM_RULES: Mapping[Profession, Mapping[ExamKind, ExamRule]] = {
    Profession.DOCTOR: {
        ExamKind.KNOWLEDGE_TEST: ExamRule((), 3, "ÄApprO §37 (Kenntnisprüfung): retaken at most twice"),
        ExamKind.APTITUDE_TEST: ExamRule((), 3, "ÄApprO §36 (Eignungsprüfung): retaken at most twice"),
    },
    Profession.NURSING_PROFESSIONAL: {
        ExamKind.KNOWLEDGE_TEST: ExamRule(
            (ExamPart.ORAL, ExamPart.PRACTICAL), 2, "PflAPrV, Kenntnisprüfung: each part retaken at most once"
        ),
        ExamKind.APTITUDE_TEST: ExamRule((), 2, "PflAPrV, Eignungsprüfung: retaken at most once"),
    },
}
DEFAULT_EXAM_RULE = ExamRule((), 3, "no rule in the law known to us: three attempts, as for doctors")
LIMITED_EXAMS = frozenset({ExamKind.KNOWLEDGE_TEST, ExamKind.APTITUDE_TEST})


def exam_rule(profession: Profession | None, exam: ExamKind) -> ExamRule | None:
    """How `exam` is sat by `profession`; None for exams without a limit (language exams)."""
    if exam not in LIMITED_EXAMS:
        return None
    return EXAM_RULES.get(profession, {}).get(exam, DEFAULT_EXAM_RULE) if profession else DEFAULT_EXAM_RULE

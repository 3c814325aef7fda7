"""The German each profession needs, the certificates that prove it, and the courses planned towards it. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from services.qualification.domain.measures import MeasureSpec
from shared.contracts.enums import CefrLevel, LanguageCertificate, Profession
from shared.contracts.qualification import LanguageDomain, MeasureKind

CEFR_ORDER: tuple[CefrLevel, ...] = tuple(CefrLevel)
ANY_DOMAIN = frozenset(LanguageDomain)


@dataclass(frozen=True, slots=True)
class LanguageRequirement:
    """A level the licence needs, the certificate domains that prove it, and the course planned towards it."""

    level: CefrLevel
    accepted: frozenset[LanguageDomain]
    course_domain: LanguageDomain


# Nurses: B2 (PflBG licence), any domain proves it; the course planned is a job-related Berufssprachkurs.
# Doctors: B2 general German plus C1 medical German (Fachsprachprüfung), two separate proofs.
# Nursing assistants and home care: Land law varies; B1 is our default (the level integration courses lead to).
# Other professions: no rule we can know, so no language requirement is assumed.
LANGUAGE_REQUIREMENTS: Mapping[Profession, tuple[LanguageRequirement, ...]] = {
    Profession.NURSING_PROFESSIONAL: (LanguageRequirement(CefrLevel.B2, ANY_DOMAIN, LanguageDomain.PROFESSIONAL),),
    Profession.DOCTOR: (
        LanguageRequirement(CefrLevel.B2, frozenset({LanguageDomain.GENERAL}), LanguageDomain.GENERAL),
        LanguageRequirement(CefrLevel.C1, frozenset({LanguageDomain.MEDICAL}), LanguageDomain.MEDICAL),
    ),
    Profession.NURSING_ASSISTANT: (LanguageRequirement(CefrLevel.B1, ANY_DOMAIN, LanguageDomain.GENERAL),),
    Profession.HOME_CARE: (LanguageRequirement(CefrLevel.B1, ANY_DOMAIN, LanguageDomain.GENERAL),),
    Profession.OTHER: (),
}


@dataclass(frozen=True, slots=True)
class Certificate:
    """A certificate the participant obtained: what it proves (level, domain), its issuer and its date."""

    level: CefrLevel
    domain: LanguageDomain
    issuer: LanguageCertificate
    obtained_on: date


def at_least(level: CefrLevel, target: CefrLevel) -> bool:
    return CEFR_ORDER.index(level) >= CEFR_ORDER.index(target)


def unmet_requirements(profession: Profession, certificates: Iterable[Certificate]) -> list[LanguageRequirement]:
    """The profession's language requirements no certificate proves yet."""
    held = list(certificates)
    return [
        need
        for need in LANGUAGE_REQUIREMENTS[profession]
        if not any(c.domain in need.accepted and at_least(c.level, need.level) for c in held)
    ]


def target_level(profession: Profession) -> CefrLevel | None:
    """The highest level the profession requires (C1 for doctors, B2 for nurses), if any."""
    levels = [need.level for need in LANGUAGE_REQUIREMENTS[profession]]
    return max(levels, key=CEFR_ORDER.index) if levels else None


def language_target_reached(profession: Profession | None, certificates: Iterable[Certificate]) -> bool:
    """Certificates prove every language requirement of a profession that has some."""
    if profession is None or not LANGUAGE_REQUIREMENTS[profession]:
        return False
    return not unmet_requirements(profession, certificates)


def highest_certified(certificates: Iterable[Certificate]) -> CefrLevel | None:
    """The highest level any certificate proves, whatever its domain."""
    return max((c.level for c in certificates), key=CEFR_ORDER.index, default=None)


def language_courses(
    profession: Profession, declared: CefrLevel, certificates: Iterable[Certificate] = ()
) -> list[MeasureSpec]:
    """Courses towards each unproved requirement the declared level does not reach (only a certificate proves)."""
    return [
        MeasureSpec(MeasureKind.LANGUAGE_COURSE, need.level, need.course_domain)
        for need in unmet_requirements(profession, certificates)
        if not (LanguageDomain.GENERAL in need.accepted and at_least(declared, need.level))
    ]

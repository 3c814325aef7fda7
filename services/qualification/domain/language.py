"""The German a plan needs (the published `LANGUAGE_TARGETS`), the certificates that prove it, and the courses
planned towards it. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from services.qualification.domain.measures import MeasureSpec
from shared.contracts.enums import CefrLevel, LanguageCertificate, Profession, Route
from shared.contracts.qualification import LanguageDomain, MeasureKind
from shared.contracts.routes import LANGUAGE_TARGETS, LanguageTarget

CEFR_ORDER: tuple[CefrLevel, ...] = tuple(CefrLevel)
Targets = tuple[LanguageTarget, ...]


@dataclass(frozen=True, slots=True)
class Certificate:
    """A certificate the participant obtained: what it proves (level, domain), its issuer and its date."""

    level: CefrLevel
    domain: LanguageDomain
    issuer: LanguageCertificate
    obtained_on: date


def medical_language_exam(passed_on: date) -> Certificate:
    """What a passed Fachsprachprüfung proves, however it was recorded: C1 medical German, by the chamber."""
    return Certificate(CefrLevel.C1, LanguageDomain.MEDICAL, LanguageCertificate.FACHSPRACHPRUEFUNG, passed_on)


def at_least(level: CefrLevel, target: CefrLevel) -> bool:
    return CEFR_ORDER.index(level) >= CEFR_ORDER.index(target)


def targets_for(profession: Profession | None, route: Route | None) -> Targets:
    """The German the plan needs: none on the vocational training route (the training proves it), else the
    profession's row (none until the profession is known)."""
    if profession is None or route is Route.VOCATIONAL_TRAINING:
        return ()
    return LANGUAGE_TARGETS.get(profession, ())


def proves(certificate: Certificate, target: LanguageTarget) -> bool:
    """The certificate is of a domain (and, where the target names them, an issuer) the target counts, at its
    level or higher."""
    issuer_counts = target.issuers is None or certificate.issuer in target.issuers
    return certificate.domain in target.domains and issuer_counts and at_least(certificate.level, target.level)


def unmet(targets: Targets, certificates: Iterable[Certificate]) -> list[LanguageTarget]:
    """The targets no certificate proves yet."""
    held = list(certificates)
    return [target for target in targets if not any(proves(c, target) for c in held)]


def target_level(targets: Targets) -> CefrLevel | None:
    """The highest level the targets ask for (C1 for doctors, B2 for nurses), if any."""
    return max((t.level for t in targets), key=CEFR_ORDER.index, default=None)


def highest_certified(certificates: Iterable[Certificate]) -> CefrLevel | None:
    """The highest level any certificate proves, whatever its domain."""
    return max((c.level for c in certificates), key=CEFR_ORDER.index, default=None)


def language_courses(
    targets: Targets, declared: CefrLevel, certificates: Iterable[Certificate] = ()
) -> list[MeasureSpec]:
    """A course towards each unproved target, unless the declared level reaches a target any general certificate
    would prove (declared proves nothing, but such a participant needs an exam, not a course)."""
    return [
        MeasureSpec(MeasureKind.LANGUAGE_COURSE, target.level, target.course_domain)
        for target in unmet(targets, certificates)
        if not (
            target.issuers is None and LanguageDomain.GENERAL in target.domains and at_least(declared, target.level)
        )
    ]

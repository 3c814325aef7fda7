"""The licence to practise an employment relies on: the case keeps recognition's latest grant (an Approbation or a
nursing licence supersedes a Berufserlaubnis, a new Berufserlaubnis extends it), and an employment that goes on
once its Berufserlaubnis has ended is marked and the coordinator told. Pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from services.placement.domain.case import CaseStatus, Licence, Placement
from shared.contracts.placement import EmploymentPermitExpired, RoleLevel
from shared.contracts.recognition import LicenceExpired, LicenceGranted
from shared.decision import Decision

NEEDS_NO_LICENCE = frozenset({RoleLevel.ASSISTANT_PENDING_RECOGNITION})
"""Work that is not the regulated profession itself (an assistant while the recognition runs, e.g. in a
recognition partnership, §16d(3) AufenthG) relies on no licence to practise (§ 2 BÄO)."""


def licence_granted(placement: Placement, event: LicenceGranted) -> Decision[Placement]:
    """The latest grant replaces the licence the case held; nothing to announce (recognition announced it)."""
    return Decision(replace(placement, licence=Licence(event.licence, event.valid_until)))


def licence_expired(placement: Placement, event: LicenceExpired) -> Decision[Placement]:
    """A temporary licence ended. Nothing changes when the case knows a later licence (the permit was superseded
    or extended); otherwise the case keeps it as expired and an ongoing employment relying on it is marked. A case
    that knows no licence at all (the grant came before placement kept licences) trusts recognition, which raises
    the fact only while the permit is the participant's latest licence."""
    known = placement.licence
    if known is not None and (known.kind, known.valid_until) != (event.licence, event.valid_until):
        return Decision(placement)
    expired = replace(placement, licence=Licence(event.licence, event.valid_until, expired=True))
    return mark_if_unlicensed(expired)


def mark_if_unlicensed(placement: Placement) -> Decision[Placement]:
    """An ongoing employment that relies on a licence while the case's latest licence has expired is marked with
    the first day without it, and `EmploymentPermitExpired` tells the coordinator: once per licence."""
    licence = placement.licence
    if placement.status is not CaseStatus.EMPLOYED or licence is None or licence.valid_until is None:
        return Decision(placement)
    employment, ended_on = placement.employment, permit_expired_on(licence.valid_until)
    if not licence.expired or employment.role_level in NEEDS_NO_LICENCE or employment.permit_expired_on == ended_on:
        return Decision(placement)
    assert employment.started_on is not None, "an employed case has started"
    expired = EmploymentPermitExpired(
        participant_id=placement.participant_id,
        employer_id=employment.employer_id,
        started_on=employment.started_on,
        licence=licence.kind,
        valid_until=licence.valid_until,
    )
    return Decision(placement.with_offer(replace(employment, permit_expired_on=ended_on)), (expired,))


def permit_expired_on(valid_until: date) -> date:
    """The first day without the licence: the day after its last day of validity."""
    return valid_until + timedelta(days=1)

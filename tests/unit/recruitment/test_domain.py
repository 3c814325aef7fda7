"""Recruitment's rules: registration, intake, consent with its evidence, and erasure."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta

import pytest

from services.recruitment import domain
from services.recruitment.domain import Consent, Involvement, Participant, ParticipantStatus
from shared.contracts.enums import CefrLevel, ConsentScope, Profession
from shared.contracts.examples import example_of
from shared.contracts.recruitment import (
    ConsentChanged,
    ConsentMethod,
    EraseParticipant,
    GrantConsent,
    IntakeRecorded,
    OrgRole,
    ParticipantErased,
    ParticipantRecruited,
    RecordIntake,
    RegisterCandidate,
    RevokeConsent,
    WithdrawParticipant,
)
from shared.contracts.reporting import RecordEntryIndicators
from shared.refusals import AlreadyExists, NotAllowed

PID = uuid.UUID("5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b")
TODAY = date(2025, 1, 13)
EMPLOYER, JOBCENTER, LANGUAGE = ConsentScope.EMPLOYER, ConsentScope.JOBCENTER_AGENTUR, ConsentScope.LANGUAGE_PROVIDER


def registered(**changes: object) -> Participant:
    cmd = example_of(RegisterCandidate).model_copy(update={"participant_id": PID, **changes})
    return domain.register(None, cmd, TODAY).state


def grant(*scopes: ConsentScope, on: date = date(2025, 2, 1), version: str | None = "consent-2026-01") -> GrantConsent:
    return GrantConsent(
        participant_id=PID, scopes=frozenset(scopes), given_on=on, form_version=version, method=ConsentMethod.WRITTEN
    )


def revoke(*scopes: ConsentScope, on: date = date(2025, 3, 1)) -> RevokeConsent:
    return RevokeConsent(participant_id=PID, scopes=frozenset(scopes), revoked_on=on)


def test_registering_decides_participant_recruited_without_personal_data() -> None:
    cmd = example_of(RegisterCandidate).model_copy(update={"participant_id": PID})

    decision = domain.register(None, cmd, TODAY)

    [recruited, indicators] = decision.events
    assert isinstance(recruited, ParticipantRecruited)
    assert recruited.participant_id == PID and recruited.consents == cmd.consents
    assert decision.state.status is ParticipantStatus.ACTIVE and decision.state.personal == cmd.personal
    assert "personal" not in recruited.model_dump()
    assert "indicators" not in recruited.model_dump()
    assert indicators == RecordEntryIndicators(participant_id=PID, recorded_on=TODAY, indicators=cmd.indicators)
    assert indicators.topic() == "journey.reporting.commands"


def test_the_day_of_entry_is_the_one_given_when_earlier_else_today() -> None:
    earlier = TODAY - timedelta(days=40)
    for given, entered in ((earlier, earlier), (None, TODAY), (TODAY + timedelta(days=3), TODAY)):
        cmd = example_of(RegisterCandidate).model_copy(update={"participant_id": PID, "registered_on": given})

        recruited, indicators = domain.register(None, cmd, TODAY).events

        assert isinstance(recruited, ParticipantRecruited) and isinstance(indicators, RecordEntryIndicators)
        assert (recruited.registered_on, indicators.recorded_on) == (entered, entered)


def test_without_indicators_nothing_goes_to_reporting_and_the_case_reference_travels() -> None:
    cmd = example_of(RegisterCandidate).model_copy(
        update={"participant_id": PID, "indicators": None, "case_reference": "SB-2026-0042"}
    )

    [recruited] = domain.register(None, cmd, TODAY).events

    assert isinstance(recruited, ParticipantRecruited) and recruited.case_reference == "SB-2026-0042"


def test_registration_carries_district_eu_citizenship_and_the_partner_role() -> None:
    cmd = example_of(RegisterCandidate).model_copy(
        update={"participant_id": PID, "district": "10041", "eu_citizen": True, "partner_role": OrgRole.RECRUITER}
    )

    recruited, *_ = domain.register(None, cmd, TODAY).events

    assert isinstance(recruited, ParticipantRecruited)
    assert (recruited.district, recruited.eu_citizen, recruited.partner_role) == ("10041", True, OrgRole.RECRUITER)


def test_the_registering_partner_takes_part_in_its_role_and_leads_the_case() -> None:
    participant = registered(partner_org="recruiter-abroad", partner_role=OrgRole.RECRUITER)

    assert participant.lead == "recruiter-abroad"
    assert participant.involvements == (Involvement("recruiter-abroad", OrgRole.RECRUITER, TODAY),)


def test_consents_at_registration_keep_their_evidence_from_the_day_of_registration() -> None:
    participant = registered(
        consents=frozenset({EMPLOYER, LANGUAGE}), consent_form_version="form-7", consent_method=ConsentMethod.WRITTEN
    )

    assert participant.consent_records == (
        Consent(EMPLOYER, TODAY, "form-7", ConsentMethod.WRITTEN),
        Consent(LANGUAGE, TODAY, "form-7", ConsentMethod.WRITTEN),
    )


def test_a_participant_is_registered_once() -> None:
    with pytest.raises(AlreadyExists):
        domain.register(registered(), example_of(RegisterCandidate).model_copy(update={"participant_id": PID}), TODAY)


def test_an_intake_changes_the_named_fields_and_reports_the_whole_profile() -> None:
    before = registered(target_profession=Profession.NURSING_PROFESSIONAL, language_level=CefrLevel.A2)
    cmd = RecordIntake(participant_id=PID, recorded_on=date(2025, 1, 20), language_level=CefrLevel.B1)

    decision = domain.record_intake(before, cmd)

    [recorded] = decision.events
    assert isinstance(recorded, IntakeRecorded)
    assert recorded.language_level is CefrLevel.B1
    assert recorded.target_profession is Profession.NURSING_PROFESSIONAL and recorded.isco_code == "2221"
    assert decision.state.profile.language_level is CefrLevel.B1


def test_an_intake_records_the_district_the_participant_moved_to() -> None:
    before = registered(district="10041")

    decision = domain.record_intake(before, RecordIntake(participant_id=PID, recorded_on=TODAY, district="07131"))

    [recorded] = decision.events
    assert isinstance(recorded, IntakeRecorded) and recorded.district == "07131"
    assert decision.state.profile.district == "07131"


def test_granting_and_revoking_consent_report_the_change_and_the_consents_after_it() -> None:
    before = registered(consents=frozenset({EMPLOYER}))

    granted = domain.grant_consent(before, grant(JOBCENTER))
    revoked = domain.revoke_consent(granted.state, revoke(EMPLOYER))

    assert granted.events == (
        ConsentChanged(
            participant_id=PID,
            consents=frozenset({EMPLOYER, JOBCENTER}),
            changed_on=date(2025, 2, 1),
            granted=frozenset({JOBCENTER}),
            form_version="consent-2026-01",
            method=ConsentMethod.WRITTEN,
        ),
    )
    assert revoked.events == (
        ConsentChanged(
            participant_id=PID,
            consents=frozenset({JOBCENTER}),
            changed_on=date(2025, 3, 1),
            revoked=frozenset({EMPLOYER}),
        ),
    )
    assert revoked.state.consents == {JOBCENTER}


def test_a_revoked_consent_keeps_its_evidence_with_the_day_of_revocation() -> None:
    before = registered(consents=frozenset({EMPLOYER}), consent_form_version="form-7")

    after = domain.revoke_consent(before, revoke(EMPLOYER)).state

    assert after.consent_records == (Consent(EMPLOYER, TODAY, "form-7", ConsentMethod.WRITTEN, date(2025, 3, 1)),)


def test_a_new_grant_of_a_held_scope_renews_its_evidence() -> None:
    before = registered(consents=frozenset({EMPLOYER}), consent_form_version="form-7")

    after = domain.grant_consent(before, grant(EMPLOYER, on=date(2025, 6, 1), version="form-8")).state

    assert after.consent_records == (Consent(EMPLOYER, date(2025, 6, 1), "form-8", ConsentMethod.WRITTEN),)


def test_the_same_grant_again_is_a_repeated_fact_and_refused_as_existing() -> None:
    once = domain.grant_consent(registered(consents=frozenset()), grant(JOBCENTER)).state

    with pytest.raises(AlreadyExists, match="given already"):
        domain.grant_consent(once, grant(JOBCENTER))


def test_revoking_names_only_the_scopes_that_were_held() -> None:
    before = registered(consents=frozenset({EMPLOYER}))

    [changed] = domain.revoke_consent(before, revoke(EMPLOYER, JOBCENTER)).events

    assert isinstance(changed, ConsentChanged) and changed.revoked == {EMPLOYER} and changed.consents == frozenset()


def test_revoking_a_scope_never_given_is_refused_and_a_second_revocation_is_a_repeated_fact() -> None:
    before = registered(consents=frozenset({EMPLOYER}))
    revoked = domain.revoke_consent(before, revoke(EMPLOYER)).state

    with pytest.raises(NotAllowed, match="no consent to jobcenter_agentur was given") as never:
        domain.revoke_consent(before, revoke(JOBCENTER))
    with pytest.raises(AlreadyExists, match="revoked already"):
        domain.revoke_consent(revoked, revoke(EMPLOYER))
    assert never.value.field == "scopes"


@pytest.mark.parametrize("status", [s for s in ParticipantStatus if s is not ParticipantStatus.ERASED])
def test_consent_can_be_revoked_and_data_erased_in_every_state_but_erased(status: ParticipantStatus) -> None:
    before = replace(registered(consents=frozenset({EMPLOYER})), status=status)
    erase = example_of(EraseParticipant).model_copy(update={"participant_id": PID})

    domain.revoke_consent(before, revoke(EMPLOYER))
    erased = domain.erase(before, erase, date(2026, 1, 15))

    assert erased.state.status is ParticipantStatus.ERASED and erased.state.personal is None
    assert erased.events == (ParticipantErased(participant_id=PID, basis=erase.basis, erased_on=date(2026, 1, 15)),)


def test_erasure_drops_consents_and_involvements_but_keeps_the_coarse_profile() -> None:
    before = registered(consents=frozenset({EMPLOYER}))

    erased = domain.erase(before, example_of(EraseParticipant).model_copy(update={"participant_id": PID}), TODAY)

    assert erased.state.consent_records == () and erased.state.involvements == ()
    assert erased.state.profile == before.profile


def test_nothing_is_allowed_once_erased() -> None:
    erased = domain.erase(
        registered(), example_of(EraseParticipant).model_copy(update={"participant_id": PID}), date(2026, 1, 1)
    ).state
    with pytest.raises(NotAllowed):
        domain.record_intake(erased, RecordIntake(participant_id=PID, recorded_on=date(2026, 1, 2), region="DE-SL"))
    with pytest.raises(NotAllowed):
        domain.revoke_consent(erased, revoke(EMPLOYER))
    with pytest.raises(NotAllowed):
        domain.erase(erased, example_of(EraseParticipant).model_copy(update={"participant_id": PID}), date(2026, 1, 2))


def test_intake_and_new_consent_wait_for_a_reactivation_after_a_drop_out() -> None:
    withdrawn = domain.withdraw(
        registered(), example_of(WithdrawParticipant).model_copy(update={"participant_id": PID})
    ).state
    with pytest.raises(NotAllowed, match="participant is withdrawn"):
        domain.record_intake(withdrawn, RecordIntake(participant_id=PID, recorded_on=date(2025, 5, 1), region="DE-SL"))
    with pytest.raises(NotAllowed, match="participant is withdrawn"):
        domain.grant_consent(withdrawn, grant(JOBCENTER))

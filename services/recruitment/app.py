"""Composition root of the recruitment service."""

from __future__ import annotations

import functools
from datetime import timedelta
from pathlib import Path

from services.recruitment import commands, counselling_commands, reactions, retention, rights_commands
from services.recruitment.settings import DEFAULT_COPIES_WINDOW
from shared.contracts import counselling, placement
from shared.contracts import organisations as org
from shared.contracts import recruitment as contract
from shared.contracts.topics import Kind, Stage, topic
from shared.processing import Route
from shared.service import ServiceSpec


def spec(copies: timedelta = DEFAULT_COPIES_WINDOW) -> ServiceSpec:
    """The service, its erasure confirming that no copy outlives the erasure by more than `copies`
    (`settings.copies_window`)."""
    return ServiceSpec(
        stage=Stage.RECRUITMENT,
        migrations=Path(__file__).parent / "migrations",
        default_http_port=8001,
        involvements="involvements",  # its own: the cases' organisations are recruitment's facts
        consumes={
            topic(Stage.RECRUITMENT, Kind.COMMAND): [
                Route(contract.RegisterCandidate, commands.register_candidate),
                Route(contract.RecordIntake, commands.record_intake),
                Route(contract.GrantConsent, commands.grant_consent),
                Route(contract.RevokeConsent, commands.revoke_consent),
                Route(contract.PauseParticipation, commands.pause_participation),
                Route(contract.ResumeParticipation, commands.resume_participation),
                Route(contract.CompleteParticipation, commands.complete_participation),
                Route(contract.WithdrawParticipant, commands.withdraw_participant),
                Route(contract.ReactivateParticipant, commands.reactivate_participant),
                Route(contract.EraseParticipant, functools.partial(commands.erase_participant, copies=copies)),
                Route(contract.RequestDataAccess, rights_commands.request_data_access),
                Route(contract.CorrectPersonalData, rights_commands.correct_personal_data),
                Route(contract.PlaceAuditHold, rights_commands.place_audit_hold),
                Route(contract.ReleaseAuditHold, rights_commands.release_audit_hold),
                Route(org.RegisterOrganisation, commands.register_organisation),
                Route(org.InvolveOrganisation, commands.involve_organisation),
                Route(org.ReleaseOrganisation, commands.release_organisation),
                Route(org.HandOverLead, commands.hand_over_lead),
                Route(counselling.RecordFirstContact, counselling_commands.record_first_contact),
                Route(counselling.RecordCounsellingSession, counselling_commands.record_counselling_session),
                Route(counselling.LinkFirstContact, counselling_commands.link_first_contact),
            ],
            topic(Stage.PLACEMENT, Kind.EVENT): [
                Route(placement.PlacementConfirmed, reactions.placement_confirmed),
            ],
        },
        workers=[retention.run_retention_schedule],
        description="Registers candidates with their consent; personal data stays here and only here. Serves the"
        " participant's rights: access requests, correction, erasure and the retention schedule.",
    )


SPEC = spec()

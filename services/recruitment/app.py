"""Composition root of the recruitment service."""

from __future__ import annotations

from pathlib import Path

from services.recruitment import commands, counselling_commands, reactions
from shared.contracts import counselling, placement
from shared.contracts import organisations as org
from shared.contracts import recruitment as contract
from shared.contracts.topics import Kind, Stage, topic
from shared.processing import Route
from shared.service import ServiceSpec

SPEC = ServiceSpec(
    stage=Stage.RECRUITMENT,
    migrations=Path(__file__).parent / "migrations",
    default_http_port=8001,
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
            Route(contract.EraseParticipant, commands.erase_participant),
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
    description="Registers candidates with their consent; personal data stays here and only here.",
)

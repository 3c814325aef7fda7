"""The catalogue: unique types, topic names, keys, milestones, and the rules the command models enforce."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from shared.contracts import (
    counselling,
    notifications,
    organisations,
    placement,
    qualification,
    recognition,
    recruitment,
    reporting,
)
from shared.contracts.catalogue import (
    ALL_MESSAGES,
    BY_TYPE,
    MILESTONE_EVENTS,
    commands_of,
    events_of,
    milestone_of,
)
from shared.contracts.enums import Milestone
from shared.contracts.envelope import BaseMessage, Command, Event, Message
from shared.contracts.examples import example_payload
from shared.contracts.notifications import DirectoryCommand, DirectoryEvent, DirectoryMessage
from shared.contracts.topics import ALL_TOPICS, Kind, Stage

TOPIC = re.compile(
    r"^journey\.(recruitment|recognition|qualification|placement|notifications|reporting)\.(commands|events|rejections)$"
)
CE_TYPE = re.compile(r"^journey\.[a-z]+\.[A-Z][A-Za-z0-9]+\.v[1-9][0-9]*$")
MODULES = {
    Stage.RECRUITMENT: (recruitment, organisations, counselling),
    Stage.RECOGNITION: (recognition,),
    Stage.QUALIFICATION: (qualification,),
    Stage.PLACEMENT: (placement,),
    Stage.NOTIFICATIONS: (notifications,),
    Stage.REPORTING: (reporting,),
}
# Messages not about a participant, and the field that keys them.
OTHER_KEYS: dict[type[BaseMessage], str] = {
    DirectoryMessage: "recipient_id",
    organisations.OrganisationMessage: "org_id",
    counselling.FirstContactMessage: "contact_id",
    reporting.PeriodMessage: "period_id",
    recruitment.RetentionRunEvent: "run_id",
}
NAMES = [m.__name__ for m in ALL_MESSAGES]
COMMAND_BASES = (
    Command,
    DirectoryCommand,
    organisations.OrganisationCommand,
    counselling.RecordFirstContact,
    reporting.PeriodCommand,
)
EVENT_BASES = (
    Event,
    DirectoryEvent,
    organisations.OrganisationEvent,
    counselling.FirstContactRecorded,
    reporting.PeriodEvent,
    recruitment.RetentionRunEvent,
)


def test_every_ce_type_is_unique_and_well_formed() -> None:
    ce_types = [m.ce_type() for m in ALL_MESSAGES]
    assert len(ce_types) == len(set(ce_types)) == len(BY_TYPE)
    assert [t for t in ce_types if not CE_TYPE.match(t)] == []


def test_class_names_are_unique_so_schema_components_do_not_collide() -> None:
    assert len(NAMES) == len(set(NAMES))


def test_every_topic_name_is_journey_stage_kind() -> None:
    assert [t for t in ALL_TOPICS if not TOPIC.match(t)] == []
    assert [m.__name__ for m in ALL_MESSAGES if not TOPIC.match(m.topic())] == []
    assert len(ALL_TOPICS) == len(Stage) * len(Kind)


@pytest.mark.parametrize("stage", list(Stage))
def test_each_stage_module_holds_its_own_messages(stage: Stage) -> None:
    messages = tuple(m for module in MODULES[stage] for m in module.MESSAGES)
    assert {m.stage for m in messages} == {stage}
    assert set(commands_of(stage)) | set(events_of(stage)) == set(messages)
    assert commands_of(stage) and events_of(stage)


@pytest.mark.parametrize("message", ALL_MESSAGES, ids=NAMES)
def test_commands_go_to_commands_topics_and_events_to_events_topics(message: type[Message]) -> None:
    is_command = issubclass(message, COMMAND_BASES)
    is_event = issubclass(message, EVENT_BASES)
    assert is_command != is_event
    assert message.kind is (Kind.COMMAND if is_command else Kind.EVENT)
    assert message.topic() == f"journey.{message.stage.value}.{message.kind.value}"


@pytest.mark.parametrize("message", ALL_MESSAGES, ids=NAMES)
def test_every_message_is_keyed_by_the_participant_or_by_what_it_is_about(
    message: type[Message],
) -> None:
    """By the participant; in the directory by the recipient, organisations by their id, first contacts by theirs."""
    others = [key for base, key in OTHER_KEYS.items() if issubclass(message, base)]
    expected = others[0] if others else "participant_id"
    assert message.key_field == expected
    assert expected in message.model_fields
    assert issubclass(message, Message) != bool(others)


@pytest.mark.parametrize("message", ALL_MESSAGES, ids=NAMES)
def test_every_message_and_field_is_described_for_partners(message: type[Message]) -> None:
    assert (message.__doc__ or "").strip()
    assert [name for name, field in message.model_fields.items() if not field.description] == []
    assert message.model_config.get("frozen") is True


def test_every_milestone_is_reached_by_exactly_one_event() -> None:
    marked = [m.marks_milestone for m in ALL_MESSAGES if issubclass(m, Event) and m.marks_milestone]
    assert sorted(marked) == sorted(Milestone)
    assert set(MILESTONE_EVENTS) == set(Milestone)
    assert milestone_of("journey.qualification.ExamFailed.v1") is Milestone.EXAM_FAILED
    assert milestone_of("journey.qualification.ExamPassed.v1") is None
    assert milestone_of("journey.nowhere.Nothing.v1") is None


def test_a_decision_offers_measures_exactly_when_compensation_is_required() -> None:
    base = example_payload(recognition.RecordDecision)
    recognition.RecordDecision.model_validate(base)
    with pytest.raises(ValidationError, match="measures_offered"):
        recognition.RecordDecision.model_validate({**base, "measures_offered": []})
    with pytest.raises(ValidationError, match="measures_offered"):
        recognition.RecordDecision.model_validate({**base, "outcome": "full_equivalence"})
    recognition.RecordDecision.model_validate({**base, "outcome": "full_equivalence", "measures_offered": []})


def test_a_language_course_needs_a_target_level() -> None:
    base = example_payload(qualification.PlanMeasure)
    with pytest.raises(ValidationError, match="target_level"):
        qualification.PlanMeasure.model_validate({**base, "target_level": None})
    qualification.PlanMeasure.model_validate({**base, "measure_kind": "adaptation_course", "target_level": None})


def test_a_partial_update_must_change_something() -> None:
    participant = example_payload(recruitment.RecordIntake)
    with pytest.raises(ValidationError, match="at least one"):
        recruitment.RecordIntake.model_validate(
            {"participant_id": participant["participant_id"], "recorded_on": "2025-01-20"}
        )
    with pytest.raises(ValidationError, match="at least one"):
        notifications.UpdateRecipient.model_validate({"recipient_id": "coordination-de-sl"})


def test_a_partner_organisation_recipient_names_its_organisation() -> None:
    base = example_payload(notifications.RegisterRecipient)
    with pytest.raises(ValidationError, match="partner_org"):
        notifications.RegisterRecipient.model_validate({**base, "recipient_kind": "partner_organisation"})
    notifications.RegisterRecipient.model_validate(
        {**base, "recipient_kind": "partner_organisation", "partner_org": "language-school-example"}
    )


def test_commands_refuse_unknown_fields_and_events_ignore_them() -> None:
    command = example_payload(recognition.RecordDecision)
    with pytest.raises(ValidationError, match="extra"):
        recognition.RecordDecision.model_validate({**command, "reasons": "free text"})
    event = example_payload(recognition.RecognitionDecided)
    parsed = recognition.RecognitionDecided.model_validate({**event, "added_in_a_later_release": 1})
    assert not hasattr(parsed, "added_in_a_later_release")


def test_ids_are_codes_not_free_text() -> None:
    base = example_payload(placement.RecordOffer)
    for bad in ("Care Home Example", "hr@example.org", ""):
        with pytest.raises(ValidationError, match="employer_id"):
            placement.RecordOffer.model_validate({**base, "employer_id": bad})

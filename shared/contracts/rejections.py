"""The rejection every stage publishes for a message it could not apply, with the original bytes."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.envelope import EXAMPLE_PARTICIPANT
from shared.contracts.topics import Kind, Stage, topic


class RejectionReason(StrEnum):
    """Machine-readable reason codes; partners branch on these, people read `message`."""

    UNDECODABLE = "undecodable"
    """The value is not UTF-8 JSON (no byte-order mark, no NaN, no repeated keys)."""
    MISSING_ENVELOPE = "missing_envelope"
    """A required CloudEvents header (or `content-type`) is absent or empty; `errors` names it."""
    INVALID_ENVELOPE = "invalid_envelope"
    """A header is present but malformed: not UTF-8, a control character, given twice, or the wrong form
    (specversion, content-type, id, source, time); `errors` names it."""
    LIMIT_EXCEEDED = "limit_exceeded"
    """The record exceeds a documented limit: value size, JSON nesting depth, header count or header length."""
    UNKNOWN_TYPE = "unknown_type"
    """`ce_type` is not a message this topic accepts (or a version no longer served)."""
    INVALID_PAYLOAD = "invalid_payload"
    """The JSON does not match the message's schema; `errors` lists the fields."""
    SUBJECT_MISMATCH = "subject_mismatch"
    """Kafka key, `ce_subject` and the payload's `participant_id` (`recipient_id` in the directory) differ."""
    UNKNOWN_PARTICIPANT = "unknown_participant"
    """The stage has no record of this participant."""
    UNKNOWN_RECIPIENT = "unknown_recipient"
    """The notifications directory has no recipient with this id."""
    UNKNOWN_ORGANISATION = "unknown_organisation"
    """No organisation with this id is registered (`RegisterOrganisation`), or it is not involved with the participant
    where the command needs it to be."""
    ALREADY_EXISTS = "already_exists"
    """The thing to create exists already (with another message id)."""
    NOT_ALLOWED_IN_STATE = "not_allowed_in_state"
    """The command is not allowed in the participant's current state at this stage."""
    FORGED_ORGANISATION = "forged_organisation"
    """On a partner's commands topic (`journey.<stage>.commands.<org>`): `ce_source` is not `/partners/<org>`, or
    the organisation the command says sends it (e.g. `partner_org`, `org_id`) is another one."""
    NOT_INVOLVED = "not_involved"
    """The partner sent a command about a participant it is not involved with (`InvolveOrganisation`), or one that
    only the case's lead may send."""
    NOT_PERMITTED = "not_permitted"
    """Partners may not send this command (the services and operators send it), or may not change this thing
    (e.g. another organisation's registration)."""
    PROCESSING_FAILED = "processing_failed"
    """An unexpected error that persisted over several attempts; the original is kept here so it can be replayed
    once fixed."""


class FieldError(BaseModel):
    model_config = ConfigDict(frozen=True)

    location: str = Field(description="Dotted path of the offending field.", examples=["decided_on"])
    problem: str = Field(description="What is wrong with it.", examples=["Field required"])


class OriginalMessage(BaseModel):
    """Where the rejected message was and what it held: byte for byte up to the limits a rejection keeps."""

    model_config = ConfigDict(frozen=True)

    topic: str = Field(description="Topic it was read from.", examples=["journey.recognition.commands"])
    partition: int = Field(description="Partition it was read from.", examples=[0])
    offset: int = Field(description="Its offset there.", examples=[42])
    key: str | None = Field(description="The Kafka key as text, if any.", examples=[EXAMPLE_PARTICIPANT])
    headers: dict[str, str] = Field(
        description="Kafka headers as text; bytes that are not UTF-8 and control characters are written as"
        " `\\xNN` escapes, and a header given twice shows its last value.",
        examples=[
            {
                "ce_id": "b7c1d2e3-f4a5-4b6c-8d7e-9f0a1b2c3d4e",
                "ce_source": "/partners/counselling-example",
                "ce_specversion": "1.0",
                "ce_type": "journey.recognition.RecordDecision.v1",
                "content-type": "application/json",
            }
        ],
    )
    value_base64: str = Field(
        description="The value, base64-encoded; only its first bytes when `value_truncated` is true.",
        examples=["e30="],
    )
    value_size: int | None = Field(None, description="Size of the whole value in bytes.", examples=[2])
    value_sha256: str | None = Field(
        None,
        description="SHA-256 of the whole value (hex), to match it with what you sent.",
        examples=["44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"],
    )
    value_truncated: bool = Field(
        False,
        description="True when `value_base64` holds only a prefix of a value too large to keep whole.",
        examples=[False],
    )
    headers_truncated: bool = Field(
        False,
        description="True when header values were shortened or headers left out to bound the rejection.",
        examples=[False],
    )


class MessageRejected(BaseModel):
    """Published on `journey.<stage>.rejections` for every message the stage could not apply."""

    model_config = ConfigDict(frozen=True)

    version: ClassVar[int] = 1
    kind: ClassVar[Kind] = Kind.REJECTION

    participant_id: UUID | None = Field(
        description="The participant, when it could be read.", examples=[EXAMPLE_PARTICIPANT]
    )
    reason: RejectionReason = Field(description="Machine-readable reason code.", examples=["invalid_payload"])
    message: str = Field(
        description="Human-readable explanation.",
        examples=["invalid journey.recognition.RecordDecision.v1: decided_on: Field required"],
    )
    errors: list[FieldError] = Field(
        default_factory=list,
        description="Field errors, for invalid_payload.",
        examples=[[{"location": "decided_on", "problem": "Field required"}]],
    )
    rejected_id: str | None = Field(
        description="`ce_id` of the rejected message.", examples=["b7c1d2e3-f4a5-4b6c-8d7e-9f0a1b2c3d4e"]
    )
    rejected_type: str | None = Field(
        description="`ce_type` of the rejected message.", examples=["journey.recognition.RecordDecision.v1"]
    )
    original: OriginalMessage = Field(description="The rejected record, byte for byte.")

    @classmethod
    def ce_type_for(cls, stage: Stage) -> str:
        return f"journey.{stage.value}.{cls.__name__}.v{cls.version}"

    @staticmethod
    def topic_for(stage: Stage) -> str:
        return topic(stage, Kind.REJECTION)


# What a sender does about each reason: the partner guide's table and `journey rejections explain` show it.
RESEND = "Send the corrected message with a **new** `ce_id` (the old id is recorded as handled)."
ACTIONS: dict[RejectionReason, str] = {
    RejectionReason.UNDECODABLE: f"Fix your serialiser: the value must be UTF-8 JSON. {RESEND}",
    RejectionReason.MISSING_ENVELOPE: f"Add the header `errors` names (see Headers). {RESEND}",
    RejectionReason.INVALID_ENVELOPE: (
        f"Read `errors`: it names the header and what is wrong; fix it (see Headers and What is refused). {RESEND}"
    ),
    RejectionReason.LIMIT_EXCEEDED: (f"Keep within the limits under What is refused: no command needs more. {RESEND}"),
    RejectionReason.UNKNOWN_TYPE: (
        "Check `ce_type` against the catalogue below and the topic you wrote to; move off retired versions."
    ),
    RejectionReason.INVALID_PAYLOAD: f"Read `errors` (field and problem) and fix the data. {RESEND}",
    RejectionReason.SUBJECT_MISMATCH: (
        "Use the participant id (recipient id in the directory) as Kafka key, `ce_subject` and payload field."
    ),
    RejectionReason.UNKNOWN_PARTICIPANT: (
        "Check the id. A stage waits a few seconds for a participant it has not heard of yet (facts travel on"
        " other topics); past that, register the participant or wait for the stage's first event about them,"
        " then resend with a new `ce_id` (the same `ce_id` is skipped as a redelivery)."
    ),
    RejectionReason.UNKNOWN_RECIPIENT: "Check the recipient id; register the recipient first, then resend.",
    RejectionReason.UNKNOWN_ORGANISATION: (
        "Check the organisation id; register the organisation (`RegisterOrganisation`) or involve it with the"
        " participant first, then resend with a new `ce_id`."
    ),
    RejectionReason.ALREADY_EXISTS: (
        "If you sent it twice, nothing to do: the first was applied. Otherwise choose a fresh random id."
    ),
    RejectionReason.NOT_ALLOWED_IN_STATE: (
        "Your view is out of date: read the stage's events to see where the case stands, then send what fits."
    ),
    RejectionReason.FORGED_ORGANISATION: (
        "Send as yourself: `ce_source` `/partners/<org>` and your own org id where the command names its sender"
        " (see Connecting). A command for another organisation is theirs to send."
    ),
    RejectionReason.NOT_INVOLVED: (
        "Only organisations involved with the participant may send commands about them (and only the lead may ask"
        " for their data): ask the lead to involve you (`InvolveOrganisation`), wait for `OrganisationInvolved`, then"
        " resend with a new `ce_id`."
    ),
    RejectionReason.NOT_PERMITTED: (
        "This command is the operators' (or the services'): ask the network's operators. Do not resend."
    ),
    RejectionReason.PROCESSING_FAILED: (
        "Not your fault: the stage failed on it several times with an error nobody foresaw; operators are alerted"
        " and replay the kept original once fixed. Do not resend."
    ),
}

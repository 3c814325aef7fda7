"""Every message type of the journey, looked up by its CloudEvents type."""

from __future__ import annotations

from shared.contracts import recruitment
from shared.contracts.envelope import Message

ALL_MESSAGES: tuple[type[Message], ...] = (*recruitment.MESSAGES,)

BY_TYPE: dict[str, type[Message]] = {m.ce_type(): m for m in ALL_MESSAGES}

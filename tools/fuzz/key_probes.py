"""Templates that break the Kafka key or make key, `ce_subject` and the payload's id disagree."""

from __future__ import annotations

import random

from tools.fuzz.model import Draft, Mutate, Template, keyed_by_uuid

OTHER_PARTICIPANT = "0d6f2c1a-8b3e-4f5a-9c7d-1e2f3a4b5c6d"
OTHER_RECIPIENT = "fuzz-other-recipient"


def _other(draft: Draft) -> bytes:
    """Another id of the same kind as the key (a UUID or a short code), so that only the mismatch is wrong."""
    return (OTHER_PARTICIPANT if keyed_by_uuid(draft.model) else OTHER_RECIPIENT).encode()


def _key(how: str) -> Mutate:
    def mutate(draft: Draft, rng: random.Random) -> None:
        key = draft.key or b""
        if how == "none":
            draft.key = None
        elif how == "empty":
            draft.key = b""
        elif how == "nul":
            draft.key = key + b"\x00"
        elif how == "utf8":
            draft.key = b"\xff" + key
        elif how == "other":
            draft.key = _other(draft)
        elif how == "newline":
            draft.key = key + b"\n"
        elif how == "huge":
            draft.key = key + b"k" * 1_000_000
        elif how == "subject":
            draft.set_header("ce_subject", _other(draft))
        elif how == "both":
            draft.key = _other(draft)
            draft.set_header("ce_subject", _other(draft))

    return mutate


def key_templates() -> list[Template]:
    cases = (
        ("no Kafka key", "none", True, False),
        ("an empty Kafka key", "empty", True, False),
        ("a NUL at the end of the key", "nul", True, False),
        ("invalid UTF-8 in the key", "utf8", True, False),
        ("a 1 MB key", "huge", True, True),
        ("the key of another id", "other", False, False),
        ("a line feed at the end of the key", "newline", False, False),
        ("ce_subject of another id", "subject", False, False),
        ("key and ce_subject of another id", "both", False, False),
    )
    return [
        Template("keys", "key_mismatch", label, _key(how), hazardous=hazardous, heavy=heavy)
        for label, how, hazardous, heavy in cases
    ]

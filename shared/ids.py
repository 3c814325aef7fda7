"""Ids derived from other ids: the same inputs give the same id on every retry, in any process. Pure."""

from __future__ import annotations

import uuid

# Ids of things created in reaction to a message derive from that message's id, so a retry makes no twin.
ID_NAMESPACE = uuid.UUID("6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f")


def derived_id(*parts: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, ":".join(parts)))

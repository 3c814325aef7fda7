"""Every route the law gives, walked side by side on one stack: a doctor from a third country, a nurse through the
adaptation course, a nurse who finally fails the knowledge test, an educator through the aptitude test, an engineer
with a statement of comparability, an electrician from partial to full equivalence, a participant who needs no
recognition, a trainee — each one the partner guide's worked example (`tools.walks`), played as a partner would
play it: send, and wait where the guide says to wait. The coordinator of their region hears each milestone of each
walk exactly once."""

from __future__ import annotations

import asyncio
import secrets
import string
import uuid
from collections import Counter

from shared.contracts.enums import Milestone
from shared.contracts.notifications import RecipientKind, RegisterRecipient
from shared.contracts.topics import Stage
from tests.e2e.walking import Bus, play
from tests.support.kafka import Partner
from tests.support.smtp import SmtpSink
from tools.walks import WALKS, walk


async def test_every_route_walks_to_its_end_side_by_side_and_the_coordinator_hears_each_milestone_once(
    partner: Partner, bus: Bus, smtp: SmtpSink
) -> None:
    token = uuid.uuid4().hex[:6]
    region = "DE-" + "".join(secrets.choice(string.ascii_uppercase) for _ in range(3))
    coordinator = f"routes-coord-{token}@example.org"
    await partner.send(
        RegisterRecipient(
            recipient_id=f"routes-coord-{token}",
            recipient_kind=RecipientKind.COORDINATOR,
            email=coordinator,
            display_name="Koordination Routen (Beispiel)",
            regions=frozenset({region}),
            milestones=frozenset(Milestone),
        )
    )
    await bus.wait(f"routes-coord-{token}", Stage.NOTIFICATIONS, "RecipientRegistered")
    walks = [walk(name, region=region, partner_org=f"routes-partner-{token}") for name in WALKS]

    results = await asyncio.gather(*(play(w, partner, bus) for w in walks), return_exceptions=True)
    failed = {w.name: repr(r) for w, r in zip(walks, results, strict=True) if isinstance(r, BaseException)}
    assert not failed, failed

    expected = sum(len(w.milestones) for w in walks)
    await smtp.wait_for(coordinator, count=expected, timeout_s=90)
    await smtp.wait_for(coordinator, count=expected + 1, timeout_s=3)  # an extra would show now
    for w in walks:
        mails = [m for m in smtp.to(coordinator) if m["X-Journey-Participant"] == str(w.participant_id)]
        got = Counter(m["X-Journey-Milestone"] for m in mails)
        assert got == Counter(str(m) for m in w.milestones), (w.name, got)

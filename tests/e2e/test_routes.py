"""Every route the law gives, walked side by side on one stack: a doctor from a third country, a nurse through the
adaptation course, a nurse who finally fails the knowledge test, an educator through the aptitude test, an engineer
with a statement of comparability, an electrician from partial to full equivalence, a participant who needs no
recognition, a trainee — each one the partner guide's worked example (`tools.walks`), played as a partner would
play it: send, and wait where the guide says to wait. The coordinator of their region hears each milestone of each
walk exactly once."""

from __future__ import annotations

from collections import Counter

from tests.e2e.walking import Bus, coordinator_of_a_new_region, play_side_by_side
from tests.support.kafka import Partner
from tests.support.smtp import SmtpSink
from tools.walks import WALKS, walk


async def test_every_route_walks_to_its_end_side_by_side_and_the_coordinator_hears_each_milestone_once(
    partner: Partner, bus: Bus, smtp: SmtpSink
) -> None:
    region, coordinator = await coordinator_of_a_new_region(partner, bus, "routes")
    walks = {name: walk(name, region=region) for name in WALKS}
    await play_side_by_side(walks, partner, bus)

    expected = sum(len(w.milestones) for w in walks.values())
    await smtp.wait_for(coordinator, count=expected, timeout_s=90)
    await smtp.wait_for(coordinator, count=expected + 1, timeout_s=3)  # an extra would show now
    for w in walks.values():
        mails = [m for m in smtp.to(coordinator) if m["X-Journey-Participant"] == str(w.participant_id)]
        got = Counter(m["X-Journey-Milestone"] for m in mails)
        assert got == Counter(str(m) for m in w.milestones), (w.name, got)

"""Digests, pure: which periods are due (Berlin's calendar, catching up missed ones), the delivery each milestone
takes, and the one mail a period's milestones make."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from uuid import UUID

from services.notifications.digests import periods_chosen
from services.notifications.domain import Participant, Recipient, recipients_for
from services.notifications.domain.addressing import Suppression
from services.notifications.domain.digests import (
    BERLIN,
    DigestEntry,
    DigestInput,
    compose,
    counted,
    digest_delivery_id,
    periods_due,
    span,
)
from shared.contracts.enums import Milestone
from shared.contracts.notifications import Delivery, DigestPeriod, MailLanguage, RecipientKind, SuppressionReason

A = UUID("5b0f2a8e-3c4d-4e6f-9a1b-2c3d4e5f6a7b")
B = UUID("0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f")
KNOWN = Participant(A, recruited=True, region="DE-SL", partner_org="iq", lead_org="iq")


def berlin(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), BERLIN)


def desk(**fields: object) -> Recipient:
    return Recipient("desk", RecipientKind.COORDINATOR, "desk@example.org", "Desk", **fields)  # type: ignore[arg-type]


def test_a_coordinator_by_default_gets_the_weekly_digest_and_urgent_milestones_at_once() -> None:
    directory = [desk()]
    assert recipients_for(Milestone.RECOGNITION_DECIDED, KNOWN, directory).digest == (("desk", DigestPeriod.WEEK),)
    urgent = recipients_for(Milestone.DECISION_OVERDUE, KNOWN, directory)
    assert urgent.mail == ("desk",) and urgent.digest == ()


def test_delivery_is_the_milestones_choice_then_the_recipients_default_then_the_default_of_its_kind() -> None:
    chosen = desk(delivery={Milestone.RECOGNITION_DECIDED: Delivery.IMMEDIATE}, default_delivery=Delivery.DAILY_DIGEST)
    assert chosen.delivery_of(Milestone.RECOGNITION_DECIDED) is Delivery.IMMEDIATE
    assert chosen.delivery_of(Milestone.DECISION_OVERDUE) is Delivery.DAILY_DIGEST
    partner = Recipient("p", RecipientKind.PARTNER_ORGANISATION, "p@example.org", "P", partner_org="iq")
    assert partner.delivery_of(Milestone.RECOGNITION_DECIDED) is Delivery.IMMEDIATE
    assert periods_chosen(chosen) == {DigestPeriod.DAY}


def test_a_milestone_chosen_for_no_delivery_is_not_mailed_and_recorded_as_not_subscribed() -> None:
    addressing = recipients_for(Milestone.RECOGNITION_DECIDED, KNOWN, [desk(default_delivery=Delivery.NONE)])
    assert addressing.mail == () and addressing.digest == ()
    assert addressing.suppressed == (Suppression("desk", SuppressionReason.MILESTONE_NOT_SUBSCRIBED),)


def test_the_rules_apply_before_a_digest_keeps_a_milestone() -> None:
    elsewhere = desk(regions=frozenset({"DE-RP"}))
    assert recipients_for(Milestone.RECOGNITION_DECIDED, KNOWN, [elsewhere]).digest == ()
    objected = Participant(A, recruited=True, region="DE-SL", opted_out_on=date(2026, 1, 1))
    assert recipients_for(Milestone.RECOGNITION_DECIDED, objected, [desk()]).digest == ()


def test_a_day_ends_at_midnight_in_berlin_and_its_digest_comes_from_the_sending_hour_of_the_next_day() -> None:
    joined = berlin(date(2026, 11, 23), 23, 30)  # 22:30 UTC: still the 23rd in Berlin
    assert periods_due(DigestPeriod.DAY, joined, None, berlin(date(2026, 11, 24), 5, 59), 6) == []
    assert periods_due(DigestPeriod.DAY, joined, None, berlin(date(2026, 11, 24), 6), 6) == [date(2026, 11, 23)]


def test_a_week_ends_on_sunday_midnight_and_missed_weeks_are_caught_up_oldest_first() -> None:
    joined = datetime(2026, 11, 4, 12, tzinfo=UTC)  # a Wednesday
    now = berlin(date(2026, 11, 30), 6)  # a Monday
    assert periods_due(DigestPeriod.WEEK, joined, None, now, 6) == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
        date(2026, 11, 23),
    ]
    assert periods_due(DigestPeriod.WEEK, joined, date(2026, 11, 16), now, 6) == [date(2026, 11, 23)]
    assert periods_due(DigestPeriod.WEEK, joined, date(2026, 11, 23), now, 6) == []


def test_the_digests_message_id_is_derived_from_recipient_period_and_start() -> None:
    one = digest_delivery_id("desk", DigestPeriod.WEEK, date(2026, 11, 23))
    assert one == digest_delivery_id("desk", DigestPeriod.WEEK, date(2026, 11, 23))
    assert one != digest_delivery_id("desk", DigestPeriod.DAY, date(2026, 11, 23))
    assert one != digest_delivery_id("other", DigestPeriod.WEEK, date(2026, 11, 23))


def test_spans_and_figures_read_as_the_reader_writes_them() -> None:
    assert span(DigestPeriod.WEEK, date(2026, 11, 23), MailLanguage.DE) == "23.\u201329.11.2026"
    assert span(DigestPeriod.WEEK, date(2026, 11, 30), MailLanguage.DE) == "30.11.\u201306.12.2026"
    assert span(DigestPeriod.DAY, date(2026, 11, 23), MailLanguage.EN) == "23 Nov 2026"
    assert [counted(n, MailLanguage.DE) for n in (0, 1, 4, 5)] == ["0", "weniger als 5", "weniger als 5", "5"]


def entry(pid: UUID, milestone: Milestone, day: int, facts: dict[str, object], **more: object) -> DigestEntry:
    return DigestEntry(pid, milestone, berlin(date(2026, 11, day), 10), facts, **more)  # type: ignore[arg-type]


ENTRIES = [
    entry(
        A,
        Milestone.RECOGNITION_DECIDED,
        24,
        {"outcome": "full_equivalence", "decided_on": "2026-11-20"},
        profession="home_care",
        region="DE-SL",
        org_id="care-x",
        case_reference="AZ 7",
    ),
    entry(
        A,
        Milestone.DECISION_OVERDUE,
        25,
        {"decision_due_on": "2026-11-20"},
        profession="home_care",
        region="DE-SL",
        org_id="care-x",
        mailed=True,
    ),
    *(
        entry(
            B,
            Milestone.EXAM_FAILED,
            23 + i,
            {"exam": "knowledge_test", "attempt": i + 1, "taken_on": "2026-11-2" + str(3 + i)},
            profession="doctor",
            region="DE-RP",
        )
        for i in range(5)
    ),
]


def test_a_weekly_digest_groups_by_participant_names_what_to_do_counts_and_links_to_the_page() -> None:
    digest = compose(
        DigestInput(DigestPeriod.WEEK, date(2026, 11, 23), MailLanguage.DE, ENTRIES, {"care-x": "Pflegeheim Beispiel"})
    )
    assert digest is not None
    assert digest.subject == "Wochenübersicht 23.\u201329.11.2026: 7 Meilensteine, weniger als 5 Teilnehmende"
    assert (digest.milestones, digest.participants) == (7, 2)
    text = digest.text
    assert text.startswith("Guten Tag,\n")
    assert (
        "Teilnehmende 5b0f2a8e… · Häusliche Betreuung · Saarland · Pflegeheim Beispiel · Ihr Aktenzeichen: AZ 7" in text
    )
    assert "Teilnehmende 0c1d2e3f… · Ärztin/Arzt · Rheinland-Pfalz" in text
    assert "Versuch: 1 von 3" in text
    assert "Entscheidung überfällig (bereits einzeln gemeldet)" in text
    action = text.split("Handlungsbedarf")[1].split("Kennzahlen")[0]
    assert "Untätigkeitsklage" in action and "umgehend (fällig seit 20.11.2026)" in action
    figures = text.split("Kennzahlen")[1]
    rows = {line.rsplit("  ", 1)[0].strip(): line.rsplit("  ", 1)[1] for line in figures.splitlines() if "  " in line}
    assert rows["Prüfung nicht bestanden"] == "5" and rows["Teilnehmende"] == "weniger als 5"
    assert "http://127.0.0.1:8006/" in text
    assert "<h2>Handlungsbedarf</h2>" in digest.html and '<a href="http://127.0.0.1:8006/">' in digest.html
    assert "care-x" not in text and "Pflegeheim Beispiel" in digest.html


def test_an_english_daily_digest_and_a_period_with_nothing_kept_sends_nothing() -> None:
    english = compose(DigestInput(DigestPeriod.DAY, date(2026, 11, 24), MailLanguage.EN, ENTRIES[:1]))
    assert (
        english is not None
        and english.subject == "Daily digest 24 Nov 2026: fewer than 5 milestones, fewer than 5 participants"
    )
    assert english.text.startswith("Hello,\n") and "home support (Häusliche Betreuung)" in english.text
    assert compose(DigestInput(DigestPeriod.DAY, date(2026, 11, 24), MailLanguage.DE, [])) is None
    only_mailed = compose(DigestInput(DigestPeriod.DAY, date(2026, 11, 25), MailLanguage.DE, ENTRIES[1:2]))
    assert only_mailed is None

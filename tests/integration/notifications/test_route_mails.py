"""The milestones of every route (issue 11) are mailed like the others: overdue missing documents, a final exam
failure and a vocational training reach the region's coordinator, once each, with the facts they name."""

from __future__ import annotations

from shared.contracts.qualification import ExamFinallyFailed
from shared.contracts.recognition import DocumentsOverdue, TrainingStarted
from tests.integration.notifications.support import EVENTS, Publisher, World, build, coordinator, named
from tests.support.infra import Infra
from tests.support.kafka import Tap
from tests.support.processes import ServiceProcess
from tests.support.smtp import SmtpSink


async def test_the_coordinator_is_told_of_missing_documents_a_final_exam_failure_and_a_training(
    infra: Infra, publisher: Publisher, notifications: ServiceProcess, smtp_sink: SmtpSink, world: World
) -> None:
    desk = await coordinator(publisher, infra.kafka, world)
    recruited = world.recruited()
    pid = recruited.participant_id
    async with Tap(infra.kafka, EVENTS) as events:
        await publisher.send(recruited)
        await publisher.send(build(DocumentsOverdue, participant_id=pid))
        await publisher.send(build(ExamFinallyFailed, participant_id=pid))
        await publisher.send(build(TrainingStarted, participant_id=pid))
        mails = await smtp_sink.wait_for(desk, count=4, settle_s=2)
        everyone = await events.wait_for(named("NotificationSent", str(pid)), count=4, settle_s=1)
    sent = [s for s in everyone if s.body["recipient_id"] == world.recipient("desk")]

    by_milestone = {m["X-Journey-Milestone"]: m for m in mails}
    assert len(mails) == 4 and set(by_milestone) == {
        "participant_recruited",
        "documents_overdue",
        "exam_finally_failed",
        "training_started",
    }
    short = str(pid)[:8]
    failed = by_milestone["exam_finally_failed"]
    assert failed["Subject"] == f"Integration Journey: Prüfung endgültig nicht bestanden (Teilnehmende {short}…)"
    body = failed.get_content()
    assert "Prüfungsteil: praktisch" in body and "Versuche insgesamt: 2" in body
    documents = by_milestone["documents_overdue"].get_content()
    assert (
        "Fehlende Unterlagen: beglaubigte Übersetzung" in documents and "Unterlagen fällig am: 20.03.2025" in documents
    )
    training = by_milestone["training_started"].get_content()
    assert (
        "Schule oder Bildungsträger: nursing-school-x" in training and "Voraussichtliches Ende: 31.08.2028" in training
    )
    assert sorted(s.body["milestone"] for s in sent) == [
        "documents_overdue",
        "exam_finally_failed",
        "participant_recruited",
        "training_started",
    ]

"""A nurse trained in a third country, from recruitment to the six-month retention check, across five services."""

from __future__ import annotations

import secrets
import string
import uuid
from collections.abc import Callable
from datetime import date, timedelta

import asyncpg
from dateutil.relativedelta import relativedelta

from shared.contracts import placement as pl
from shared.contracts import qualification as q
from shared.contracts import recognition as rc
from shared.contracts.enums import (
    CefrLevel,
    CompensationMeasure,
    ConsentScope,
    LanguageCertificate,
    Milestone,
    Profession,
    RecognitionOutcome,
    RecognitionTrack,
)
from shared.contracts.notifications import Delivery, RecipientKind, RegisterRecipient
from shared.contracts.rejections import RejectionReason
from shared.contracts.topics import Kind, Stage, topic
from tests.support.factories import register_candidate
from tests.support.infra import Infra
from tests.support.kafka import Partner, Received, Tap, for_participant
from tests.support.processes import ServiceProcess
from tests.support.smtp import SmtpSink

EXPECTED_MILESTONES = {
    Milestone.PARTICIPANT_RECRUITED,
    Milestone.APPLICATION_SUBMITTED,
    Milestone.APPLICATION_COMPLETE,
    Milestone.RECOGNITION_DECIDED,
    Milestone.LANGUAGE_TARGET_REACHED,
    Milestone.QUALIFICATION_COMPLETED,
    Milestone.LICENCE_GRANTED,
    Milestone.PLACEMENT_CONFIRMED,
    Milestone.EMPLOYMENT_STARTED,
    Milestone.RETENTION_CHECK_RECORDED,
}


class Journey:
    """Taps on every stage's events and rejections; `expect` waits for one participant's next fact."""

    def __init__(self, infra: Infra, partner: Partner, participant_id: uuid.UUID) -> None:
        self.partner = partner
        self.pid = participant_id
        self.taps = {
            (stage, kind): Tap(infra.kafka, topic(stage, kind))
            for stage in Stage
            for kind in (Kind.EVENT, Kind.REJECTION)
        }

    async def __aenter__(self) -> Journey:
        for tap in self.taps.values():
            await tap.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        for tap in self.taps.values():
            await tap.__aexit__(*exc)

    async def expect(self, stage: Stage, name: str, *, kind: Kind = Kind.EVENT, count: int = 1) -> dict:
        match = lambda r: for_participant(self.pid)(r) and r.ce_type.split(".")[2] == name  # noqa: E731
        found = await self.taps[(stage, kind)].wait_for(match, count=count, timeout_s=60)
        assert len(found) >= count, f"no {name} from {stage} for {self.pid}"
        return found[count - 1].body

    async def all(
        self, stage: Stage, kind: Kind = Kind.EVENT, *, count: int, match: Callable[[Received], bool] = lambda r: True
    ) -> list[Received]:
        """This participant's messages on a stage topic, once `count` matched (and a second more for stragglers)."""
        return await self.taps[(stage, kind)].wait_for(
            lambda r: for_participant(self.pid)(r) and match(r), count=count, timeout_s=30, settle_s=1
        )


def new_region() -> str:
    return "DE-" + "".join(secrets.choice(string.ascii_uppercase) for _ in range(3))


async def test_a_nurse_trained_abroad_reaches_the_six_month_retention_check_and_coordinators_hear_once_each(
    infra: Infra, partner: Partner, smtp: SmtpSink, journey_services: dict[str, ServiceProcess]
) -> None:
    today = date.today()
    region, token = new_region(), uuid.uuid4().hex[:6]
    coordinator, own_partner, other_partner = (f"{n}-{token}@example.org" for n in ("coord", "own", "other"))
    own_org, other_org = f"care-partner-{token}", f"other-partner-{token}"
    recipients = [
        RegisterRecipient(
            recipient_id=f"coord-{token}",
            recipient_kind=RecipientKind.COORDINATOR,
            email=coordinator,
            display_name="Koordination (Beispiel)",
            regions=frozenset({region}),
            milestones=frozenset(Milestone),
            default_delivery=Delivery.IMMEDIATE,  # the test follows each mail, not a weekly digest
        ),
        RegisterRecipient(
            recipient_id=f"own-{token}",
            recipient_kind=RecipientKind.PARTNER_ORGANISATION,
            email=own_partner,
            display_name="Pflegepartner (Beispiel)",
            partner_org=own_org,
            milestones=frozenset(Milestone),
        ),
        RegisterRecipient(
            recipient_id=f"other-{token}",
            recipient_kind=RecipientKind.PARTNER_ORGANISATION,
            email=other_partner,
            display_name="Anderer Partner (Beispiel)",
            partner_org=other_org,
            milestones=frozenset(Milestone),
        ),
    ]
    nurse = register_candidate(
        region=region,
        partner_org=own_org,
        language_level=CefrLevel.B1,
        consents=frozenset({ConsentScope.EMPLOYER, ConsentScope.LANGUAGE_PROVIDER}),
    )
    pid = nurse.participant_id
    async with Tap(infra.kafka, topic(Stage.NOTIFICATIONS, Kind.EVENT)) as directory:
        for recipient in recipients:
            await partner.send(recipient)
        registered = await directory.wait_for(
            lambda r: r.ce_type.endswith("RecipientRegistered.v1") and r.key in {x.recipient_id for x in recipients},
            count=3,
        )
        assert len(registered) == 3

    async with Journey(infra, partner, pid) as j:
        # Recruitment: the nurse enters the journey; recognition opens a case, qualification plans German to B2.
        await partner.send(nurse)
        await j.expect(Stage.RECRUITMENT, "ParticipantRecruited")
        await j.expect(Stage.RECOGNITION, "RecognitionCaseOpened")
        language = await j.expect(Stage.QUALIFICATION, "MeasurePlanned")
        assert language["measure_kind"] == "language_course" and language["target_level"] == "B2"

        # Recognition: application, receipt, complete file -> the decision is due four months later.
        # Dates within the last month: the receipt confirmation is due one month after the submission.
        complete_on = today - timedelta(days=24)
        await partner.send(
            rc.SubmitApplication(
                participant_id=pid,
                authority="authority-example",
                reference_profession=Profession.NURSING_PROFESSIONAL,
                legal_basis=rc.LegalBasis.PFLBG,
                track=RecognitionTrack.STANDARD,
                submitted_on=today - timedelta(days=28),
            )
        )
        await partner.send(
            rc.ConfirmReceipt(participant_id=pid, received_on=today - timedelta(days=26), missing_documents=frozenset())
        )
        await partner.send(rc.CompleteApplication(participant_id=pid, complete_on=complete_on))
        completed = await j.expect(Stage.RECOGNITION, "ApplicationCompleted")
        # Trained outside the EU: the health laws give the authority four months (Directive 2005/36/EC Art. 51(2)).
        assert completed["decision_due_on"] == (complete_on + relativedelta(months=4)).isoformat()

        # An invalid transition: a licence before any decision is refused and changes nothing.
        await partner.send(
            rc.GrantLicence(participant_id=pid, licence=rc.LicenceKind.NURSING_LICENCE, granted_on=today)
        )
        refusal = await j.expect(Stage.RECOGNITION, "MessageRejected", kind=Kind.REJECTION)
        assert refusal["reason"] == RejectionReason.NOT_ALLOWED_IN_STATE
        assert await recognition_state(infra, pid) == "complete"

        # Compensation required; the nurse chooses the knowledge test.
        await partner.send(
            rc.RecordDecision(
                participant_id=pid,
                outcome=RecognitionOutcome.COMPENSATION_REQUIRED,
                decided_on=today - timedelta(days=10),
                measures_offered=frozenset({CompensationMeasure.KNOWLEDGE_TEST, CompensationMeasure.ADAPTATION_COURSE}),
            )
        )
        await partner.send(
            rc.ChooseCompensationMeasure(
                participant_id=pid, measure=CompensationMeasure.KNOWLEDGE_TEST, chosen_on=today - timedelta(days=9)
            )
        )
        decided = await j.expect(Stage.RECOGNITION, "RecognitionDecided")
        assert decided["outcome"] == "compensation_required"
        preparation = await j.expect(Stage.QUALIFICATION, "MeasurePlanned", count=2)
        assert preparation["measure_kind"] == "knowledge_test_preparation"

        # Qualification: knowledge test passed, B2 certificate, the language course completed.
        lang_id, prep_id = uuid.UUID(language["measure_id"]), uuid.UUID(preparation["measure_id"])
        for measure_id in (lang_id, prep_id):
            await partner.send(
                q.EnrolInMeasure(participant_id=pid, measure_id=measure_id, enrolled_on=today - timedelta(days=8))
            )
        for part in (q.ExamPart.ORAL, q.ExamPart.PRACTICAL):  # a nurse's knowledge test is sat in two parts
            await partner.send(
                q.RecordExamResult(
                    participant_id=pid,
                    exam=q.ExamKind.KNOWLEDGE_TEST,
                    attempt=1,
                    result=q.ExamResult.PASSED,
                    taken_on=today - timedelta(days=4),
                    measure_id=prep_id,
                    part=part,
                )
            )
        await partner.send(
            q.RecordLanguageCertificate(
                participant_id=pid,
                certificate=LanguageCertificate.TELC,
                level=CefrLevel.B2,
                language_domain=q.LanguageDomain.PROFESSIONAL,
                obtained_on=today - timedelta(days=3),
                measure_id=lang_id,
            )
        )
        await partner.send(
            q.CompleteMeasure(participant_id=pid, measure_id=lang_id, completed_on=today - timedelta(days=3))
        )
        await j.expect(Stage.QUALIFICATION, "ExamPassed")
        await j.expect(Stage.QUALIFICATION, "LanguageTargetReached")
        await j.expect(Stage.QUALIFICATION, "QualificationCompleted")
        await j.expect(Stage.RECOGNITION, "LicenceConditionsMet")

        # The licence, then placement: offer, contract, start a little over six months ago.
        await partner.send(
            rc.GrantLicence(
                participant_id=pid, licence=rc.LicenceKind.NURSING_LICENCE, granted_on=today - timedelta(days=1)
            )
        )
        await j.expect(Stage.RECOGNITION, "LicenceGranted")
        offer, started_on = uuid.uuid4(), today - timedelta(days=190)
        await partner.send(
            pl.RecordOffer(
                participant_id=pid,
                offer_id=offer,
                employer_id="care-home-example",
                role_level=pl.RoleLevel.SKILLED_WORKER,
                in_region=True,
                offered_on=started_on - timedelta(days=20),
            )
        )
        await partner.send(
            pl.ConfirmPlacement(
                participant_id=pid,
                offer_id=offer,
                role_level=pl.RoleLevel.SKILLED_WORKER,
                in_region=True,
                contract_signed_on=started_on - timedelta(days=5),
                starts_on=started_on,
            )
        )
        await partner.send(pl.StartEmployment(participant_id=pid, started_on=started_on))
        await j.expect(Stage.PLACEMENT, "PlacementConfirmed")
        await j.expect(Stage.PLACEMENT, "EmploymentStarted")
        due = await j.expect(Stage.PLACEMENT, "RetentionCheckDue")
        assert due["months"] == 6 and due["due_on"] == (started_on + relativedelta(months=6)).isoformat()
        await partner.send(
            pl.RecordRetentionCheck(
                participant_id=pid, months=6, still_employed=True, still_in_region=True, checked_on=today
            )
        )
        await j.expect(Stage.PLACEMENT, "RetentionCheckRecorded")

        # The coordinator's and the own partner's inboxes hold each milestone exactly once; the other partner nothing.
        for address in (coordinator, own_partner):
            await smtp.wait_for(address, count=len(EXPECTED_MILESTONES), timeout_s=60)
        await smtp.wait_for(coordinator, count=len(EXPECTED_MILESTONES) + 1, timeout_s=3)  # an extra would show now
        for address in (coordinator, own_partner):
            mails = [m for m in smtp.to(address) if m["X-Journey-Participant"] == str(pid)]
            milestones = sorted(m["X-Journey-Milestone"] for m in mails)
            assert milestones == sorted(EXPECTED_MILESTONES), address
            for mail in mails:
                text = mail.get_content()
                assert str(pid) in text and "Amara" not in text and "amara@example.org" not in text
        assert [m for m in smtp.to(other_partner) if m["X-Journey-Participant"] == str(pid)] == []

        sent = await j.all(
            Stage.NOTIFICATIONS,
            count=len(EXPECTED_MILESTONES),
            match=lambda r: r.ce_type.endswith("NotificationSent.v1") and r.body["recipient_id"] == f"coord-{token}",
        )
        assert sorted(r.body["milestone"] for r in sent) == sorted(EXPECTED_MILESTONES)
        # Only the one invalid licence was refused anywhere along the way.
        refused = [r.body["reason"] for stage in Stage for r in await j.all(stage, Kind.REJECTION, count=0)]
        assert refused == [RejectionReason.NOT_ALLOWED_IN_STATE]


async def recognition_state(infra: Infra, participant_id: uuid.UUID) -> str:
    conn = await asyncpg.connect(infra.database_url)
    try:
        return str(await conn.fetchval("SELECT state FROM recognition.cases WHERE participant_id = $1", participant_id))
    finally:
        await conn.close()

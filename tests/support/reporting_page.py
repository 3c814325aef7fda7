"""A seeded cohort for the coordinator page's tests: two partners' participants published as the other stages'
events, accounts created with the operator command, and the reporting service run as a process with its page.

Ids are random per run (the database is shared), so exact counts are asserted through a partner's scope (its own
organisation, new each run); coordinators' counts only grow and are asserted as "at least".
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookiejar import CookieJar
from pathlib import Path

from shared.contracts.enums import (
    CefrLevel,
    ConsentScope,
    Profession,
    RecognitionTrack,
    ReferralSource,
    Residence,
)
from shared.contracts.organisations import OrganisationRegistered, OrgKind
from shared.contracts.recognition import ApplicationSubmitted, LegalBasis
from shared.contracts.recruitment import ParticipantRecruited
from tests.support.infra import ROOT, Infra
from tests.support.kafka import Partner
from tests.support.processes import ServiceProcess

PASSWORD = "cohort-password-example-1"
WITH_PAGE = (
    "from dataclasses import replace;"
    "from services.reporting.app import SPEC;"
    "from services.reporting.web import pages;"
    "from shared.entrypoint import serve;"
    "from shared.settings import ServiceSettings;"
    "serve(replace(SPEC, web=pages), ServiceSettings())"
)


class ReportingService(ServiceProcess):
    """The reporting service with its page (`web=pages`, whether or not the spec wires it yet)."""

    def __init__(self, infra: Infra, log_dir: Path) -> None:
        super().__init__("reporting", infra, log_dir)

    def start(self, *, wait: bool = True) -> ReportingService:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen([sys.executable, "-c", WITH_PAGE], cwd=ROOT, env=self.env, stdout=log, stderr=log)
        if wait:
            self.wait_ready()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Cohort:
    """Partner A (Saarland, or `region_a`): 6 participants, 5 with an application whose receipt is overdue.
    Partner B (Bavaria, or `region_b`): 1 participant with an overdue receipt. Logins for each role."""

    run: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    a: list[uuid.UUID] = field(default_factory=lambda: [uuid.uuid4() for _ in range(6)])
    b: uuid.UUID = field(default_factory=uuid.uuid4)
    region_a: str = "DE-SL"
    region_b: str = "DE-BY"

    @property
    def org_a(self) -> str:
        return f"partner-a-{self.run}"

    @property
    def org_b(self) -> str:
        return f"partner-b-{self.run}"

    def login(self, who: str) -> str:
        return f"{who}-{self.run}"

    def reference(self, partner: str, n: int) -> str:
        """The partner's own case reference of its `n`th participant."""
        return f"{partner.upper()}-{self.run}-{n}"


def recruited(pid: uuid.UUID, org: str, region: str, case_reference: str | None = None) -> ParticipantRecruited:
    return ParticipantRecruited(
        case_reference=case_reference,
        participant_id=pid,
        target_profession=Profession.NURSING_PROFESSIONAL,
        isco_code="2221",
        country_of_training="PH",
        language_level=CefrLevel.B1,
        residence=Residence.ABROAD,
        region=region,
        referral_source=ReferralSource.COUNSELLING_ABROAD,
        partner_org=org,
        consents=frozenset({ConsentScope.EMPLOYER}),
    )


def submitted(pid: uuid.UUID, today: date) -> ApplicationSubmitted:
    """Sent today, receipt due yesterday: on the follow-up list as `receipt_overdue`."""
    return ApplicationSubmitted(
        participant_id=pid,
        authority="authority-x",
        reference_profession=Profession.NURSING_PROFESSIONAL,
        legal_basis=LegalBasis.PFLBG,
        track=RecognitionTrack.STANDARD,
        submitted_on=today,
        receipt_due_on=today - timedelta(days=1),
    )


async def publish(partner: Partner, cohort: Cohort, today: date) -> None:
    for org, region, name in (
        (cohort.org_a, cohort.region_a, "Beratung Saar Beispiel"),
        (cohort.org_b, cohort.region_b, "Bayern Beispiel"),
    ):
        await partner.send(
            OrganisationRegistered(
                org_id=org, org_kind=OrgKind.COUNSELLING_CENTRE, name=name, region=region, district=None,
                size_class=None,
            )
        )  # fmt: skip
    for n, pid in enumerate(cohort.a):
        await partner.send(recruited(pid, cohort.org_a, cohort.region_a, cohort.reference("a", n)))
    for pid in cohort.a[:5]:
        await partner.send(submitted(pid, today))
    await partner.send(recruited(cohort.b, cohort.org_b, cohort.region_b, cohort.reference("b", 0)))
    await partner.send(submitted(cohort.b, today))


def create_account(infra: Infra, tmp: Path, login: str, *scope: str) -> None:
    """`python -m services.reporting.cli accounts create ...` as an operator runs it."""
    secret = tmp / f"{login}.password"
    secret.write_text(PASSWORD + "\n")
    subprocess.run(
        [sys.executable, "-m", "services.reporting.cli", "accounts", "create", "--login", login, *scope,
         "--password-file", str(secret)],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": infra.database_url}, check=True, capture_output=True,
    )  # fmt: skip


def cli(infra: Infra, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "services.reporting.cli", *args],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": infra.database_url}, capture_output=True, text=True,
    )  # fmt: skip


def wait_until(check: Callable[[], bool], timeout_s: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise TimeoutError(f"{what} not reached within {timeout_s}s")


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def figure(self, key: str) -> str | None:
        match = re.search(rf'data-figure="{re.escape(key)}" data-value="([^"]*)"', self.text)
        return match.group(1) if match else None


class PageClient:
    """The page through `urllib` with a cookie jar, as a browser without JavaScript would use it."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, form: dict[str, str] | None = None) -> Answer:
        data = None if form is None else urllib.parse.urlencode(form).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as r:
                return Answer(r.status, r.read(), {k.lower(): v for k, v in r.headers.items()})
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read(), {k.lower(): v for k, v in error.headers.items()})

    def log_in(self, login: str, password: str = PASSWORD) -> Answer:
        form = self.request("/login")
        match = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert match, form.text
        return self.request("/login", {"csrf_token": match.group(1), "login": login, "password": password})

"""The generated part of docs/partners.md about the people and organisations around a journey: roles and what
each is told with which consent (`shared.contracts.organisations.ROLES`), the life cycle, counselling, and one
worked example each (`tools.walks.STORIES`)."""

from __future__ import annotations

import uuid

from shared.contracts.enums import ConsentScope, Milestone
from shared.contracts.organisations import ROLES
from shared.contracts.recruitment import OrgRole
from tools.contracts.routes_guide import EXAMPLE_DAY, EXAMPLE_NAMESPACE, steps
from tools.walks import STORIES, walk

LIFE_CYCLE = [
    ("active", "`PauseParticipation`", "paused", "`ParticipationPaused`"),
    ("paused", "`ResumeParticipation`", "active", "`ParticipationResumed`"),
    ("active, paused", "`CompleteParticipation` (with a result)", "completed", "`ParticipationCompleted`"),
    ("active, paused", "`WithdrawParticipant` (reason, stage)", "withdrawn", "`ParticipantWithdrawn`"),
    ("completed, withdrawn", "`ReactivateParticipant`", "active", "`ParticipantReactivated`"),
    ("any but erased", "`EraseParticipant`", "erased", "`ParticipantErased`"),
]


def section() -> list[str]:
    return [*_roles(), *_life_cycle(), *_examples()]


def _roles() -> list[str]:
    lines = [
        "### Organisations, roles and consent",
        "",
        "Organisations are registered once (`RegisterOrganisation`, keyed by `org_id`) and take part in a"
        " participant's case in a role (`InvolveOrganisation`, `ReleaseOrganisation`); one of them leads the case —"
        " the one that registered the participant (in `partner_role`), until it hands the lead over"
        " (`HandOverLead`, to an organisation already involved). A confirmed placement (`PlacementConfirmed`) involves"
        " its employer as `employer` by itself when the employer is registered. An organisation's mailbox is a"
        " directory recipient"
        " (`RegisterRecipient` with its `partner_org`). It is mailed about a participant only while the organisation"
        " is involved, only about the milestones its role is told, and only with the consent that role needs; the"
        " lead is told every milestone. A revoked consent stops the mails from the next milestone on, and a"
        " `NotificationSuppressed` with reason `no_consent` records each one not sent. Coordinators of the"
        " participant's region are told the milestones they subscribe to: network coordination is a purpose the"
        " participant is told about at registration. Recruitment's facts and the other stages' milestones travel on"
        " different topics, so the notifications service may read an involvement after a milestone that happened"
        " later: it then mails the newly involved organisation about those milestones too (by the time each"
        " happened, `ce_time`). A release, a handover or a revoked consent cannot call back a mail already sent:"
        " they take effect for the milestones the service addresses after reading them — wait for the handover's"
        " own `NotificationSent` to the new lead before what should no longer reach the old one.",
        "",
        "| Role | Consent it needs | Purpose | Milestones it is told |",
        "|---|---|---|---|",
    ]
    everything = set(Milestone)
    for role, rule in ROLES.items():
        left_out = sorted(str(m) for m in everything - rule.milestones)
        if len(left_out) <= 3:
            shown = "all" + (" but " + ", ".join(f"`{m}`" for m in left_out) if left_out else "")
        else:
            shown = ", ".join(f"`{m}`" for m in sorted(str(m) for m in rule.milestones))
        consent = f"`{rule.consent}`" if rule.consent else "none (the counselling relationship)"
        lines.append(f"| `{role}` | {consent} | {rule.purpose} | {shown} |")
    lines += [
        "",
        "Consents name the kind of recipient (`"
        + "`, `".join(str(c) for c in ConsentScope)
        + "`), with the day given, the version of the consent form shown (`form_version`) and how it was given"
        " (`method`); `ConsentChanged` carries them, and what was granted or revoked.",
        "",
        f"An organisation that is not involved hears nothing about the participant (suppressed `not_involved`); an"
        f" involved one whose role is not told a milestone neither (`not_for_role`). `{OrgRole.COUNSELLING_CENTRE}`"
        " is the default role of a registering organisation.",
        "",
    ]
    return lines


def _life_cycle() -> list[str]:
    lines = [
        "### The life cycle of a participation",
        "",
        "| From | Command | To | Event (a milestone) |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in LIFE_CYCLE],
        "",
        "While a participant pauses, legal deadlines of their own keep running and are mailed (receipt, decision,"
        " missing documents, a Berufserlaubnis ending); the programme's own reminders (an overdue retention check)"
        " are not (`NotificationSuppressed`, reason `participant_paused`). A participant who completes or drops out"
        " while employed keeps the follow-ups: placement goes on asking at 6, 12, 24 and 36 months (a deployment may"
        " configure the months), with the district they live in. A reactivated participant continues under the same"
        " pseudonym: recognition reopens the case in the state the withdrawal closed it in (due dates still ahead are"
        " set again, one that passed meanwhile is raised as overdue at once, `LicenceConditionsMet` is said again"
        " where it holds), qualification takes commands again (cancelled measures stay cancelled; the service plans"
        " the language courses still missing under new ids), placement searches again.",
        "",
        "**Counselling** is recruitment's: it is where people first come, often before anybody registers them. An"
        " anonymous first contact (`RecordFirstContact`, keyed by a `contact_id` of the counselling organisation's"
        " choosing, coarse attributes only) is countable without personal data and can later be linked to the"
        " registered participant (`LinkFirstContact`). Counselling of a registered participant"
        " (`RecordCounsellingSession`) is possible at every stage, also after a decision or a licence; it is the"
        " milestone `counselling_held`, and a referral (`outcome` `referral`) also `referral_made`.",
        "",
    ]
    return lines


def _examples() -> list[str]:
    lines = [
        "### Worked examples: counselling, organisations, consent and the life cycle",
        "",
        f"Played on {EXAMPLE_DAY.isoformat()} like the routes' examples; organisation ids carry the participant's"
        " first eight characters so that examples played side by side do not share mailboxes. The end-to-end tests"
        " play exactly these walks and assert every mailbox named below whole.",
        "",
    ]
    for name in STORIES:
        played = walk(name, uuid.uuid5(EXAMPLE_NAMESPACE, name), today=EXAMPLE_DAY, region="DE-SL")
        lines += [f"#### {played.name}", "", " ".join(played.title.split()), ""]
        lines.append(f"- the coordinator is told: {', '.join(f'`{m}`' for m in played.milestones)};")
        for org_id, milestones in played.mailboxes.items():
            lines.append(f"- `{org_id}` is told: {', '.join(f'`{m}`' for m in milestones) or 'nothing'}.")
        lines.append("")
        lines += steps(played)
    return lines

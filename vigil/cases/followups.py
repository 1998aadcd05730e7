"""The victim's later word lands on the case.

Reporting (a public app) cannot know cases; it sends `report_followup` when the victim adds an
incident, evidence or a message, changes how we may contact them, or asks to withdraw, and the
outbox sends `message_withheld` when a message to a victim could not safely go (and
`message_sent` / `message_failed` when one went or will not: a duty it carries is done only
then, or stays open with a task). Here each
becomes a timeline entry, the matching prompt, an item on the officer's "needs attention" list
and an email to the officer in charge (and the coordinators, when the case is high risk) that
says nothing about the victim. All of it runs in the sender's transaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.accounts.home import HomePanel
from vigil.accounts.models import Role, User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.models import (
    AttentionItem,
    AttentionKind,
    Case,
    CasePerson,
    ContactLogEntry,
    Evidence,
    PersonRole,
    RiskLevel,
    TimelineKind,
    Triage,
)
from vigil.cases.selectors import case_queryset
from vigil.common.urls import absolute_url
from vigil.contact.models import SafeContact
from vigil.notifications.models import OutboxMessage
from vigil.notifications.services import outbox_enqueue
from vigil.reporting.models import Report, ReportEvidence
from vigil.reporting.signals import FollowUpKind

# What each follow-up asks of the officer. The risk tools' own prompts (reassess on every new
# incident, consider a course of conduct) follow from the incident itself on the risk page.
PROMPTS = {
    FollowUpKind.INCIDENT: gettext_lazy("Reassess the risk and consider a course of conduct"),
    FollowUpKind.EVIDENCE: gettext_lazy("Look at the new evidence"),
    FollowUpKind.MESSAGE: gettext_lazy(
        "Read and reply; record any new incident and reassess the risk"
    ),
    FollowUpKind.CONTACT: gettext_lazy("Check the new safe-contact wishes before any contact"),
    FollowUpKind.WITHDRAWAL: gettext_lazy(
        "Reassess the risk before deciding: a victim may withdraw under pressure"
    ),
}
TITLES = {
    FollowUpKind.INCIDENT: gettext_lazy(
        "The victim told us about a new incident on their online report"
    ),
    FollowUpKind.EVIDENCE: gettext_lazy("The victim added evidence on their online report"),
    FollowUpKind.MESSAGE: gettext_lazy("The victim sent a message on their online report"),
    FollowUpKind.WITHDRAWAL: gettext_lazy("The victim asked us to take it no further"),
}
TIMELINE_KIND = {
    FollowUpKind.INCIDENT: TimelineKind.INCIDENT,
    FollowUpKind.EVIDENCE: TimelineKind.EVIDENCE,
    FollowUpKind.MESSAGE: TimelineKind.MESSAGE,
    FollowUpKind.CONTACT: TimelineKind.CONTACT,
    FollowUpKind.WITHDRAWAL: TimelineKind.CASE,
}


def _cases_of_report(report: Report) -> list[tuple[Case, CasePerson]]:
    """The case(s) the report became or joined, each with the victim it is about."""
    people = CasePerson.objects.filter(report=report, role=PersonRole.VICTIM).select_related("case")
    found = {person.case_id: (person.case, person) for person in people}
    for triage in Triage.objects.filter(report=report).select_related("case"):
        if triage.case_id not in found:
            victim = triage.case.people.filter(role=PersonRole.VICTIM).first()
            if victim is not None:
                found[triage.case_id] = (triage.case, victim)
    return list(found.values())


def on_report_followup(
    sender: Any,
    *,
    report: Report,
    kind: str,
    detail: str = "",
    changes: list[str] | None = None,
    **about: Any,
) -> None:
    """Before triage nothing is needed: the intake page shows the whole report, and triage
    takes it all (the contact record is shared already)."""
    for case, victim in _cases_of_report(report):
        _land(case=case, victim=victim, kind=kind, detail=detail, changes=changes or [], **about)


def _land(
    *,
    case: Case,
    victim: CasePerson,
    kind: str,
    detail: str,
    changes: list[str],
    incident: dict[str, Any] | None = None,
    evidence: ReportEvidence | None = None,
    **_ignored: Any,
) -> AttentionItem:
    from vigil.cases import services

    # An incident also gets its own line at the time it happened (perhaps weeks back, out of
    # sight); the follow-up line sits at now, where the officer looks.
    if kind == FollowUpKind.INCIDENT and incident is not None:
        suspect = case.people.filter(role=PersonRole.SUSPECT).order_by("created_at").first()
        services.incident_from_victim(case=case, victim=victim, suspect=suspect, reported=incident)
    if kind == FollowUpKind.EVIDENCE and evidence is not None:
        Evidence.objects.create(
            case=case,
            description=_("Added by the victim on their online report"),
            file_id=evidence.file_id,
            report_evidence=evidence,
            added_by=None,
        )
    if kind == FollowUpKind.CONTACT:
        title = _("The victim changed how we may contact them: %(what)s") % {
            "what": ", ".join(changes)
        }
        detail = victim.contact_prefs.describe()
    else:
        title = str(TITLES[FollowUpKind(kind)])
    entry = services.timeline_add(
        case=case,
        kind=TIMELINE_KIND[FollowUpKind(kind)],
        title=title,
        detail=detail,
        actor=None,
    )
    item = AttentionItem.objects.create(
        case=case, kind=kind, prompt=str(PROMPTS[FollowUpKind(kind)]), timeline_entry=entry
    )
    audit_record(action="case.followup", target=case, summary={"kind": kind})
    _tell_staff(case=case, item=item)
    return item


def on_message_withheld(
    sender: Any, *, message: OutboxMessage, contact: SafeContact, reason: str, **kwargs: Any
) -> None:
    """A message to a victim was not sent: the officer must know, or they will think it went."""
    from vigil.cases import services

    for victim in CasePerson.objects.filter(contact=contact).select_related("case"):
        entry = services.timeline_add(
            case=victim.case,
            kind=TimelineKind.CONTACT,
            title=_("A message to the victim was not sent: it was not safe for them"),
            detail=reason,
            actor=None,
        )
        item = AttentionItem.objects.create(
            case=victim.case,
            kind=AttentionKind.WITHHELD,
            prompt=_("Contact the victim another way they marked safe"),
            timeline_entry=entry,
        )
        # The case changed (a timeline line, an attention item): its audit row names the case,
        # not only the message, so the case's own history shows what was written to it and why.
        audit_record(
            action="case.message_withheld",
            target=victim.case,
            summary={"message": str(message.pk), "attention_item": str(item.pk)},
        )
        _tell_staff(case=victim.case, item=item)
    if _logged_on_a_case(message):
        services.victim_message_undelivered.as_step(message=message)


def _logged_on_a_case(message: OutboxMessage) -> bool:
    """Only messages the case's contact log holds (not the outbox's other messages to a
    reporter, or one withheld while it is being logged) have a log entry or a duty to update."""
    return ContactLogEntry.objects.filter(message=message).exists()


def on_message_sent(sender: Any, *, message: OutboxMessage, **kwargs: Any) -> None:
    """Only now has the victim been told what it says (a Victims' Code duty it carries)."""
    if message.contact_id is None or not _logged_on_a_case(message):
        return  # a message to staff, or to a reporter about their report
    from vigil.cases import services

    services.victim_message_delivered.as_step(message=message)


def on_message_failed(sender: Any, *, message: OutboxMessage, **kwargs: Any) -> None:
    """Retries ran out: a duty it was to tell her of stays open, with a task to tell her."""
    if message.contact_id is None or not _logged_on_a_case(message):
        return
    from vigil.cases import services

    services.victim_message_undelivered.as_step(message=message)


def _staff_to_tell(case: Case) -> list[User]:
    people = [case.officer] if case.officer is not None else []
    if not people and case.supervisor is not None:
        people.append(case.supervisor)
    if case.risk_level == RiskLevel.HIGH:
        people += list(User.objects.filter(role=Role.COORDINATOR, is_active=True))
    unique = {user.pk: user for user in people if user.is_active and user.email}
    return list(unique.values())


def _tell_staff(*, case: Case, item: AttentionItem) -> None:
    # Only the reference and a link: staff email may be read outside the force's systems, so
    # nothing the victim said, and nothing about who they are.
    link = absolute_url("accounts:home")
    for user in _staff_to_tell(case):
        outbox_enqueue(
            channel="email",
            recipient=user.email,
            subject=_("Case %(ref)s needs your attention") % {"ref": case.reference},
            body=_("There is something new on case %(ref)s. Sign in to Vigil to see it: %(link)s")
            % {"ref": case.reference, "link": link},
            purpose="case.needs_attention",
            idempotency_key=f"case-attention:{item.pk}:{user.pk}",
        )


@write_service
def attention_seen(*, item: AttentionItem, by: User) -> AttentionItem:
    """The officer has seen it; it leaves their list (the timeline keeps it)."""
    if item.seen_at is None:
        item.seen_at = timezone.now()
        item.seen_by = by
        item.save(update_fields=["seen_at", "seen_by", "updated_at"])
        audit_record(action="case.attention.seen", actor=by, target=item.case)
    return item


# --- the "needs attention" list -------------------------------------------------------------


def _attention_scope(user: User) -> Q | None:
    """Whose list shows what: the officer in charge sees their cases; a supervisor the cases
    they supervise and their team's; a coordinator every high-risk case and every case with
    nobody in charge. Always within what the user may see at all (case_queryset)."""
    if user.role in {Role.INVESTIGATOR, Role.OFFENDER_MANAGER}:
        return Q(case__officer=user)
    if user.role == Role.SUPERVISOR:
        scope = Q(case__supervisor=user)
        if user.team_id:
            scope |= Q(case__team_id=user.team_id)
        return scope
    if user.role == Role.COORDINATOR:
        return Q(case__risk_level=RiskLevel.HIGH) | Q(case__officer__isnull=True)
    return None


def needs_attention(*, user: User) -> QuerySet[AttentionItem]:
    scope = _attention_scope(user)
    if scope is None:
        return AttentionItem.objects.none()
    return (
        AttentionItem.objects.filter(scope, seen_at__isnull=True, case__in=case_queryset(user=user))
        .select_related("case", "timeline_entry")
        .order_by("-created_at")
    )


def needs_attention_panel(user: User) -> HomePanel | None:
    if _attention_scope(user) is None:
        return None
    items = list(needs_attention(user=user)[:100])
    return HomePanel(template="cases/_needs_attention.html", context={"items": items})

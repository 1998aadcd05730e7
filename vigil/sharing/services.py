"""Writes of the sharing app: refer, approve, accept or decline, end, add back, remind.

Every service is one transaction with its audit row and its line on the police timeline, and
queues its messages through the outbox on commit. Messages to staff name no one: they say that
something waits in Vigil, and link to it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import Agency, Role, User
from vigil.audit.services import audit_record
from vigil.audit.write_service import audited_transaction, write_service
from vigil.cases.models import Case, CaseStatus, RiskLevel, TimelineKind
from vigil.cases.policy import add_working_days
from vigil.cases.services import timeline_add
from vigil.common.urls import absolute_url
from vigil.notifications.services import outbox_enqueue
from vigil.safeguarding.public import MeasureStatus, SafeguardingError, safety_measure_add
from vigil.sharing.models import (
    Basis,
    PartnerAgency,
    PartnerUpdate,
    Referral,
    ReferralStatus,
    UpdateKind,
)
from vigil.sharing.parts import PART_BY_CODE, part_labels

LONDON = ZoneInfo("Europe/London")


class SharingError(ValidationError):
    """A referral that cannot be made or changed, with a message the user can read."""


def _acknowledge_by(agency: Agency, sent_at: datetime.datetime) -> datetime.datetime:
    """The end of the agency's last working day to accept or decline (England and Wales)."""
    profile = PartnerAgency.objects.filter(agency=agency).select_related("agency_type").first()
    days = (
        profile.agency_type.acknowledge_working_days
        if profile is not None
        else settings.SHARING_ACKNOWLEDGE_WORKING_DAYS
    )
    last_day = add_working_days(timezone.localtime(sent_at, LONDON).date(), days)
    return datetime.datetime.combine(last_day, datetime.time(23, 59, 59), tzinfo=LONDON)


def _tell_agency(referral: Referral) -> None:
    profile = PartnerAgency.objects.filter(agency_id=referral.agency_id).first()
    if profile is None or not profile.referrals_email:
        return
    outbox_enqueue(
        channel="email",
        recipient=profile.referrals_email,
        subject=_("Vigil: a new referral for your agency"),
        body=_(
            "The police have referred someone to your agency. Please sign in to Vigil to "
            "accept or decline the referral: %(link)s"
        )
        % {"link": absolute_url("sharing:referral", referral.pk)},
        purpose="sharing.referral_sent",
        idempotency_key=f"sharing.sent:{referral.pk}",
    )


def _send(referral: Referral, now: datetime.datetime) -> None:
    referral.status = ReferralStatus.PENDING
    referral.sent_at = now
    referral.acknowledge_by = _acknowledge_by(referral.agency, now)
    _tell_agency(referral)


def _clean_parts(parts: Iterable[str]) -> list[str]:
    chosen = [code for code in PART_BY_CODE if code in set(parts)]
    if not chosen:
        raise SharingError(_("Choose at least one part of the case to share."))
    return chosen


@write_service
def referral_make(
    *,
    case: Case,
    agency: Agency,
    reason: str,
    parts: Iterable[str],
    basis: str,
    by: User,
    consent_given_by: str = "",
    consent_given_on: datetime.date | None = None,
    consent_method: str = "",
    consent_scope: str = "",
    lawful_basis_reason: str = "",
) -> Referral:
    """Refer the victim to a partner agency, sharing only the chosen parts of the case.

    Data protection law lets the police share with consent, or without it where there is a
    lawful basis (here: a high-risk safeguarding need). Without consent the referral waits for
    a supervisor's approval before the agency sees anything."""
    if agency.kind != Agency.Kind.PARTNER:
        raise SharingError(_("Referrals go only to partner agencies."))
    if not case.is_open:
        raise SharingError(_("This case is closed. Reopen it to refer the victim."))
    if not reason.strip():
        raise SharingError(_("Say why you are referring the victim."))
    chosen = _clean_parts(parts)
    if basis == Basis.CONSENT:
        if not (consent_given_by.strip() and consent_given_on and consent_method):
            raise SharingError(
                _("Record who gave consent, on what day and how, or choose another basis.")
            )
        if not consent_scope.strip():
            raise SharingError(_("Record what the victim agreed to share."))
        lawful_basis_reason = ""
    elif basis == Basis.SAFEGUARDING:
        if not lawful_basis_reason.strip():
            raise SharingError(_("Say why the victim must be referred without their consent."))
        consent_given_by, consent_given_on, consent_method, consent_scope = "", None, "", ""
    else:
        raise SharingError(
            _("A referral needs the victim's consent or a lawful basis for sharing without it.")
        )
    if Referral.objects.filter(
        case=case,
        agency=agency,
        status__in=[
            ReferralStatus.AWAITING_APPROVAL,
            ReferralStatus.PENDING,
            ReferralStatus.ACCEPTED,
        ],
    ).exists():
        raise SharingError(
            _("This case already has an open referral to %(agency)s.") % {"agency": agency.name}
        )
    referral = Referral(
        case=case,
        agency=agency,
        referred_by=by,
        reason=reason,
        parts=chosen,
        basis=basis,
        consent_given_by=consent_given_by,
        consent_given_on=consent_given_on,
        consent_method=consent_method,
        consent_scope=consent_scope,
        lawful_basis_reason=lawful_basis_reason,
        status=ReferralStatus.AWAITING_APPROVAL,
    )
    if basis == Basis.CONSENT:
        _send(referral, timezone.now())
    referral.save()
    if basis == Basis.CONSENT:
        title = _("Referred to %(agency)s (victim consented)") % {"agency": agency.name}
    else:
        title = _("Referral to %(agency)s without consent: waiting for a supervisor") % {
            "agency": agency.name
        }
    timeline_add(
        case=case,
        kind=TimelineKind.REFERRAL,
        title=title,
        detail=_("Shared: %(parts)s") % {"parts": ", ".join(part_labels(chosen))},
        actor=by,
    )
    audit_record(
        action="sharing.referral.make",
        actor=by,
        target=referral,
        summary={"case": str(case.pk), "agency": str(agency.pk), "basis": basis, "parts": chosen},
    )
    return referral


@write_service
def referral_approve(*, referral: Referral, reason: str, by: User) -> Referral:
    """A supervisor approves sharing without consent, giving the reason it is lawful."""
    referral = Referral.objects.select_for_update().select_related("agency").get(pk=referral.pk)
    if by.role != Role.SUPERVISOR:
        raise SharingError(_("Only a supervisor can approve sharing without consent."))
    if referral.status != ReferralStatus.AWAITING_APPROVAL:
        raise SharingError(_("This referral is not waiting for approval."))
    if referral.referred_by_id == by.pk:
        raise SharingError(_("Another supervisor must approve a referral you made."))
    if not reason.strip():
        raise SharingError(_("Give the reason for approving."))
    now = timezone.now()
    referral.approved_by = by
    referral.approved_at = now
    referral.approval_reason = reason
    _send(referral, now)
    referral.save()
    timeline_add(
        case=referral.case,
        kind=TimelineKind.REFERRAL,
        title=_("A supervisor approved the referral to %(agency)s without consent")
        % {"agency": referral.agency.name},
        detail=reason,
        actor=by,
    )
    audit_record(action="sharing.referral.approve", actor=by, target=referral)
    return referral


def _acknowledge(referral: Referral, by: User) -> Referral:
    referral = Referral.objects.select_for_update().select_related("agency").get(pk=referral.pk)
    if by.role != Role.PARTNER or by.agency_id != referral.agency_id:
        raise SharingError(_("Only the agency the referral was sent to can answer it."))
    if referral.status != ReferralStatus.PENDING:
        raise SharingError(_("This referral has been answered already, or has ended."))
    referral.acknowledged_at = timezone.now()
    referral.acknowledged_by = by
    return referral


@write_service
def referral_accept(*, referral: Referral, by: User) -> Referral:
    referral = _acknowledge(referral, by)
    referral.status = ReferralStatus.ACCEPTED
    referral.save()
    timeline_add(
        case=referral.case,
        kind=TimelineKind.REFERRAL,
        title=_("%(agency)s accepted the referral") % {"agency": referral.agency.name},
        actor=by,
    )
    audit_record(action="sharing.referral.accept", actor=by, target=referral)
    return referral


@write_service
def referral_decline(*, referral: Referral, reason: str, by: User) -> Referral:
    if not reason.strip():
        raise SharingError(_("Say why your agency cannot take the referral."))
    referral = _acknowledge(referral, by)
    referral.status = ReferralStatus.DECLINED
    referral.decline_reason = reason
    referral.save()
    timeline_add(
        case=referral.case,
        kind=TimelineKind.REFERRAL,
        title=_("%(agency)s declined the referral") % {"agency": referral.agency.name},
        detail=reason,
        actor=by,
    )
    audit_record(action="sharing.referral.decline", actor=by, target=referral)
    return referral


@write_service
def referral_end(*, referral: Referral, status: str, reason: str, by: User) -> Referral:
    """End a referral: the victim withdrew consent, or the work is finished. The agency loses
    the case on its very next request (its reach is read from the referral on every request)."""
    if status not in (ReferralStatus.WITHDRAWN, ReferralStatus.CLOSED):
        raise SharingError(_("Choose why the referral ends."))
    if not reason.strip():
        raise SharingError(_("Say why the referral ends."))
    referral = Referral.objects.select_for_update().select_related("agency").get(pk=referral.pk)
    if not referral.is_open:
        raise SharingError(_("This referral has ended already."))
    referral.status = status
    referral.ended_at = timezone.now()
    referral.ended_by = by
    referral.end_reason = reason
    referral.save()
    if status == ReferralStatus.WITHDRAWN:
        title = _("Consent withdrawn: %(agency)s no longer sees the case")
    else:
        title = _("Referral to %(agency)s closed")
    timeline_add(
        case=referral.case,
        kind=TimelineKind.REFERRAL,
        title=title % {"agency": referral.agency.name},
        detail=reason,
        actor=by,
    )
    audit_record(
        action="sharing.referral.end", actor=by, target=referral, summary={"status": status}
    )
    return referral


@write_service
def partner_update_add(
    *, referral: Referral, kind: str, body: str, by: User, risk_level: str = ""
) -> PartnerUpdate:
    """A partner caseworker adds to the case: it shows on the police timeline with the agency's
    name, so the officer knows whose word it is."""
    referral = Referral.objects.select_related("agency", "case").get(pk=referral.pk)
    if by.role != Role.PARTNER or by.agency_id != referral.agency_id or not referral.gives_access:
        raise SharingError(_("Only the agency with an accepted referral can add to the case."))
    if kind not in UpdateKind.values:
        raise SharingError(_("Choose what you are adding."))
    if not body.strip():
        raise SharingError(_("Write what you want to add."))
    if kind == UpdateKind.RISK:
        if risk_level not in (RiskLevel.STANDARD, RiskLevel.MEDIUM, RiskLevel.HIGH):
            raise SharingError(_("Choose the risk level your agency assessed."))
    else:
        risk_level = ""
    update = PartnerUpdate(
        referral=referral,
        case=referral.case,
        agency=referral.agency,
        kind=kind,
        body=body,
        risk_level=risk_level,
        by=by,
    )
    if kind == UpdateKind.SAFETY_MEASURE:
        # A partner's measure joins the case's safety plan, owned by their agency; the plan puts
        # it on the police timeline marked with the agency.
        try:
            safety_measure_add(
                case=referral.case,
                status=MeasureStatus.IN_PLACE,
                by=by,
                title=body.strip().splitlines()[0][:200],
                detail=body,
                owner_agency=referral.agency,
                source_agency=referral.agency,
            )
        except SafeguardingError as refused:
            raise SharingError(" ".join(str(m) for m in refused.messages)) from None
    else:
        title = _("%(agency)s: %(kind)s") % {
            "agency": referral.agency.name,
            "kind": UpdateKind(kind).label,
        }
        if risk_level:
            title += ": " + str(RiskLevel(risk_level).label)
        update.timeline_entry = timeline_add(
            case=referral.case,
            kind=TimelineKind.RISK if kind == UpdateKind.RISK else TimelineKind.REFERRAL,
            title=title,
            detail=body,
            actor=by,
        )
    update.save()
    audit_record(
        action="sharing.update.add",
        actor=by,
        target=referral.case,
        summary={"referral": str(referral.pk), "kind": kind},
    )
    return update


def _overdue_message(referral: Referral, recipient: User) -> None:
    outbox_enqueue(
        channel="email",
        recipient=recipient.email,
        subject=_("Vigil: a referral has not been answered in time"),
        body=_(
            "A referral from case %(ref)s has not been accepted or declined by its deadline. "
            "Please sign in to Vigil and check it: %(link)s"
        )
        % {"ref": referral.case.reference, "link": absolute_url("sharing:case", referral.case_id)},
        purpose="sharing.referral_overdue",
        idempotency_key=f"sharing.overdue:{referral.pk}:{recipient.pk}",
    )


def referral_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind the referrer and the coordinators of referrals not answered in time, once each.

    Idempotent: the referral is marked in the same transaction as its messages are queued, and
    only a referral not yet marked is taken, so a sweep run twice (or two at once) reminds once.
    """
    now = now or timezone.now()
    reminded = 0
    overdue = Referral.objects.filter(
        status=ReferralStatus.PENDING,
        acknowledge_by__lt=now,
        reminder_queued_at__isnull=True,
        case__status=CaseStatus.OPEN,
    ).values_list("pk", flat=True)
    for referral_id in list(overdue):
        with audited_transaction("vigil.sharing.services.referral_sweep"):
            marked = Referral.objects.filter(
                pk=referral_id, reminder_queued_at__isnull=True
            ).update(reminder_queued_at=now)
            if not marked:
                continue
            referral = Referral.objects.select_related("case", "referred_by").get(pk=referral_id)
            recipients = {referral.referred_by_id: referral.referred_by}
            for coordinator in User.objects.filter(role=Role.COORDINATOR, is_active=True):
                recipients[coordinator.pk] = coordinator
            for recipient in recipients.values():
                if recipient.is_active and recipient.email:
                    _overdue_message(referral, recipient)
            timeline_add(
                case=referral.case,
                kind=TimelineKind.REFERRAL,
                title=_(
                    "The referral was not answered in time: the referrer and coordinators "
                    "were reminded"
                ),
                actor=None,
            )
            audit_record(action="sharing.referral.overdue", target=referral)
            reminded += 1
    return {"reminded": reminded}

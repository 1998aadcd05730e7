"""Referrals: consent or a lawful basis, a supervisor without consent, answers, the reminder."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.utils import timezone

from vigil.accounts.models import Agency, Role, User
from vigil.audit.models import AuditEvent
from vigil.cases.models import Case, TimelineKind
from vigil.cases.tests.factories import make_case
from vigil.notifications.models import OutboxMessage
from vigil.sharing import services
from vigil.sharing.models import Basis, Referral, ReferralStatus, UpdateKind
from vigil.sharing.parts import INCIDENTS, SUMMARY
from vigil.sharing.tests.factories import refer, refer_and_accept

pytestmark = pytest.mark.django_db


@pytest.fixture
def ivy(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.INVESTIGATOR)


@pytest.fixture
def pat(make_staff: Callable[..., User]) -> User:
    """A caseworker of the advocacy service."""
    return make_staff(Role.PARTNER)


@pytest.fixture
def case(ivy: User) -> Case:
    return make_case(by=ivy, officer=ivy)


def _without_consent(case: Case, agency: Agency, by: User, **more: str) -> Referral:
    return services.referral_make(
        case=case,
        agency=agency,
        by=by,
        reason="Needs an advocate now",
        parts=[SUMMARY],
        basis=Basis.SAFEGUARDING,
        **more,
    )


def test_a_referral_without_consent_or_a_lawful_basis_is_refused(
    case: Case, ivy: User, pat: User
) -> None:
    for basis in ("", "because"):
        with pytest.raises(services.SharingError, match="consent or a lawful basis"):
            services.referral_make(
                case=case, agency=pat.agency, by=ivy, reason="Support", parts=[SUMMARY], basis=basis
            )  # type: ignore[arg-type]
    assert not Referral.objects.exists()


def test_consent_must_say_who_when_how_and_to_what(case: Case, ivy: User, pat: User) -> None:
    with pytest.raises(services.SharingError, match="who gave consent"):
        services.referral_make(
            case=case,
            agency=pat.agency,  # type: ignore[arg-type]
            by=ivy,
            reason="Support",
            parts=[SUMMARY],
            basis=Basis.CONSENT,
            consent_given_by="The victim",
        )
    assert not Referral.objects.exists()


def test_sharing_without_consent_waits_for_a_supervisor(
    case: Case, ivy: User, pat: User, make_staff: Callable[..., User]
) -> None:
    with pytest.raises(services.SharingError, match="without their consent"):
        _without_consent(case, pat.agency, ivy)  # type: ignore[arg-type]
    referral = _without_consent(
        case,
        pat.agency,  # type: ignore[arg-type]
        ivy,
        lawful_basis_reason="Threats to kill; she cannot be reached",
    )
    assert referral.status == ReferralStatus.AWAITING_APPROVAL
    assert referral.acknowledge_by is None
    # The agency sees nothing yet: not the referral, not the case.
    assert not Referral.objects.for_agency(pat.agency_id).exists()
    assert not Case.objects.visible_to(pat).exists()
    with pytest.raises(services.SharingError, match="Only a supervisor"):
        services.referral_approve(referral=referral, reason="OK", by=make_staff(Role.COORDINATOR))
    supervisor = make_staff(Role.SUPERVISOR)
    with pytest.raises(services.SharingError, match="reason"):
        services.referral_approve(referral=referral, reason=" ", by=supervisor)
    services.referral_approve(referral=referral, reason="Risk to life outweighs", by=supervisor)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
    assert referral.approved_by == supervisor
    assert referral.approval_reason == "Risk to life outweighs"
    assert referral.acknowledge_by is not None
    assert AuditEvent.objects.filter(
        action="sharing.referral.approve", target_id=str(referral.pk)
    ).exists()


def test_a_supervisor_cannot_approve_their_own_referral_without_consent(
    case: Case, pat: User, make_staff: Callable[..., User]
) -> None:
    supervisor = make_staff(Role.SUPERVISOR)
    referral = _without_consent(
        case,
        pat.agency,  # type: ignore[arg-type]
        supervisor,
        lawful_basis_reason="High risk",
    )
    with pytest.raises(services.SharingError, match="Another supervisor"):
        services.referral_approve(referral=referral, reason="Needed", by=supervisor)


def test_the_acknowledgement_deadline_counts_working_days(case: Case, ivy: User, pat: User) -> None:
    # Thursday 17 April 2025: Good Friday and Easter Monday are bank holidays.
    with time_machine.travel(datetime.datetime(2025, 4, 17, 10, tzinfo=datetime.UTC)):
        referral = refer(case=case, agency=pat.agency, by=ivy)  # type: ignore[arg-type]
    assert timezone.localtime(referral.acknowledge_by).date() == datetime.date(2025, 4, 23)


def test_a_partner_accepts_and_reaches_the_case_until_consent_is_withdrawn(
    case: Case, ivy: User, pat: User, make_staff: Callable[..., User]
) -> None:
    referral = refer(case=case, agency=pat.agency, by=ivy)  # type: ignore[arg-type]
    assert not Case.objects.visible_to(pat).exists()  # waiting: not yet
    other = make_staff(Role.PARTNER, agency=Agency.objects.create(name="B", kind="partner"))
    with pytest.raises(services.SharingError, match="Only the agency"):
        services.referral_accept(referral=referral, by=other)
    services.referral_accept(referral=referral, by=pat)
    assert list(Case.objects.visible_to(pat)) == [case]
    assert not Case.objects.visible_to(other).exists()
    services.referral_end(
        referral=referral, status=ReferralStatus.WITHDRAWN, reason="She said no", by=ivy
    )
    assert not Case.objects.visible_to(pat).exists()
    assert case.timeline.filter(title__startswith="Consent withdrawn").exists()


def test_a_decline_needs_a_reason(case: Case, ivy: User, pat: User) -> None:
    referral = refer(case=case, agency=pat.agency, by=ivy)  # type: ignore[arg-type]
    with pytest.raises(services.SharingError):
        services.referral_decline(referral=referral, reason="", by=pat)
    services.referral_decline(referral=referral, reason="Out of our area", by=pat)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert referral.decline_reason == "Out of our area"
    assert not Case.objects.visible_to(pat).exists()


def test_what_a_partner_adds_is_on_the_police_timeline_marked_with_the_agency(
    case: Case, ivy: User, pat: User
) -> None:
    referral = refer_and_accept(case=case, agency=pat.agency, by=ivy, partner=pat)  # type: ignore[arg-type]
    services.partner_update_add(
        referral=referral, kind=UpdateKind.SAFETY_MEASURE, body="Personal alarm given", by=pat
    )
    services.partner_update_add(
        referral=referral, kind=UpdateKind.RISK, body="DASH 15", risk_level="high", by=pat
    )
    titles = list(case.timeline.values_list("title", "kind"))
    agency = pat.agency.name  # type: ignore[union-attr]
    assert (f"{agency}: Our risk assessment: High", TimelineKind.RISK) in titles
    # The partner's measure joins the case's safety plan, owned by the agency, and the plan's
    # timeline line names the agency that added it.
    from vigil.safeguarding.models import SafetyMeasure

    measure = SafetyMeasure.objects.get(plan__case=case)
    assert measure.title == "Personal alarm given"
    assert measure.owner_agency == pat.agency
    assert any(
        title.startswith(f"Safety plan: {agency} added Personal alarm given")
        for title, _kind in titles
    )


def test_a_partner_adds_nothing_once_the_referral_has_ended(
    case: Case, ivy: User, pat: User
) -> None:
    referral = refer_and_accept(case=case, agency=pat.agency, by=ivy, partner=pat)  # type: ignore[arg-type]
    services.referral_end(referral=referral, status=ReferralStatus.CLOSED, reason="Done", by=ivy)
    with pytest.raises(services.SharingError):
        services.partner_update_add(referral=referral, kind=UpdateKind.UPDATE, body="x", by=pat)


def test_the_overdue_reminder_is_queued_once(
    case: Case, ivy: User, pat: User, make_staff: Callable[..., User]
) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    referral = refer(case=case, agency=pat.agency, by=ivy)  # type: ignore[arg-type]
    assert referral.acknowledge_by is not None
    assert services.referral_sweep(now=referral.acknowledge_by) == {"reminded": 0}
    later = referral.acknowledge_by + datetime.timedelta(minutes=1)
    assert services.referral_sweep(now=later) == {"reminded": 1}
    assert services.referral_sweep(now=later + datetime.timedelta(days=3)) == {"reminded": 0}
    reminders = OutboxMessage.objects.filter(purpose="sharing.referral_overdue")
    assert sorted(m.recipient for m in reminders) == sorted([ivy.email, coordinator.email])
    # The message says something waits; it names no one.
    assert all(case.people.first().name not in m.body for m in reminders)  # type: ignore[union-attr]


def test_an_answered_referral_is_never_reminded(case: Case, ivy: User, pat: User) -> None:
    referral = refer_and_accept(case=case, agency=pat.agency, by=ivy, partner=pat)  # type: ignore[arg-type]
    later = referral.acknowledge_by + datetime.timedelta(days=10)  # type: ignore[operator]
    assert services.referral_sweep(now=later) == {"reminded": 0}


def test_a_second_open_referral_to_the_same_agency_is_refused(
    case: Case, ivy: User, pat: User
) -> None:
    refer(case=case, agency=pat.agency, by=ivy, parts=[SUMMARY, INCIDENTS])  # type: ignore[arg-type]
    with pytest.raises(services.SharingError, match="already has an open referral"):
        refer(case=case, agency=pat.agency, by=ivy)  # type: ignore[arg-type]

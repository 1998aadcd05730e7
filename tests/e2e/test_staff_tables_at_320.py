"""Staff tables on a 320 px phone (WCAG 1.4.10): headings and cells wrap between words, never
inside one ("Victi m"); a wide table scrolls inside its own focusable, named box instead."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from pprint import pformat

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import AgencyFactory
from vigil.cases import services as case_services
from vigil.cases.tests.factories import make_case, make_report, victim_of
from vigil.common.models import StoredFile
from vigil.linking.services import link_confirm
from vigil.linking.tests.conftest import _engine_scope  # noqa: F401 (records of made-up owners)
from vigil.linking.tests.factories import add_record
from vigil.notifications.models import OutboxMessage, OutboxStatus
from vigil.notifications.services import outbox_enqueue
from vigil.offenders import services as offender_services
from vigil.offenders.tests.helpers import applied_order, linked_cases
from vigil.public_site.models import Feedback
from vigil.reporting.models import ReportEvidence
from vigil.risk.models import RiskAssessment
from vigil.risk.tests.test_assessments import submit_sdash
from vigil.risk.tests.test_judgements import EIGHT_YES, REAL_REASON
from vigil.safeguarding.meetings import meeting_case_add, meeting_create
from vigil.sharing.tests.factories import refer

from .reflow import reflow_problems
from .test_risk import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_staff_case_list_and_case_at_320px_never_break_inside_a_word(
    live_server: object, phone: Page, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    coordinator = make_staff(Role.COORDINATOR)
    officer = make_staff(Role.INVESTIGATOR)
    case = make_case(by=coordinator, officer=officer, details={"behaviours": ["following"]})
    make_case(by=coordinator, classification="stalking_s4a")
    sign_in(phone, base, coordinator)

    for url in (reverse("cases:list"), reverse("cases:detail", args=[case.pk])):
        phone.goto(base + url)
        # The page itself never scrolls sideways: only a table, inside its own box.
        assert reflow_problems(phone) == [], url
        table = phone.locator("table.vigil-table--responsive").first
        assert table.get_attribute("tabindex") == "0"
        assert table.locator("caption").count() == 1  # its name, read when it takes focus


def _problems_at_320(page: Page, url: str) -> list[object]:
    page.goto(url)
    if page.locator("main table").count() == 0:
        return ["no table: the test data did not reach this page"]
    return reflow_problems(page)


def test_every_staff_page_with_a_table_fits_320px_for_each_role_that_sees_it(
    live_server: object, phone: Page, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    coordinator = make_staff(Role.COORDINATOR)
    supervisor = make_staff(Role.SUPERVISOR)
    officer = make_staff(Role.INVESTIGATOR)
    call_handler = make_staff(Role.CALL_HANDLER)
    dpo = make_staff(Role.DPO)
    agency = AgencyFactory.create(name="Test Advocacy", kind="partner")
    partner = make_staff(Role.PARTNER, agency=agency)

    # Risk: a high-risk case whose review is overdue, and a judgement against the answers.
    case = make_case(by=call_handler, officer=officer)
    submit_sdash(case, officer, level="high", reasons="Threats to kill", yes={1, 2, 3, 4, 5, 6, 7})
    RiskAssessment.objects.filter(case=case).update(
        review_due=timezone.localdate() - datetime.timedelta(days=3)
    )
    judged = make_case(by=call_handler, officer=officer)
    submit_sdash(judged, officer, level="standard", reasons=REAL_REASON, yes=EIGHT_YES)
    # Sharing: a referral waiting for the partner agency, in the DPO's log.
    refer(case=case, agency=agency, by=officer)
    # A message that could not be sent.
    message = outbox_enqueue(
        channel="email",
        recipient="contact@example.org",
        subject="A message from Vigil",
        body="Please check in with your friend.",
        purpose="victim.update.officer_assigned",
        idempotency_key="e2e-320",
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.FAILED,
        attempts=5,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed by the mail server",
    )
    # Linking: two records of one suspect for different victims, linked: a decision, an alert.
    first = add_record(victim="victim-1", label="Suspect in report A", names=["Bill Smith"])
    second = add_record(victim="victim-2", label="Suspect in report B", names=["William Smith"])
    link_confirm(record=first, other=second, by=officer, note="Same date of birth and name")
    # An online report with a file: its SHA-256 is 64 characters with no space.
    report = make_report()
    ReportEvidence.objects.create(
        report=report,
        uploaded_at=timezone.now(),
        file=StoredFile.objects.create(
            storage_name="evidence/e2e-320",
            size=48_213,
            sha256=hashlib.sha256(b"photo").hexdigest(),
            content_type="image/png",
            original_name="screenshot-of-messages.png",
        ),
    )

    linking = [
        reverse("linking:home"),
        reverse("linking:decisions"),
        reverse("linking:record", args=[first.pk]),
    ]
    reports = [
        reverse("reporting_staff:list"),
        reverse("reporting_staff:detail", kwargs={"report_id": report.pk}),
    ]
    pages: dict[User, list[str]] = {
        # An officer sees a report once it is theirs, through its case; the list is open to them.
        officer: [reverse("risk:case", args=[case.pk]), *linking, reports[0]],
        call_handler: reports,
        coordinator: [
            reverse("risk:case", args=[case.pk]),
            reverse("risk:high_risk_overdue"),
            reverse("notifications:failed"),
            *linking,
            *reports,
            reverse("insights:dashboard"),
            reverse("insights:drill", args=["cases_by_risk"]),
            reverse("insights:public_use"),
        ],
        supervisor: [
            reverse("risk:high_risk_overdue"),
            reverse("risk:judgement_queue"),
            reverse("notifications:failed"),
            *linking,
        ],
        dpo: [reverse("sharing:log", args=[case.pk])],
        partner: [reverse("sharing:inbox")],
    }
    problems: dict[str, object] = {}
    for user, urls in pages.items():
        sign_in(phone, base, user)
        for url in urls:
            if found := _problems_at_320(phone, base + url):
                problems[f"{user.role} {url}"] = found
        phone.context.clear_cookies()
    assert problems == {}, pformat(problems, width=100)


def test_the_case_work_tables_stay_in_their_boxes_at_320px_for_each_role_that_sees_them(
    live_server: object, phone: Page, make_staff: Callable[..., User]
) -> None:
    """The tables that had the pattern already: a cell's hidden button text (a form in an
    actions row) must not widen the page either."""
    base = live_server.url  # type: ignore[attr-defined]
    coordinator = make_staff(Role.COORDINATOR)
    officer = make_staff(Role.INVESTIGATOR)
    call_handler = make_staff(Role.CALL_HANDLER)
    dpo = make_staff(Role.DPO)
    case = make_case(by=call_handler, officer=officer)
    make_report()  # waiting in the intake queue
    case_services.action_add(
        case=case,
        title="Take a statement about the messages",
        owner=officer,
        due_on=timezone.localdate() - datetime.timedelta(days=1),
        by=officer,
    )
    case_services.contact_log(
        case=case,
        victim=victim_of(case),
        channel="phone",
        direction="from_victim",
        summary="Rang to say he was outside the house again",
        by=officer,
    )
    case_services.evidence_add(case=case, description="Screenshots of messages", by=officer)
    meeting = meeting_create(
        kind="stalking_clinic",
        held_on=timezone.localdate() + datetime.timedelta(days=7),
        place="Police headquarters, room 4",
        by=coordinator,
    )
    # On the meeting's list, so the officer in charge sees the meeting too.
    meeting_case_add(meeting=meeting, case=case, reason="escalation", note="", by=coordinator)
    Feedback.objects.create(rating="very_dissatisfied", comments="The questions were confusing.")

    case_pages = [
        reverse(f"cases:{name}", args=[case.pk]) for name in ("actions", "contact", "evidence")
    ] + [reverse("cases:duties", args=[case.pk])]
    pages: dict[User, list[str]] = {
        call_handler: [reverse("cases:intake")],
        officer: [*case_pages, reverse("cases:overdue"), reverse("safeguarding:meetings")],
        coordinator: [
            reverse("cases:intake"),
            *case_pages,
            reverse("cases:overdue"),
            reverse("safeguarding:meetings"),
            reverse("feedback:list"),
        ],
        dpo: [reverse("cases:audit_log")],
    }
    problems: dict[str, object] = {}
    for user, urls in pages.items():
        sign_in(phone, base, user)
        for url in urls:
            if found := _problems_at_320(phone, base + url):
                problems[f"{user.role} {url}"] = found
        phone.context.clear_cookies()
    assert problems == {}, pformat(problems, width=100)


def test_the_offender_managers_tables_stay_in_their_boxes_at_320px(
    live_server: object, phone: Page, make_staff: Callable[..., User]
) -> None:
    """The people an offender manager manages and an order's prohibitions and requirements."""
    base = live_server.url  # type: ignore[attr-defined]
    coordinator = make_staff(Role.COORDINATOR)
    manager = make_staff(Role.OFFENDER_MANAGER, team=None)
    pair = linked_cases(
        handler=make_staff(Role.CALL_HANDLER),
        officer=make_staff(Role.INVESTIGATOR, team=None),
        other_officer=make_staff(Role.INVESTIGATOR, team=None),
        by=coordinator,
    )
    order = applied_order(case=pair.first, by=coordinator)
    offender_services.offender_update(
        offender=order.offender, by=coordinator, manager=manager, plan="", bail_conditions=""
    )

    problems: dict[str, object] = {}
    for user in (manager, coordinator):
        sign_in(phone, base, user)
        for url in (reverse("offenders:home"), order.get_absolute_url()):
            if found := _problems_at_320(phone, base + url):
                problems[f"{user.role} {url}"] = found
        phone.context.clear_cookies()
    assert problems == {}, pformat(problems, width=100)

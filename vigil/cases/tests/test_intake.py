from __future__ import annotations

from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role
from vigil.cases.models import Case, Evidence, PhoneReport, Triage
from vigil.cases.tests.factories import make_case, make_report
from vigil.common.models import StoredFile
from vigil.reporting.models import ReportEvidence, ReportStatus, ReportUpdate

pytestmark = pytest.mark.django_db

TRIAGE_FORM = {
    "threat": "Threats to come round",
    "harm": "Frightened",
    "risk": "Escalating",
    "investigation": "Messages on phone",
    "vulnerability": "Lives alone",
    "engagement": "Wants help",
    "decision": "new_case",
    "principal_classification": "criminal_damage",
}


def _grade_id(code: str = "priority") -> str:
    from vigil.cases.models import PriorityGrade

    return str(PriorityGrade.objects.get(code=code).pk)


def test_online_and_phone_reports_wait_in_one_queue(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.CALL_HANDLER)
    report = make_report()
    client.post(
        reverse("cases:phone_report_new"),
        {"victim_name": "Bea Example", "suspect_relationship": "stranger", "summary": "Followed"},
    )
    phone = PhoneReport.objects.get()
    page = client.get(reverse("cases:intake")).content.decode()
    assert report.reference in page
    assert phone.reference in page


@time_machine.travel("2026-11-26 10:00Z")
def test_an_item_past_its_due_time_is_marked_overdue(staff_client: Callable[..., Client]) -> None:
    import datetime

    from django.utils import timezone

    client = staff_client(Role.CALL_HANDLER)
    make_report(received_at=timezone.now() - datetime.timedelta(hours=3))
    page = client.get(reverse("cases:intake")).content.decode()
    assert "Overdue" in page


def test_triage_of_an_online_report_creates_a_case_and_tells_the_reporter(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.CALL_HANDLER)
    report = make_report()
    stored = StoredFile.objects.create(
        storage_name="x",
        original_name="screenshot.png",
        content_type="image/png",
        size=10,
        sha256="a" * 64,
    )
    ReportEvidence.objects.create(report=report, file=stored, uploaded_at=report.received_at)
    response = client.post(
        reverse("cases:triage_online", args=[report.pk]), {**TRIAGE_FORM, "grade": _grade_id()}
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.created_by == client.user  # type: ignore[attr-defined]
    assert case.incidents.count() == 1
    assert Evidence.objects.get(case=case).sha256 == "a" * 64
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_REVIEW
    assert ReportUpdate.objects.filter(report=report, status=ReportStatus.IN_REVIEW).exists()
    assert Triage.objects.get().thrive["threat"] == "Threats to come round"


def test_the_call_handler_can_open_the_case_they_created(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.CALL_HANDLER)
    report = make_report()
    client.post(
        reverse("cases:triage_online", args=[report.pk]), {**TRIAGE_FORM, "grade": _grade_id()}
    )
    case = Case.objects.get()
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_triage_can_add_a_report_to_an_existing_case(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    report = make_report()
    response = client.post(
        reverse("cases:triage_online", args=[report.pk]),
        {**TRIAGE_FORM, "grade": _grade_id(), "decision": "link", "link_reference": case.reference},
    )
    assert response.status_code == 302
    assert Case.objects.count() == 1
    assert case.incidents.count() == 2


def test_triage_asks_for_a_classification_for_a_new_case(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.CALL_HANDLER)
    report = make_report()
    response = client.post(
        reverse("cases:triage_online", args=[report.pk]),
        {**TRIAGE_FORM, "grade": _grade_id(), "principal_classification": ""},
    )
    assert response.status_code == 200
    assert "Choose what the case is recorded as" in response.content.decode()
    assert not Case.objects.exists()


def test_a_phone_report_is_triaged_into_a_case_with_its_safe_contact(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.CALL_HANDLER)
    client.post(
        reverse("cases:phone_report_new"),
        {
            "victim_name": "Bea Example",
            "victim_phone": "07700 900456",
            "channels": ["phone"],
            "suspect_relationship": "ex_partner",
            "suspect_name": "Sam Sample",
            "summary": "He waits outside my work.",
        },
    )
    phone = PhoneReport.objects.get()
    client.post(
        reverse("cases:triage_phone", args=[phone.pk]), {**TRIAGE_FORM, "grade": _grade_id()}
    )
    case = Case.objects.get()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Safe contact" in page
    assert "only by phone" in page
    phone.refresh_from_db()
    assert phone.triaged


def test_a_new_case_has_victims_code_duties_in_working_days(
    staff_client: Callable[..., Client],
) -> None:
    import datetime

    from vigil.cases.models import DutyKind

    client = staff_client(Role.CALL_HANDLER)
    with time_machine.travel(datetime.datetime(2026, 4, 2, 10, 0, tzinfo=datetime.UTC)):
        case = make_case(by=client.user)  # type: ignore[attr-defined]
    referral = case.duties.get(kind=DutyKind.REFERRAL)
    update = case.duties.get(kind=DutyKind.UPDATE)
    assert referral.due_on == datetime.date(2026, 4, 8)  # over Good Friday and Easter Monday
    assert update.due_on == datetime.date(2026, 4, 30)

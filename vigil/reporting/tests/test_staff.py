from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from vigil.accounts.models import Role
from vigil.audit.models import AuditEvent
from vigil.reporting.models import Report
from vigil.reporting.tests.journey import fill_until_check, named, png_bytes, send

pytestmark = pytest.mark.django_db


def _report(**files: bytes) -> Report:
    client = Client()
    fill_until_check(client, files=[named(data, name) for name, data in files.items()])
    send(client)
    return Report.objects.get()


@pytest.mark.parametrize("role", [Role.CALL_HANDLER, Role.COORDINATOR, Role.SUPERVISOR])
def test_intake_staff_see_the_list_and_the_report(
    staff_client: Callable[..., Client], role: str
) -> None:
    report = _report()
    client = staff_client(role)
    assert report.reference in client.get("/staff/reports/").content.decode()
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert "Alice Example" in page
    assert "Mallory Example" in page


@pytest.mark.parametrize("role", [Role.PARTNER, Role.DPO, Role.OFFENDER_MANAGER])
def test_other_staff_get_not_found(staff_client: Callable[..., Client], role: str) -> None:
    report = _report()
    client = staff_client(role)
    assert client.get("/staff/reports/").status_code == 404
    assert client.get(f"/staff/reports/{report.pk}/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    report = _report()
    response = Client().get(f"/staff/reports/{report.pk}/")
    assert response.status_code == 302
    assert "/staff/login/" in response["Location"]


def test_every_staff_read_of_a_report_is_audited(staff_client: Callable[..., Client]) -> None:
    report = _report()
    client = staff_client(Role.CALL_HANDLER)
    client.get(f"/staff/reports/{report.pk}/")
    client.get(f"/staff/reports/{report.pk}/")
    events = AuditEvent.objects.filter(action="report.view", target_id=str(report.pk))
    assert events.count() == 2
    assert events.first().actor == client.user  # type: ignore[attr-defined, union-attr]


def test_staff_download_the_original_file_and_it_is_audited(
    staff_client: Callable[..., Client],
) -> None:
    original = png_bytes()
    report = _report(**{"photo.png": original})
    evidence = report.evidence.get()
    client = staff_client(Role.CALL_HANDLER)
    response = client.get(f"/staff/reports/{report.pk}/evidence/{evidence.pk}/")
    assert response.streaming  # decrypted as it is sent, never whole in memory
    assert b"".join(response.streaming_content) == original
    assert response["Content-Type"] == "image/png"
    assert AuditEvent.objects.filter(action="report.evidence.download").count() == 1

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role
from vigil.audit.models import AuditEvent
from vigil.cases.models import Evidence
from vigil.cases.tests.factories import make_case
from vigil.cases.tests.pdftext import pdf_contains
from vigil.reporting.tests.journey import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def test_the_case_file_pdf_lists_the_evidence_with_its_sha256(
    staff_client: Callable[..., Client], settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    content = png_bytes()
    client.post(
        reverse("cases:evidence", args=[case.pk]),
        {
            "description": "Screenshot of messages",
            "upload": SimpleUploadedFile("messages.png", content, "image/png"),
        },
    )
    evidence = Evidence.objects.get(case=case)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    response = client.get(reverse("cases:case_file", args=[case.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert pdf_contains(pdf, evidence.sha256)
    assert pdf_contains(pdf, case.reference)
    assert AuditEvent.objects.filter(action="case.file_pdf", target_id=str(case.pk)).exists()


def test_evidence_is_stored_encrypted(
    staff_client: Callable[..., Client], settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    client.post(
        reverse("cases:evidence", args=[case.pk]),
        {
            "description": "Letter",
            "upload": SimpleUploadedFile("l.pdf", pdf_bytes() + b"secret words"),
        },
    )
    stored = (tmp_path / Evidence.objects.get().stored_path).read_bytes()  # type: ignore[operator]
    assert b"secret words" not in stored

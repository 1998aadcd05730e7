"""A report's files are kept as one StoredFile each (issue 14): the draft's file is the report's
file and then the case's, never a copy; it streams back to staff byte for byte; and it goes when
the last row keeping it does."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role
from vigil.cases.models import Evidence
from vigil.cases.tests.factories import make_case
from vigil.common.models import StoredFile
from vigil.common.stored_files import stored_read
from vigil.operations.tests.test_faults import disk_full_after
from vigil.reporting.models import Report, ReportEvidence
from vigil.reporting.services import EvidenceRejected, draft_evidence_add, draft_evidence_remove
from vigil.reporting.tests.journey import (
    current_draft,
    fill_until_check,
    named,
    pdf_bytes,
    png_bytes,
    send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def _blobs(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_each_file_sent_with_a_report_is_one_stored_file_that_reads_back(media: Path) -> None:
    client = Client()
    fill_until_check(client, files=[named(png_bytes(), "photo.png"), named(pdf_bytes(), "a.pdf")])
    draft_files = {item.pk: item.file_id for item in current_draft(client).files.all()}
    send(client)

    report = Report.objects.get()
    kept = list(report.evidence.select_related("file"))
    assert StoredFile.objects.count() == 2
    assert len(_blobs(media)) == 2
    # The report keeps the very rows the draft made: nothing copied, nothing left behind.
    assert {item.file_id for item in kept} == set(draft_files.values())
    photo = kept[0].file
    assert photo.original_name == "photo.png"
    assert photo.content_type == "image/png"
    assert photo.size == len(png_bytes())
    assert photo.sha256 == hashlib.sha256(png_bytes()).hexdigest()
    assert stored_read(stored_path=photo.storage_name) == png_bytes()
    assert png_bytes() not in (media / photo.storage_name).read_bytes()


def test_staff_download_a_file_streamed_byte_for_byte(
    media: Path, staff_client: Callable[..., Client]
) -> None:
    client = Client()
    fill_until_check(client, files=[named(png_bytes(), "photo.png")])
    send(client)
    report = Report.objects.get()
    item = report.evidence.get()
    staff = staff_client(Role.CALL_HANDLER)

    response = staff.get(
        reverse("reporting_staff:evidence", kwargs={"report_id": report.pk, "evidence_id": item.pk})
    )

    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Length"] == str(len(png_bytes()))
    assert response["Content-Disposition"] == f'attachment; filename="evidence-{item.sha256[:12]}"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_removing_a_draft_file_deletes_its_stored_file(
    media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    fill_until_check(client, files=[named(png_bytes(), "photo.png")])
    draft = current_draft(client)
    item = draft.files.get()

    with django_capture_on_commit_callbacks(execute=True):
        draft_evidence_remove(draft=draft, evidence_id=item.pk)

    assert not StoredFile.objects.exists()
    assert _blobs(media) == []


def test_a_file_kept_by_the_case_too_stays_when_the_report_row_goes(
    media: Path, django_capture_on_commit_callbacks: Any, make_staff: Callable[..., Any]
) -> None:
    client = Client()
    fill_until_check(client, files=[named(png_bytes(), "photo.png")])
    send(client)
    report_item = ReportEvidence.objects.get()
    stored = report_item.file
    case = make_case(by=make_staff(Role.COORDINATOR))
    case_item = Evidence.objects.create(case=case, description="From the report", file=stored)

    with django_capture_on_commit_callbacks(execute=True):
        report_item.delete()
    assert StoredFile.objects.filter(pk=stored.pk).exists()
    assert stored_read(stored_path=stored.storage_name) == png_bytes()

    with django_capture_on_commit_callbacks(execute=True):
        case_item.delete()
    assert not StoredFile.objects.filter(pk=stored.pk).exists()
    assert _blobs(media) == []


def test_an_upload_that_cannot_be_written_leaves_no_stored_file(media: Path) -> None:
    client = Client()
    fill_until_check(client)
    draft = current_draft(client)
    photo = png_bytes() + b"\x00" * 400_000
    upload = SimpleUploadedFile("photo.png", photo, content_type="image/png")
    with disk_full_after(64 * 1024), pytest.raises(EvidenceRejected):
        draft_evidence_add(draft=draft, upload=upload)

    assert not StoredFile.objects.exists()
    assert _blobs(media) == []

"""Issue 14, finding 7: reports in progress and their files were not limited per address
(10 x 10 MB from one address in a minute, 200 MB per report kept for a day)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from vigil.reporting.models import DraftEvidence, ReportDraft
from vigil.reporting.tests.journey import named, pdf_bytes, png_bytes, post

pytestmark = pytest.mark.django_db

LIMITED = "You have started a lot of reports from this connection"
TOO_MANY_FILES = "You have added a lot of files from this connection"


def start(address: str) -> tuple[Client, object]:
    client = Client(REMOTE_ADDR=address)
    return client, client.post("/report/", {"action": "start"})


def upload(client: Client, data: bytes, name: str) -> str:
    response = client.post("/report/evidence/", {"action": "upload", "files": named(data, name)})
    return response.content.decode() if response.status_code == 200 else ""


@override_settings(REPORT_DRAFTS_PER_ADDRESS_PER_HOUR=3)
def test_one_address_may_start_only_so_many_reports_an_hour() -> None:
    for _ in range(3):
        _client, response = start("198.51.100.7")
        assert response.status_code == 302  # type: ignore[attr-defined]
    _client, response = start("198.51.100.7")
    assert response.status_code == 429  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    assert LIMITED in page
    assert "call 101" in page
    assert ReportDraft.objects.count() == 3
    # Someone else is not held back, and the first address may start again an hour later.
    assert start("203.0.113.9")[1].status_code == 302  # type: ignore[attr-defined]
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        assert start("198.51.100.7")[1].status_code == 302  # type: ignore[attr-defined]


@override_settings(REPORT_UPLOADS_PER_ADDRESS_PER_HOUR=2)
def test_one_address_may_add_only_so_many_files_an_hour() -> None:
    first, _response = start("198.51.100.7")
    assert upload(first, png_bytes(), "one.png") == ""
    second, _response = start("198.51.100.7")  # a new report does not reset the count
    assert upload(second, pdf_bytes(), "two.pdf") == ""
    page = upload(second, png_bytes(), "three.png")
    assert TOO_MANY_FILES in page
    assert 'class="govuk-error-message"' in page
    assert DraftEvidence.objects.count() == 2
    other, _response = start("203.0.113.9")
    assert upload(other, png_bytes(), "theirs.png") == ""


def test_one_address_may_add_only_so_many_megabytes_an_hour() -> None:
    size = len(png_bytes() * 50)
    with override_settings(REPORT_UPLOAD_BYTES_PER_ADDRESS_PER_HOUR=size * 2):
        client, _response = start("198.51.100.7")
        assert upload(client, png_bytes() * 50, "one.png") == ""
        assert upload(client, png_bytes() * 50, "two.png") == ""
        assert TOO_MANY_FILES in upload(client, png_bytes() * 50, "three.png")
    assert DraftEvidence.objects.count() == 2


def test_a_report_in_progress_holds_at_most_100_megabytes_by_default() -> None:
    from django.conf import settings

    assert settings.REPORT_EVIDENCE_MAX_TOTAL_BYTES == 100 * 1024 * 1024


def test_a_refused_file_is_not_counted() -> None:
    with override_settings(REPORT_UPLOADS_PER_ADDRESS_PER_HOUR=1):
        client, _response = start("198.51.100.7")
        assert "must be a photo" in upload(client, b"not a known kind of file", "notes.exe")
        assert upload(client, png_bytes(), "photo.png") == ""
        post(client, "/report/evidence/", {"action": "continue"})
    assert DraftEvidence.objects.count() == 1

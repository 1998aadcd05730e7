from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from vigil.cases.models import Evidence, Incident
from vigil.cases.tests.factories import make_case, make_report
from vigil.cases.tests.pdftext import pdf_contains
from vigil.common.models import StoredFile
from vigil.reporting.models import Report
from vigil.reporting.tests.journey import png_bytes
from vigil.safety import services
from vigil.safety.models import DiaryEntry, DiaryFile
from vigil.safety.tests.conftest import signed_in

pytestmark = pytest.mark.django_db

ENTRY = {
    "date_0": "20",
    "date_1": "11",
    "date_2": "2026",
    "time": "21:15",
    "place": "Outside my flat",
    "what_happened": "He waited by my car and shouted at me.",
    "who_was_there": "My neighbour Sam saw it",
    "police_reference": "",
    "impact": "I could not sleep.",
    "changes_made": "I park somewhere else now.",
    "impact_on_others": "",
}


def write_entry(client: Client, **changes: Any) -> DiaryEntry:
    data: dict[str, Any] = {**ENTRY, **changes}
    response = client.post(reverse("safety:diary_new"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return DiaryEntry.objects.latest("created_at")


def photo(name: str = "car.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def test_an_entry_is_kept_with_its_file_encrypted_and_hashed(alice: Client) -> None:
    entry = write_entry(alice, files=[photo()])
    assert entry.what_happened == ENTRY["what_happened"]
    assert entry.occurred_at.strftime("%Y-%m-%d") == "2026-11-20"
    item = DiaryFile.objects.get(entry=entry)
    assert item.file == StoredFile.objects.get()  # one row for the file (issue 14)
    assert item.file.original_name == "car.png"
    assert item.sha256 == hashlib.sha256(png_bytes()).hexdigest()
    stored = (Path(settings.MEDIA_ROOT) / item.stored_path).read_bytes()
    assert png_bytes() not in stored
    page = alice.get(reverse("safety:diary_entry", kwargs={"entry_id": entry.pk}))
    assert item.sha256 in page.content.decode()


def test_a_file_that_is_not_evidence_is_refused(alice: Client) -> None:
    bad = SimpleUploadedFile("notes.exe", b"MZ\x90\x00" * 50, content_type="image/png")
    response = alice.post(reverse("safety:diary_new"), {**ENTRY, "files": [bad]})
    assert response.status_code == 200
    assert "must be a photo, screenshot, PDF" in response.content.decode()
    assert not DiaryEntry.objects.exists()


def test_a_shared_entry_becomes_an_incident_with_its_evidence(
    alice: Client, report: Report, make_staff: Callable[..., Any]
) -> None:
    officer = make_staff("investigator")
    case = make_case(by=officer, officer=officer, report=report)
    entry = write_entry(alice, files=[photo()])
    write_entry(alice, what_happened="Another thing I keep to myself.")
    response = alice.post(reverse("safety:diary_share", kwargs={"entry_id": entry.pk}))
    assert response.status_code == 302
    entry.refresh_from_db()
    incident = Incident.objects.get(pk=entry.incident_id)
    assert incident.case == case
    assert "He waited by my car" in incident.summary
    assert "My neighbour Sam saw it" in incident.summary
    assert incident.place == "Outside my flat"
    evidence = Evidence.objects.get(incident=incident)
    assert evidence.sha256 == hashlib.sha256(png_bytes()).hexdigest()
    summaries = [i.summary for i in Incident.objects.filter(case=case)]
    assert not any("keep to myself" in s for s in summaries)
    assert Incident.objects.filter(case=case).count() == 2  # the report's own and the shared


def test_a_share_before_triage_waits_for_the_case(
    alice: Client,
    report: Report,
    make_staff: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    entry = write_entry(alice, files=[photo()])
    alice.post(reverse("safety:diary_share", kwargs={"entry_id": entry.pk}))
    entry.refresh_from_db()
    assert entry.is_shared and entry.incident_id is None
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(by=make_staff("call_handler"), report=report)
    entry.refresh_from_db()
    assert entry.incident is not None and entry.incident.case == case
    assert Evidence.objects.filter(incident=entry.incident).count() == 1


def test_sharing_twice_makes_one_incident(
    alice: Client, report: Report, make_staff: Callable[..., Any]
) -> None:
    case = make_case(by=make_staff("call_handler"), report=report)
    entry = write_entry(alice)
    alice.post(reverse("safety:diary_share", kwargs={"entry_id": entry.pk}))
    alice.post(reverse("safety:diary_share", kwargs={"entry_id": entry.pk}))
    services.safety_sweep()
    assert Incident.objects.filter(case=case).count() == 2  # the report's own and the shared


def test_a_shared_entry_cannot_be_deleted(alice: Client) -> None:
    entry = write_entry(alice)
    services.diary_entry_share(entry=entry)
    alice.post(reverse("safety:diary_delete", kwargs={"entry_id": entry.pk}))
    assert DiaryEntry.objects.filter(pk=entry.pk).exists()


def test_an_unshared_entry_can_be_deleted_with_its_files(
    alice: Client, django_capture_on_commit_callbacks: Any
) -> None:
    entry = write_entry(alice, files=[photo()])
    path = Path(settings.MEDIA_ROOT) / DiaryFile.objects.get().stored_path
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(reverse("safety:diary_delete", kwargs={"entry_id": entry.pk}))
    assert not DiaryEntry.objects.exists()
    # Kept, unreadable to her pages, only while "Undo" can put it back: the safety sweep then
    # deletes it and its files for good (test_undo.py).
    assert path.exists()


def test_no_one_else_can_read_an_entry(alice: Client) -> None:
    entry = write_entry(alice)
    stranger = signed_in(make_report())
    url = reverse("safety:diary_entry", kwargs={"entry_id": entry.pk})
    assert stranger.get(url).status_code == 404
    assert "He waited" not in stranger.get(reverse("safety:diary")).content.decode()


def test_the_diary_exports_to_pdf_with_file_hashes(alice: Client) -> None:
    write_entry(alice, files=[photo()])
    response = alice.get(reverse("safety:diary_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert pdf_contains(response.content, "He waited by my car")
    assert pdf_contains(response.content, hashlib.sha256(png_bytes()).hexdigest())

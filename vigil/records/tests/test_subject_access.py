"""Issue 22, subject access: the export opened and checked (third parties absent, files
present with their hashes), the decision and what was withheld recorded and audited."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.audit.models import AuditEvent
from vigil.cases import services as case_services
from vigil.cases.models import Case, ContactChannel, ContactDirection
from vigil.cases.tests.factories import make_case, victim_of
from vigil.records.models import SubjectAccessExport
from vigil.records.subject_access import (
    SubjectAccessError,
    subject_access_export,
    subject_find,
)
from vigil.reporting.services import (
    report_evidence_add,
    report_message_from_reporter,
    report_message_to_reporter,
)
from vigil.reporting.tests.journey import pdf_bytes, png_bytes
from vigil.safety.services import diary_entry_add

pytestmark = pytest.mark.django_db

THIRD_PARTIES = ["Mallory Sample", "07700 900999", "Carol Other", "Bob Witness"]


@pytest.fixture
def alices_case(make_staff: Callable[..., User], media: Path) -> Case:
    officer = make_staff(Role.INVESTIGATOR, full_name="Olivia Officerson")
    case = make_case(by=officer, officer=officer)
    report = case.triages.get().report
    report_evidence_add(
        report=report, upload=SimpleUploadedFile("photo.png", png_bytes(), "image/png")
    )
    diary_entry_add(
        report=report,
        occurred_at=timezone.now(),
        files=[SimpleUploadedFile("letter.pdf", pdf_bytes(), "application/pdf")],
        what_happened="A letter through the door.",
        who_was_there="My neighbour Bob Witness saw him.",
    )
    report_message_from_reporter(report=report, body="Thank you for calling.")
    report_message_to_reporter(report=report, body="We will visit on Monday.", by=officer)
    case_services.contact_log(
        case=case,
        victim=victim_of(case),
        channel=ContactChannel.PHONE,
        direction=ContactDirection.FROM_VICTIM,
        summary="Alice rang to say he was outside.",
        by=officer,
    )
    case_services.case_person_add(case=case, role="victim", name="Carol Other", by=officer)
    return case


def _export(dpo: User) -> tuple[SubjectAccessExport, dict[str, Any], zipfile.ZipFile]:
    matches = subject_find(user=dpo, email="ALICE@example.com")
    record, content = subject_access_export(
        user=dpo,
        keys=[m.key for m in matches],
        decision="part",
        reason="Third parties withheld.",
        subject_label="SAR 2026/1",
    )
    archive = zipfile.ZipFile(io.BytesIO(content))
    return record, json.loads(archive.read("subject_access.json")), archive


def test_the_person_is_found_by_email_across_their_case_and_report(
    alices_case: Case, make_staff: Callable[..., User]
) -> None:
    matches = subject_find(user=make_staff(Role.DPO), email="alice@example.com")
    assert [(m.reference, m.name) for m in matches] == [(alices_case.reference, "Alice Example")]
    report = alices_case.triages.get().report
    by_reference = subject_find(user=make_staff(Role.DPO), reference=report.reference.lower())
    assert [m.key for m in by_reference] == [f"report:{report.pk}"]


def test_the_export_holds_the_persons_data_and_no_third_party(
    alices_case: Case, make_staff: Callable[..., User]
) -> None:
    _record, data, archive = _export(make_staff(Role.DPO))
    whole = archive.read("subject_access.json").decode()
    assert "Alice Example" in whole
    assert "A letter through the door." in whole
    assert "Thank you for calling." in whole and "We will visit on Monday." in whole
    assert "Alice rang to say he was outside." in whole
    for name in [*THIRD_PARTIES, "Olivia", "Officerson"]:
        assert name not in whole, name
    assert data["withheld"]["suspects named in the report"] == 1
    assert data["withheld"]["other victims"] == 1
    assert data["withheld"]["witnesses named in the diary"] == 1
    assert data["withheld"]["officers' names"] >= 2


def test_the_files_are_in_the_zip_with_their_hashes(
    alices_case: Case, make_staff: Callable[..., User]
) -> None:
    _record, data, archive = _export(make_staff(Role.DPO))
    report_part = data["reports"][0]
    listed = report_part["evidence"] + report_part["diary"][0]["files"]
    assert len(listed) == 2
    for item in listed:
        content = archive.read(item["file"])
        assert hashlib.sha256(content).hexdigest() == item["sha256"] == item["sha256_recorded"]
    assert archive.read(listed[0]["file"]) == png_bytes()
    assert archive.read("subject_access.pdf").startswith(b"%PDF")


def test_the_decision_and_what_was_withheld_are_recorded_and_audited(
    alices_case: Case, make_staff: Callable[..., User]
) -> None:
    dpo = make_staff(Role.DPO)
    record, data, _archive = _export(dpo)
    stored = SubjectAccessExport.objects.get()
    assert stored.decision == "part" and stored.made_by == dpo
    assert stored.withheld == data["withheld"]
    event = AuditEvent.objects.get(action="records.subject_access")
    assert event.summary["sha256"] == record.sha256
    assert event.summary["cases"] == [str(alices_case.pk)]
    assert "Alice" not in json.dumps(event.summary)
    assert AuditEvent.objects.filter(
        action="case.read.subject_access", target_id=str(alices_case.pk)
    ).exists()


def test_only_the_dpo_makes_an_export(alices_case: Case, make_staff: Callable[..., User]) -> None:
    with pytest.raises(SubjectAccessError):
        subject_find(user=make_staff(Role.COORDINATOR), email="alice@example.com")


def test_the_dpo_page_finds_the_person_and_downloads_the_zip(
    alices_case: Case, staff_client: Callable[..., Client]
) -> None:
    client = staff_client(Role.DPO)
    url = reverse("records:subject_access")
    found = client.get(url, {"email": "alice@example.com"})
    assert alices_case.reference in found.content.decode()
    victim = victim_of(alices_case)
    response = client.post(
        url,
        {
            "email": "alice@example.com",
            "include": [f"victim:{victim.pk}"],
            "decision": "part",
            "reason": "Third parties withheld.",
            "label": "SAR 2026/2",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "subject_access.json" in archive.namelist()


def test_the_page_keeps_the_answers_when_nothing_is_chosen(
    alices_case: Case, staff_client: Callable[..., Client]
) -> None:
    client = staff_client(Role.DPO)
    response = client.post(
        reverse("records:subject_access"),
        {"email": "alice@example.com", "decision": "part", "label": "SAR 2026/3"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "SAR 2026/3" in page
    assert not SubjectAccessExport.objects.exists()


def test_a_search_answer_too_long_is_summarised_and_kept(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.DPO)
    typed = "CS-" + "X" * 30
    response = client.get(reverse("records:subject_access"), {"reference": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_reference"' in page
    assert "Report or case reference must be 20 characters or less" in page
    assert typed in page

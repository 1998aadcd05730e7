"""Staff evidence goes through the same upload check as every other upload (issue 14): an
accepted kind of file judged from its content, not empty, under the staff size limit, kept
encrypted with no half a file left when the disk is full; refusals said by the file field."""

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
from vigil.cases import services
from vigil.cases.models import Evidence
from vigil.cases.tests.factories import make_case
from vigil.common.models import StoredFile
from vigil.common.stored_files import FileRefused, stored_read
from vigil.operations.tests.test_faults import disk_full_after
from vigil.reporting.tests.journey import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def _stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _post(client: Client, case: Any, upload: SimpleUploadedFile) -> str:
    response = client.post(
        reverse("cases:evidence", args=[case.pk]),
        {"description": "Messages from the suspect", "upload": upload},
    )
    assert response.status_code == 200  # the form again, never a 500 or a redirect
    return response.content.decode()


def _refused_on_the_page(page: str, message: str) -> None:
    assert "govuk-error-summary" in page
    assert 'href="#id_upload"' in page  # the summary links to the file field
    assert message in page
    assert "Messages from the suspect" in page  # the description is kept


def test_a_file_of_a_kind_we_do_not_keep_is_refused_by_the_field(
    staff_client: Callable[..., Client], media: Path
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    program = SimpleUploadedFile("photo.png", b"MZ\x90\x00" * 200, content_type="image/png")
    page = _post(client, case, program)
    _refused_on_the_page(
        page, "The file photo.png must be a photo, screenshot, PDF, audio recording or video"
    )
    assert not Evidence.objects.exists()
    assert _stored_files(media) == []


def test_a_file_over_the_staff_limit_is_refused_by_the_field(
    staff_client: Callable[..., Client], media: Path, settings: Any
) -> None:
    settings.CASE_EVIDENCE_MAX_FILE_BYTES = 2 * 1024 * 1024
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    video = SimpleUploadedFile("doorbell.pdf", pdf_bytes() + b"\x00" * (2 * 1024 * 1024))
    page = _post(client, case, video)
    _refused_on_the_page(page, "The file doorbell.pdf must be smaller than 2 MB")
    assert not Evidence.objects.exists()
    assert _stored_files(media) == []


def test_an_empty_file_is_refused_on_the_form_and_by_the_service(
    staff_client: Callable[..., Client], media: Path
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    page = _post(client, case, SimpleUploadedFile("blank.png", b""))
    assert "govuk-error-summary" in page
    assert "empty" in page
    # The other ways in (a victim's shared diary, court papers) call the service directly.
    with pytest.raises(FileRefused, match=r"The file blank\.png is empty"):
        services.evidence_add(
            case=case,
            description="Court papers",
            by=client.user,  # type: ignore[attr-defined]
            upload=SimpleUploadedFile("blank.png", b""),
        )
    assert not Evidence.objects.exists()
    assert _stored_files(media) == []


def test_a_full_disk_gives_a_message_by_the_field_and_leaves_no_half_a_file(
    staff_client: Callable[..., Client], media: Path
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    media.mkdir(parents=True)
    photo = png_bytes() + b"\x00" * 400_000
    with disk_full_after(64 * 1024):
        page = _post(client, case, SimpleUploadedFile("photo.png", photo))
    _refused_on_the_page(page, "We could not save the file photo.png just now")
    assert not Evidence.objects.exists()
    assert _stored_files(media) == []


def test_the_kind_is_judged_from_the_content_and_staff_may_send_more_than_the_public(
    staff_client: Callable[..., Client], media: Path, settings: Any
) -> None:
    settings.REPORT_EVIDENCE_MAX_FILE_BYTES = 1024  # the public limit does not apply to staff
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    letter = pdf_bytes() + b"\x00" * 4096
    response = client.post(
        reverse("cases:evidence", args=[case.pk]),
        {
            "description": "Letter",
            "upload": SimpleUploadedFile("letter.png", letter, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf"  # not the browser's word
    assert evidence.size == len(letter)
    assert [p.name for p in _stored_files(media)] == [f"{evidence.pk}.bin"]
    assert stored_read(stored_path=evidence.stored_path) == letter
    # One StoredFile row holds what is known of the file (issue 14).
    stored = StoredFile.objects.get()
    assert evidence.file == stored
    assert (stored.original_name, stored.sha256) == (
        "letter.png",
        hashlib.sha256(letter).hexdigest(),
    )


def test_evidence_without_a_file_is_still_kept(
    staff_client: Callable[..., Client], media: Path
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    response = client.post(
        reverse("cases:evidence", args=[case.pk]), {"description": "Seen by a neighbour"}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.stored_path == "" and evidence.size == 0
    assert evidence.file is None and not StoredFile.objects.exists()
    assert evidence.sha256 == hashlib.sha256(b"").hexdigest()  # the hash of no file, as before

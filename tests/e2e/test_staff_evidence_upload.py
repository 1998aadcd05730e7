"""Staff evidence in a real browser (issue 14): a file we do not keep is refused by the file
field with the GOV.UK error summary (axe clean, at 320 px too); an accepted one is added."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from vigil.accounts.models import Role, User
from vigil.cases.models import Evidence
from vigil.cases.tests.factories import make_case
from vigil.reporting.tests.journey import pdf_bytes

from .conftest import axe_violations
from .test_cases import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_staff_see_why_a_file_is_refused_by_the_field_and_can_then_add_one(
    live_server: object,
    page: Page,
    make_staff: Callable[..., User],
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url  # type: ignore[attr-defined]
    coordinator = make_staff(Role.COORDINATOR, full_name="Cora Ordinator")
    case = make_case(by=coordinator)
    sign_in(page, base, coordinator)
    page.goto(f"{base}/staff/cases/{case.pk}/evidence/")

    program = tmp_path / "photo.png"
    program.write_bytes(b"MZ\x90\x00" * 200)
    page.get_by_label("What it is").fill("Messages from the suspect")
    page.get_by_label("File").set_input_files(program)
    page.get_by_role("button", name="Add evidence").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("must be a photo, screenshot, PDF, audio recording or video")
    expect(page.get_by_label("What it is")).to_have_value("Messages from the suspect")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not Evidence.objects.exists()

    letter = tmp_path / "letter.pdf"
    letter.write_bytes(pdf_bytes())
    page.get_by_label("File").set_input_files(letter)
    page.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_text("Evidence added.")).to_be_visible()
    assert Evidence.objects.get().content_type == "application/pdf"

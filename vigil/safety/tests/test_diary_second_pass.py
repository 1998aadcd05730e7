"""The diary, second pass (issue 16, points 5 and 12): confirm before delete and share, edit,
open attached files, and no blank page for a GET on a button's address."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from vigil.audit.models import AuditEvent
from vigil.cases.tests.factories import make_report
from vigil.reporting.tests.journey import png_bytes
from vigil.safety.models import DiaryEntry
from vigil.safety.tests.conftest import add_contact, signed_in
from vigil.safety.tests.test_diary import ENTRY, photo, write_entry

pytestmark = pytest.mark.django_db


def _url(name: str, entry: DiaryEntry) -> str:
    return reverse(f"safety:{name}", kwargs={"entry_id": entry.pk})


def test_delete_asks_first_and_keeps_the_entry_until_confirmed(alice: Client) -> None:
    entry = write_entry(alice)
    page = alice.get(_url("diary_delete", entry))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Are you sure you want to delete this entry?" in html
    assert "No, keep it" in html
    assert DiaryEntry.objects.filter(pk=entry.pk).exists()
    alice.post(_url("diary_delete", entry))
    assert not DiaryEntry.objects.filter(pk=entry.pk).exists()


def test_share_asks_first_and_says_it_cannot_be_undone(alice: Client) -> None:
    entry = write_entry(alice)
    html = alice.get(_url("diary_share", entry)).content.decode()
    assert "Share this entry with the police?" in html
    assert "You cannot change or delete it after sharing" in html
    entry.refresh_from_db()
    assert not entry.is_shared
    alice.post(_url("diary_share", entry))
    entry.refresh_from_db()
    assert entry.is_shared


def test_the_entry_page_links_to_the_confirm_pages_not_one_tap_buttons(alice: Client) -> None:
    entry = write_entry(alice)
    html = alice.get(_url("diary_entry", entry)).content.decode()
    assert f'href="{_url("diary_delete", entry)}"' in html
    assert f'href="{_url("diary_share", entry)}"' in html
    assert f'action="{_url("diary_delete", entry)}"' not in html


def test_an_entry_can_be_edited_until_it_is_shared(alice: Client) -> None:
    entry = write_entry(alice)
    page = alice.get(_url("diary_edit", entry)).content.decode()
    assert "He waited by my car" in page
    response = alice.post(_url("diary_edit", entry), {**ENTRY, "what_happened": "Changed words"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.what_happened == "Changed words"
    assert AuditEvent.objects.filter(action="safety.diary.edit").count() == 1
    alice.post(_url("diary_share", entry))
    assert alice.get(_url("diary_edit", entry)).status_code == 404


def test_an_attached_file_can_be_opened_by_its_owner_only(alice: Client) -> None:
    entry = write_entry(alice, files=[photo()])
    item = entry.files.get()
    url = reverse("safety:diary_file", kwargs={"entry_id": entry.pk, "file_id": item.pk})
    assert f'href="{url}"' in alice.get(_url("diary_entry", entry)).content.decode()
    response = alice.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]) == (
        png_bytes()
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    stranger = signed_in(make_report())
    assert stranger.get(url).status_code == 404


def test_opening_a_contact_remove_address_asks_instead_of_a_blank_page(
    alice: Client, report: object
) -> None:
    contact = add_contact(report)  # type: ignore[arg-type]
    url = reverse("safety:contact_remove", kwargs={"contact_id": contact.pk})
    response = alice.get(url)
    assert response.status_code == 200
    assert "Are you sure you want to remove Bob?" in response.content.decode()

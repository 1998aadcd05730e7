"""A short-lived undo after deleting a diary entry or removing a trusted contact (issue 16):
gone at once everywhere, back with one press on the next page, and deleted for good by the
sweep once the undo time has passed."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vigil.audit.models import AuditEvent
from vigil.common.models import StoredFile
from vigil.reporting.models import Report
from vigil.safety import services
from vigil.safety.models import DiaryEntry, DiaryFile, TrustedContact
from vigil.safety.tests.conftest import add_contact
from vigil.safety.tests.test_contacts import invitation_link
from vigil.safety.tests.test_diary import photo, write_entry

pytestmark = pytest.mark.django_db


def _undo_form(page: str) -> str:
    match = re.search(r'<form method="post" action="([^"]+/undo/)"', page)
    assert match, "no Undo on the page"
    return match.group(1)


def test_a_deleted_entry_is_gone_and_undo_on_the_next_page_puts_it_back(alice: Client) -> None:
    entry = write_entry(alice, files=[photo()])
    response = alice.post(reverse("safety:diary_delete", kwargs={"entry_id": entry.pk}))
    listing = alice.get(response["Location"]).content.decode()
    assert "Your entry has been deleted." in listing
    assert entry.what_happened not in listing
    assert (
        alice.get(reverse("safety:diary_entry", kwargs={"entry_id": entry.pk})).status_code == 404
    )
    response = alice.post(_undo_form(listing))
    assert response.status_code == 302
    page = alice.get(response["Location"]).content.decode()
    assert "Your entry is back in your diary." in page
    assert entry.what_happened in page
    assert DiaryFile.objects.filter(entry=entry).count() == 1


def test_after_the_undo_time_the_sweep_deletes_the_entry_and_its_files(
    alice: Client, django_capture_on_commit_callbacks: Any
) -> None:
    entry = write_entry(alice, files=[photo()])
    stored = Path(settings.MEDIA_ROOT) / DiaryFile.objects.get(entry=entry).stored_path
    response = alice.post(reverse("safety:diary_delete", kwargs={"entry_id": entry.pk}))
    undo_url = _undo_form(alice.get(response["Location"]).content.decode())
    later = timezone.now() + datetime.timedelta(minutes=settings.SAFETY_UNDO_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        assert "Undo" not in alice.get(response["Location"]).content.decode()
        refused = alice.post(undo_url)
        assert refused["Location"].endswith("done=too_late")
        with django_capture_on_commit_callbacks(execute=True):
            counts = services.safety_sweep()
        assert counts["purged"] == 1
        assert services.safety_sweep()["purged"] == 0  # idempotent
    assert not DiaryEntry.all_objects.filter(pk=entry.pk).exists()
    assert not stored.exists()
    assert not StoredFile.objects.exists()


def test_a_removed_contact_gets_no_alert_and_undo_puts_them_back(
    alice: Client, report: Report
) -> None:
    contact = add_contact(report)
    link = invitation_link(contact)
    response = alice.post(reverse("safety:contact_remove", kwargs={"contact_id": contact.pk}))
    listing = alice.get(response["Location"]).content.decode()
    assert "That person has been removed." in listing
    assert contact.name not in listing.split("People you trust", 2)[-1]
    # Gone for every sender and their link stops working at once.
    assert not TrustedContact.objects.filter(pk=contact.pk).exists()
    assert Client().get(link).status_code == 404
    response = alice.post(_undo_form(listing))
    assert "That person is back on your list." in alice.get(response["Location"]).content.decode()
    assert TrustedContact.objects.get(pk=contact.pk).is_confirmed


def test_undo_is_only_for_the_victims_own_report(alice: Client, report: Report) -> None:
    from vigil.cases.tests.factories import make_report
    from vigil.safety.tests.conftest import signed_in

    entry = write_entry(alice)
    alice.post(reverse("safety:diary_delete", kwargs={"entry_id": entry.pk}))
    other = signed_in(make_report())
    url = reverse("safety:diary_undo", kwargs={"entry_id": entry.pk})
    assert other.post(url)["Location"].endswith("done=too_late")
    assert DiaryEntry.objects.filter(pk=entry.pk).count() == 0


def test_deleting_an_entry_for_good_is_audited(alice: Client) -> None:
    """Issue 14: the sweep deleted the victim's entry for good with no audit row."""
    entry = write_entry(alice)
    alice.post(reverse("safety:diary_delete", kwargs={"entry_id": entry.pk}))
    later = timezone.now() + datetime.timedelta(minutes=settings.SAFETY_UNDO_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        services.safety_sweep()

    purged = AuditEvent.objects.get(action="safety.diary.purge")
    assert purged.summary == {"entry": str(entry.pk)}
    assert purged.target_id == str(entry.report_id)

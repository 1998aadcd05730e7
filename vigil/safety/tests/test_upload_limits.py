"""Diary uploads count against the same hourly limit per client address as the report's own
files (issue 16): one connection cannot fill the disk through the safety tools either."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from vigil.reporting.models import ThrottleEvent, ThrottleKind
from vigil.safety.models import DiaryFile
from vigil.safety.tests.test_diary import ENTRY, photo

pytestmark = pytest.mark.django_db


@override_settings(REPORT_UPLOADS_PER_ADDRESS_PER_HOUR=2)
def test_diary_files_past_the_hourly_limit_for_an_address_are_refused_saying_why(
    alice: Client,
) -> None:
    url = reverse("safety:diary_new")
    for _ in range(2):
        response = alice.post(url, {**ENTRY, "files": [photo()]}, REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 302
    assert ThrottleEvent.objects.filter(kind=ThrottleKind.UPLOAD_ADDRESS).count() == 2
    response = alice.post(url, {**ENTRY, "files": [photo()]}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    page = response.content.decode()
    assert "You have added a lot of files from this connection in the last hour" in page
    # The answers are kept on the page, and nothing of the refused entry was stored.
    assert ENTRY["what_happened"] in page
    assert DiaryFile.objects.count() == 2

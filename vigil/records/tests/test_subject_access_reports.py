"""Subject access finds a person who only made a report (never triaged, or never a case), by
their email or phone, as the victim or as someone who reported for a victim; the export holds
that person's data only; the search rows follow a key rotation."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role, User
from vigil.audit.models import AuditEvent
from vigil.records.subject_access import subject_access_export, subject_find
from vigil.reporting.models import Report
from vigil.reporting.services import report_message_from_reporter
from vigil.reporting.tests.test_friend_reports import _friend_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def friends_report() -> Report:
    """Bea Friend reports, through the public form, for Alice Example (alice@example.com)."""
    report = _friend_report(Client())
    report_message_from_reporter(report=report, body="Bea here, I can talk after six.")
    return report


def _export_json(dpo: User, keys: list[str]) -> tuple[dict[str, Any], str]:
    _record, content = subject_access_export(
        user=dpo, keys=keys, decision="part", reason="Third parties withheld.", subject_label="S"
    )
    whole = zipfile.ZipFile(io.BytesIO(content)).read("subject_access.json").decode()
    return json.loads(whole), whole


def test_the_victim_of_an_untriaged_report_is_found_by_email_and_by_phone(
    friends_report: Report, dpo: User
) -> None:
    by_email = subject_find(user=dpo, email=" ALICE@Example.com ")
    assert [(m.key, m.reference, m.name) for m in by_email] == [
        (f"report:{friends_report.pk}", friends_report.reference, "Alice Example")
    ]
    friends_report.victim = {**friends_report.victim, "phone": "07700 900123"}
    friends_report.save()
    by_phone = subject_find(user=dpo, phone="+44 7700 900123")
    assert [m.key for m in by_phone] == [f"report:{friends_report.pk}"]


def test_a_friend_who_reported_is_found_by_their_own_email_and_phone(
    friends_report: Report, dpo: User
) -> None:
    for found in (
        subject_find(user=dpo, email="bea@example.org"),
        subject_find(user=dpo, phone="07700900456"),
    ):
        assert [(m.key, m.name) for m in found] == [(f"reporter:{friends_report.pk}", "Bea Friend")]


def test_a_person_not_named_on_the_report_is_not_found(friends_report: Report, dpo: User) -> None:
    # The suspect's phone is in the report's answers, but a suspect is not its subject.
    assert friends_report.suspects[0]["phones"] == ["07700 900999"]
    assert subject_find(user=dpo, phone="07700 900999") == []
    assert subject_find(user=dpo, email="nobody@example.com") == []
    assert subject_find(user=dpo, email="bea@example.org")  # the index is there at all


def test_the_friends_export_holds_their_data_and_not_the_victims(
    friends_report: Report, dpo: User
) -> None:
    data, whole = _export_json(dpo, [f"reporter:{friends_report.pk}"])
    assert "Bea Friend" in whole and "bea@example.org" in whole
    assert "Bea here, I can talk after six." in whole
    for third_party in ["Alice Example", "alice@example.com", *friends_report.suspects[0]["names"]]:
        assert third_party not in whole, third_party
    assert data["withheld"]["the person you reported for"] == 1
    assert data["withheld"]["suspects named in the report"] == 1


def test_the_victims_export_of_the_friends_report_leaves_the_friend_out(
    friends_report: Report, dpo: User
) -> None:
    keys = [m.key for m in subject_find(user=dpo, email="alice@example.com")]
    data, whole = _export_json(dpo, keys)
    assert "Alice Example" in whole
    for third_party in ["Bea Friend", "bea@example.org", *friends_report.suspects[0]["names"]]:
        assert third_party not in whole, third_party
    assert data["withheld"]["the person who reported for you"] == 1


def test_rotate_keys_and_reindex_rebuild_the_report_rows(
    friends_report: Report, dpo: User, reindex_then_rotate: Callable[..., list[Any]]
) -> None:
    def look() -> list[str]:
        return [
            m.key
            for email in ("bea@example.org", "alice@example.com")
            for m in subject_find(user=dpo, email=email)
        ]

    found = [f"reporter:{friends_report.pk}", f"report:{friends_report.pk}"]
    assert reindex_then_rotate(look) == [found, [], found]
    assert AuditEvent.objects.filter(
        action="records.report.reindex", target_id=str(friends_report.pk)
    ).exists()


def test_the_dpo_page_finds_an_untriaged_report_by_email(
    friends_report: Report, staff_client: Callable[..., Client]
) -> None:
    client = staff_client(Role.DPO)
    url = reverse("records:subject_access")
    page = client.get(url, {"email": "alice@example.com"}).content.decode()
    assert friends_report.reference in page
    assert "No report or case matches" not in page
    response = client.post(
        url,
        {
            "email": "bea@example.org",
            "include": [f"reporter:{friends_report.pk}"],
            "decision": "part",
            "reason": "Third parties withheld.",
            "label": "SAR 2026/3",
        },
    )
    assert response["Content-Type"] == "application/zip"
    whole = zipfile.ZipFile(io.BytesIO(response.content)).read("subject_access.json").decode()
    assert "Bea Friend" in whole and "Alice Example" not in whole

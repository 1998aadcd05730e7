"""Reports from reporting apps: the web form's checks, nothing stored when refused, one report
per idempotency key."""

from __future__ import annotations

import base64
import copy
from typing import Any

from vigil.accounts.models import Role
from vigil.api.tests.conftest import Caller
from vigil.audit.models import AuditEvent
from vigil.notifications.models import OutboxMessage
from vigil.records.subject_access import subject_find
from vigil.reporting.models import DraftEvidence, Report, ReportDraft, ReportEvidence
from vigil.reporting.tests.journey import png_bytes

GOOD: dict[str, Any] = {
    "reporter_type": "victim",
    "immediate_danger": False,
    "victim": {"name": "Alice Example", "email": "alice@example.com", "phone": "07700 900123"},
    "safe_contact": {
        "channels": ["email"],
        "safe_times": "Weekdays 9 to 3",
        "voicemail_ok": False,
        "can_say_police": False,
        "others_may_read": False,
    },
    "suspects": [{"relationship": "ex_partner", "names": ["Mallory Sample"]}],
    "behaviours": ["following"],
    "when": {"started_on": "2026-06-01", "most_recent_on": "2026-11-20", "frequency": "weekly"},
    "incidents": [{"date": "2026-11-20", "time": "18:30", "what_happened": "Followed me home."}],
    "confirm": True,
}


def _report(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(GOOD)
    body.update(changes)
    return body


def _nothing_stored() -> None:
    assert Report.objects.count() == 0
    assert ReportDraft.objects.count() == 0
    assert ReportEvidence.objects.count() == 0
    assert DraftEvidence.objects.count() == 0


def test_a_good_report_is_received(reporting_app: Caller) -> None:
    response = reporting_app("post", "/reports", _report())
    assert response.status_code == 201
    report = Report.objects.get()
    assert response.json()["reference"] == report.reference
    assert response.json()["tracking_secret"]
    assert report.victim["name"] == "Alice Example"
    assert report.contact_prefs.channels == ("email",)
    assert report.details["incidents"][0]["what_happened"] == "Followed me home."
    assert AuditEvent.objects.filter(action="report.submit", target_id=str(report.pk)).exists()


def test_a_report_with_bad_input_gets_field_errors_and_stores_nothing(
    reporting_app: Caller,
) -> None:
    body = _report(
        victim={"name": "", "email": "not-an-email"},
        when={"started_on": "2026-11-20", "most_recent_on": "2026-06-01", "frequency": "weekly"},
        suspects=[{"relationship": "martian"}],
        confirm=False,
    )
    response = reporting_app("post", "/reports", body)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["victim.name"] == "Enter the full name"
    assert errors["victim.email"] == "Enter an email address like name@example.com"
    assert errors["when.most_recent_on"] == "The last time must be after it started"
    assert "suspects[0].relationship" in errors
    assert errors["confirm"] == "Confirm that what you have told us is true"
    _nothing_stored()


def test_contact_by_none_and_another_way_is_refused_as_on_the_web(reporting_app: Caller) -> None:
    body = _report()
    body["safe_contact"]["channels"] = ["none", "email"]
    response = reporting_app("post", "/reports", body)
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["safe_contact.channels"] == (
        "Select the safe ways to contact you, or select none, not both"
    )
    _nothing_stored()


def test_a_missing_field_is_a_field_error(reporting_app: Caller) -> None:
    body = _report()
    del body["safe_contact"]
    response = reporting_app("post", "/reports", body)
    assert response.status_code == 422
    assert "safe_contact" in {e["field"] for e in response.json()["errors"]}
    _nothing_stored()


def test_a_file_that_is_not_evidence_is_refused_and_nothing_is_stored(
    reporting_app: Caller,
) -> None:
    good = {"name": "photo.png", "content_base64": base64.b64encode(png_bytes()).decode()}
    bad = {"name": "run-me.exe", "content_base64": base64.b64encode(b"MZ\x90\x00").decode()}
    response = reporting_app("post", "/reports", _report(evidence=[good, bad]))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["evidence[1]"]
    _nothing_stored()


def test_evidence_sent_with_the_report_is_kept(reporting_app: Caller) -> None:
    good = {"name": "photo.png", "content_base64": base64.b64encode(png_bytes()).decode()}
    assert reporting_app("post", "/reports", _report(evidence=[good])).status_code == 201
    evidence = ReportEvidence.objects.get()
    assert evidence.content_type == "image/png"
    assert DraftEvidence.objects.count() == 0


def test_the_same_idempotency_key_twice_makes_one_report(reporting_app: Caller) -> None:
    first = reporting_app("post", "/reports", _report(), idempotency_key="report-7f3a")
    second = reporting_app("post", "/reports", _report(), idempotency_key="report-7f3a")
    assert first.status_code == second.status_code == 201
    assert Report.objects.count() == 1
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["reference"] == second.json()["reference"]
    # The tracking secret is given once only, never kept for a replay.
    assert first.json()["tracking_secret"]
    assert second.json()["tracking_secret"] is None


def test_two_keys_make_two_reports(reporting_app: Caller) -> None:
    reporting_app("post", "/reports", _report(), idempotency_key="one")
    reporting_app("post", "/reports", _report(), idempotency_key="two")
    assert Report.objects.count() == 2


def test_a_key_used_again_for_a_different_report_is_refused(reporting_app: Caller) -> None:
    reporting_app("post", "/reports", _report(), idempotency_key="same")
    response = reporting_app(
        "post", "/reports", _report(anything_else="More"), idempotency_key="same"
    )
    assert response.status_code == 422
    assert Report.objects.count() == 1


def test_the_victim_is_emailed_only_when_email_is_a_safe_way(reporting_app: Caller) -> None:
    by_email = _report()
    by_letter = _report()
    by_letter["safe_contact"]["channels"] = ["letter"]
    reporting_app("post", "/reports", by_email)
    reporting_app("post", "/reports", by_letter)
    emailed = OutboxMessage.objects.filter(purpose="report.received")
    assert emailed.count() == 1
    assert emailed.get().recipient == "alice@example.com"


def test_a_partner_system_cannot_send_reports(alice: Caller) -> None:
    assert alice("post", "/reports", _report()).status_code == 403
    assert Report.objects.count() == 0


def test_a_report_from_a_reporting_app_is_found_by_subject_access(
    reporting_app: Caller, make_staff: Any
) -> None:
    assert reporting_app("post", "/reports", _report()).status_code == 201
    report = Report.objects.get()
    dpo = make_staff(Role.DPO)
    assert [m.key for m in subject_find(user=dpo, phone="07700900123")] == [f"report:{report.pk}"]

"""Subject access finds reports taken by phone: by their reference, and by the victim's email
or phone; as the victim, and as the caller when a friend phoned for the victim (the caller's
own part only). The ZIP holds the phone report's data with the suspects, the victim (for a
caller) and the call handler's name left out and counted; a phone report that became a case
goes out once, with the case. The search rows follow every change, a reindex and a key
rotation."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.audit.models import AuditEvent
from vigil.cases.models import Case, PhoneReport, PriorityGrade
from vigil.cases.services import phone_report_create, triage_record
from vigil.cases.tests.factories import THRIVE, make_case, victim_of
from vigil.records.models import ErasureBasis, ReportIdentifier
from vigil.records.services import record_erase
from vigil.records.subject_access import subject_access_export, subject_find

pytestmark = pytest.mark.django_db

HANDLER = "Harriet Handler"
SUSPECT = ["Mallory Sample", "07700 900999"]
SUMMARY = "Calls every night from a withheld number; waited outside her flat on Friday."


@pytest.fixture
def handler(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.CALL_HANDLER, full_name=HANDLER)


def _phone_report(handler: User, *, caller_is_victim: bool = True) -> PhoneReport:
    return phone_report_create(
        by=handler,
        summary=SUMMARY,
        victim={"name": "Alice Example", "phone": "07700 900123", "email": "alice@example.com"},
        safe_contact={"channels": ["phone"], "safe_times": "after six"},
        suspects=[{"relationship": "ex_partner", "names": [SUSPECT[0]], "phones": [SUSPECT[1]]}],
        behaviours=["calls_messages"],
        caller_is_victim=caller_is_victim,
    )


def _triage(phone_report: PhoneReport, handler: User) -> Case:
    return triage_record(
        by=handler,
        thrive=THRIVE,
        grade=PriorityGrade.objects.get(code="priority"),
        phone_report=phone_report,
        principal_classification="harassment_s2",
    ).case


def _export(dpo: User, keys: list[str]) -> tuple[dict[str, Any], str]:
    _record, content = subject_access_export(
        user=dpo, keys=keys, decision="part", reason="Third parties withheld.", subject_label="S"
    )
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.read("subject_access.pdf").startswith(b"%PDF")
    whole = archive.read("subject_access.json").decode()
    return json.loads(whole), whole


def test_an_untriaged_phone_report_is_found_by_reference_email_and_phone(
    handler: User, dpo: User
) -> None:
    phone_report = _phone_report(handler)
    expected = [(f"phone:{phone_report.pk}", phone_report.reference, "Alice Example")]
    for found in (
        subject_find(user=dpo, reference=f" {phone_report.reference.lower()} "),
        subject_find(user=dpo, email="ALICE@example.com"),
        subject_find(user=dpo, phone="+44 7700 900123"),
    ):
        assert [(m.key, m.reference, m.name) for m in found] == expected
    assert subject_find(user=dpo, phone=SUSPECT[1]) == []  # a suspect is not its subject


def test_the_victims_export_holds_the_phone_report_and_no_third_party(
    handler: User, dpo: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    phone_report = _phone_report(handler)
    from vigil.records import subject_access

    rendered: list[str] = []
    real = subject_access.render_to_string

    def keep(*args: Any, **kwargs: Any) -> str:
        rendered.append(real(*args, **kwargs))
        return rendered[-1]

    monkeypatch.setattr(subject_access, "render_to_string", keep)
    data, whole = _export(dpo, [f"phone:{phone_report.pk}"])
    [part] = data["reports"]
    assert part["reference"] == phone_report.reference
    assert part["about_you"]["name"] == "Alice Example"
    assert part["what_we_were_told"] == SUMMARY
    assert part["how_we_may_contact_you"]["safe_times"] == "after six"
    assert part["taken_by"] == "Police staff"
    for third_party in [*SUSPECT, HANDLER]:
        assert third_party not in whole, third_party
    assert data["withheld"] == {"officers' names": 1, "suspects named in the report": 1}
    # The readable copy (the PDF's page) holds the same, and no third party either.
    [page] = rendered
    assert phone_report.reference in page and SUMMARY in page
    assert not any(third_party in page for third_party in [*SUSPECT, HANDLER])


def test_a_caller_who_was_not_the_victim_gets_only_their_own_part(handler: User, dpo: User) -> None:
    phone_report = _phone_report(handler, caller_is_victim=False)
    found = subject_find(user=dpo, reference=phone_report.reference)
    assert sorted(m.key for m in found) == [f"caller:{phone_report.pk}", f"phone:{phone_report.pk}"]
    data, whole = _export(dpo, [f"caller:{phone_report.pk}"])
    [part] = data["reports"]
    assert part["you_reported_for_someone_else"] is True
    for third_party in ["Alice Example", "alice@example.com", "07700 900123", SUMMARY, HANDLER]:
        assert third_party not in whole, third_party
    assert not any(third_party in whole for third_party in SUSPECT)
    assert data["withheld"] == {
        "officers' names": 1,
        "suspects named in the report": 1,
        "the person you reported for": 1,
        "what you told us about the person you reported for": 1,
    }
    # The victim's own export of the same call is whole, as theirs.
    victims, _whole = _export(dpo, [f"phone:{phone_report.pk}"])
    assert victims["reports"][0]["how_you_reported"] == "Someone phoned us for you"


def test_a_triaged_phone_reports_victim_goes_out_once_with_the_case(
    handler: User, dpo: User
) -> None:
    phone_report = _phone_report(handler)
    case = _triage(phone_report, handler)
    victim = victim_of(case)
    assert victim.phone_report_id == phone_report.pk
    # Found by phone: the case's victim record, which brings its phone report with it.
    found = subject_find(user=dpo, phone="07700 900123")
    assert [m.key for m in found] == [f"victim:{victim.pk}"]
    data, _whole = _export(dpo, [m.key for m in found])
    assert [r["reference"] for r in data["reports"]] == [phone_report.reference]
    assert [c["reference"] for c in data["cases"]] == [case.reference]
    assert data["reports"][0]["status"] == "Added to a case"
    # Its own reference still finds the phone report, now triaged.
    by_reference = subject_find(user=dpo, reference=phone_report.reference)
    assert [m.key for m in by_reference] == [f"phone:{phone_report.pk}"]
    # Chosen both ways, it is still exported once.
    both, _whole = _export(dpo, [f"victim:{victim.pk}", f"phone:{phone_report.pk}"])
    assert [r["reference"] for r in both["reports"]] == [phone_report.reference]


def test_the_search_rows_follow_an_edit_and_a_triage(handler: User, dpo: User) -> None:
    phone_report = _phone_report(handler)
    phone_report.victim = {**phone_report.victim, "phone": "07700 900555"}
    phone_report.save(update_fields=["victim", "updated_at"])
    assert subject_find(user=dpo, phone="07700 900123") == []
    assert [m.key for m in subject_find(user=dpo, phone="07700 900555")] == [
        f"phone:{phone_report.pk}"
    ]
    _triage(phone_report, handler)
    rows = ReportIdentifier.objects.filter(phone_report=phone_report)
    assert sorted(rows.values_list("role", "kind")) == [("victim", "email"), ("victim", "phone")]


def test_reindex_and_rotate_keys_rebuild_the_phone_report_rows(
    handler: User, dpo: User, reindex_then_rotate: Callable[..., list[Any]]
) -> None:
    phone_report = _phone_report(handler)

    def look() -> list[str]:
        return [m.key for m in subject_find(user=dpo, email="alice@example.com")]

    found = [f"phone:{phone_report.pk}"]
    assert reindex_then_rotate(look) == [found, [], found]
    assert AuditEvent.objects.filter(
        action="records.phone_report.reindex", target_id=str(phone_report.pk)
    ).exists()


def test_the_dpo_page_finds_a_phone_report_by_reference_and_downloads_it(
    handler: User, staff_client: Callable[..., Client]
) -> None:
    phone_report = _phone_report(handler)
    client = staff_client(Role.DPO)
    url = reverse("records:subject_access")
    page = client.get(url, {"reference": phone_report.reference}).content.decode()
    assert f"Phone report {phone_report.reference}: Alice Example" in page
    response = client.post(
        url,
        {
            "reference": phone_report.reference,
            "include": [f"phone:{phone_report.pk}"],
            "decision": "part",
            "reason": "Third parties withheld.",
            "label": "SAR 2026/4",
        },
    )
    assert response["Content-Type"] == "application/zip"
    whole = zipfile.ZipFile(io.BytesIO(response.content)).read("subject_access.json").decode()
    assert SUMMARY in whole and SUSPECT[0] not in whole


def test_erasing_a_phone_report_takes_its_search_rows_with_it(handler: User, dpo: User) -> None:
    """Retention and subject access agree: once erased, a phone report is not found."""
    phone_report = _phone_report(handler)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7 * 366), tick=False):
        tombstone = record_erase(record=phone_report, basis=ErasureBasis.REVIEW, by=dpo)
    assert tombstone.counts["records.ReportIdentifier"] == 2
    assert not ReportIdentifier.objects.exists()
    assert subject_find(user=dpo, email="alice@example.com") == []


CALLER = {"phone": "07700 900777", "email": "carol@example.com"}


def _called_for(handler: User) -> PhoneReport:
    """Carol phoned for Alice and left her own number and email."""
    return phone_report_create(
        by=handler,
        summary=SUMMARY,
        victim={"name": "Alice Example", "phone": "07700 900123", "email": "alice@example.com"},
        safe_contact={"channels": ["phone"]},
        suspects=[{"relationship": "ex_partner", "names": [SUSPECT[0]], "phones": [SUSPECT[1]]}],
        behaviours=["calls_messages"],
        caller_is_victim=False,
        caller=CALLER,
    )


def test_a_caller_is_found_by_their_own_email_or_phone_as_the_caller(
    handler: User, dpo: User
) -> None:
    phone_report = _called_for(handler)
    for found in (
        subject_find(user=dpo, email="CAROL@example.com"),
        subject_find(user=dpo, phone="+44 7700 900777"),
    ):
        assert [m.key for m in found] == [f"caller:{phone_report.pk}"]
    # The victim is still found by her own details, as the victim.
    assert [m.key for m in subject_find(user=dpo, email="alice@example.com")] == [
        f"phone:{phone_report.pk}"
    ]


def test_the_callers_zip_holds_their_own_details_and_withholds_everyone_else(
    handler: User, dpo: User
) -> None:
    phone_report = _called_for(handler)
    [match] = subject_find(user=dpo, email="carol@example.com")
    data, whole = _export(dpo, [match.key])
    [part] = data["reports"]
    assert part["you_reported_for_someone_else"] is True
    assert part["how_we_may_contact_you"] == CALLER
    for third_party in ["Alice Example", "alice@example.com", "07700 900123", SUMMARY, HANDLER]:
        assert third_party not in whole, third_party
    assert not any(third_party in whole for third_party in SUSPECT)
    assert data["withheld"]["the person you reported for"] == 1
    # The victim's own export of the call leaves the caller's details out, and says so.
    victims, victims_whole = _export(dpo, [f"phone:{phone_report.pk}"])
    assert CALLER["phone"] not in victims_whole and CALLER["email"] not in victims_whole
    assert victims["withheld"]["the person who reported for you"] == 1


def test_a_caller_who_is_the_victim_has_no_caller_rows(handler: User, dpo: User) -> None:
    phone_report = phone_report_create(
        by=handler,
        summary=SUMMARY,
        victim={"name": "Alice Example", "email": "alice@example.com"},
        safe_contact={},
        suspects=[],
        behaviours=[],
        caller_is_victim=True,
        caller=CALLER,
    )
    assert phone_report.caller == {}
    assert subject_find(user=dpo, email=CALLER["email"]) == []


def test_the_callers_rows_follow_an_edit_a_triage_and_an_erasure(handler: User, dpo: User) -> None:
    phone_report = _called_for(handler)
    phone_report.caller = {**CALLER, "phone": "07700 900888"}
    phone_report.save(update_fields=["caller", "updated_at"])
    assert subject_find(user=dpo, phone=CALLER["phone"]) == []
    assert [m.key for m in subject_find(user=dpo, phone="07700 900888")] == [
        f"caller:{phone_report.pk}"
    ]
    _triage(phone_report, handler)
    rows = ReportIdentifier.objects.filter(phone_report=phone_report)
    assert sorted(rows.values_list("role", "kind")) == [
        ("reporter", "email"),
        ("reporter", "phone"),
        ("victim", "email"),
        ("victim", "phone"),
    ]
    # Triaged, the caller is still found as the caller (the case holds the victim only).
    assert [m.key for m in subject_find(user=dpo, email=CALLER["email"])] == [
        f"caller:{phone_report.pk}"
    ]


def test_erasing_a_phone_report_takes_the_callers_rows_with_it(handler: User, dpo: User) -> None:
    phone_report = _called_for(handler)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7 * 366), tick=False):
        tombstone = record_erase(record=phone_report, basis=ErasureBasis.REVIEW, by=dpo)
    assert tombstone.counts["records.ReportIdentifier"] == 4
    assert subject_find(user=dpo, email=CALLER["email"]) == []


def test_reindex_and_rotate_keys_rebuild_the_callers_rows(
    handler: User, dpo: User, reindex_then_rotate: Callable[..., list[Any]]
) -> None:
    phone_report = _called_for(handler)

    def look() -> list[str]:
        return [m.key for m in subject_find(user=dpo, phone=CALLER["phone"])]

    found = [f"caller:{phone_report.pk}"]
    assert reindex_then_rotate(look) == [found, [], found]


def _added_to(case: Case, phone_report: PhoneReport, handler: User) -> None:
    triage_record(
        by=handler,
        thrive=THRIVE,
        grade=PriorityGrade.objects.get(code="priority"),
        phone_report=phone_report,
        link_to=case,
    )


def test_a_phone_report_added_to_its_victims_case_is_one_match_with_her_record(
    handler: User, dpo: User
) -> None:
    case = make_case(by=handler)  # Alice reported online first
    victim = victim_of(case)
    phone_report = _phone_report(handler)  # then phoned, giving the same number
    _added_to(case, phone_report, handler)
    found = subject_find(user=dpo, phone="07700 900123")
    assert [m.key for m in found] == [f"victim:{victim.pk}"]
    data, _whole = _export(dpo, [m.key for m in found])
    assert phone_report.reference in [r["reference"] for r in data["reports"]]
    assert [c["reference"] for c in data["cases"]] == [case.reference]


def test_a_phone_report_added_to_a_case_for_someone_else_stays_its_own_match(
    handler: User, dpo: User
) -> None:
    case = make_case(
        by=handler, victim={"name": "Dana Other", "email": "dana@example.com", "phone": ""}
    )
    phone_report = _phone_report(handler)
    _added_to(case, phone_report, handler)
    found = subject_find(user=dpo, email="alice@example.com")
    assert [m.key for m in found] == [f"phone:{phone_report.pk}"]
    # Dana's export does not carry Alice's call.
    [dana] = subject_find(user=dpo, email="dana@example.com")
    _data, whole = _export(dpo, [dana.key])
    assert phone_report.reference not in whole

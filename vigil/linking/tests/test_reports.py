from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.contact.models import SafeContact
from vigil.linking.models import Alert
from vigil.linking.selectors import candidates_for
from vigil.linking.services import link_confirm, report_suspects_sync, report_victim_key
from vigil.reporting.models import Report

pytestmark = pytest.mark.django_db


def make_report(n: int, victim: dict[str, str], suspects: list[dict[str, object]]) -> Report:
    return Report.objects.create(
        reference=f"VG-TEST-{n:04d}",
        received_at=timezone.now(),
        reporter_type="victim",
        victim=victim,
        suspects=suspects,
        contact=SafeContact.objects.create(data={"channels": []}),
        tracking_secret_hash="x",
        submission_key=f"k{n}",
    )


def test_each_suspect_in_a_report_becomes_a_record() -> None:
    report = make_report(
        1,
        {"name": "Jo Bloggs", "email": "jo@example.org"},
        [
            {"names": ["Sam Smith"], "phones": ["07700 900123"]},
            {"names": ["Alex Jones"], "social": [{"platform": "instagram", "handle": "@aj"}]},
        ],
    )
    first, second = report_suspects_sync(report=report, by=None)
    assert first.source == f"reporting.report:{report.pk}#suspect-0"
    assert first.identifiers["phones"] == ["+447700900123"]
    assert second.identifiers["socials"] == ["instagram:aj"]
    assert str(first.label) == "Suspect 1 in report VG-TEST-0001"


def test_syncing_again_updates_rather_than_duplicates() -> None:
    report = make_report(1, {"name": "Jo"}, [{"names": ["Sam Smith"]}])
    [record] = report_suspects_sync(report=report, by=None)
    report.suspects = [{"names": ["Sam Smith"], "phones": ["07700 900123"]}]
    report.save()
    [again] = report_suspects_sync(report=report, by=None)
    assert again.pk == record.pk
    assert again.identifiers["phones"] == ["+447700900123"]


def test_the_same_victim_in_two_reports_counts_once() -> None:
    key = report_victim_key({"email": "Jo.Bloggs@Example.org"}, fallback="a")
    assert key == report_victim_key({"email": "jo.bloggs@example.org "}, fallback="b")
    assert report_victim_key({}, fallback="report-1") == "report-1"


def test_suspects_of_two_victims_linked_across_reports_raise_an_alert(
    make_staff: Callable[..., User],
) -> None:
    officer = make_staff(Role.INVESTIGATOR)
    one = make_report(
        1, {"email": "a@example.org"}, [{"names": ["Sam Smith"], "phones": ["07700900123"]}]
    )
    two = make_report(
        2, {"email": "b@example.org"}, [{"names": ["Samuel Smyth"], "phones": ["+447700900123"]}]
    )
    [first] = report_suspects_sync(report=one, by=officer)
    [second] = report_suspects_sync(report=two, by=officer)
    [candidate] = candidates_for(record=second, user=officer)
    assert candidate.record == first
    link_confirm(record=second, other=candidate.record, by=officer)
    assert Alert.objects.get().victim_count == 2

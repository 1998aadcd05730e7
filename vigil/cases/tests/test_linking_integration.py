"""Suspects on cases and reports reach the linking engine, so two victims of one person meet."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from conftest import sign_in_verified
from vigil.accounts.models import Role, User
from vigil.cases import services
from vigil.cases.tests.factories import make_case, make_report
from vigil.linking.models import PersonRecord
from vigil.linking.selectors import candidates_for

pytestmark = pytest.mark.django_db


def test_triage_turns_the_reports_suspects_into_linking_records(
    make_staff: Callable[..., User],
) -> None:
    case = make_case(by=make_staff(Role.CALL_HANDLER))
    report = case.triages.get().report
    record = PersonRecord.objects.get(owner=f"reporting.report:{report.pk}")
    assert record.source.endswith("#suspect-0")


def test_two_reports_naming_the_same_suspect_show_each_other_as_candidates(
    make_staff: Callable[..., User],
) -> None:
    handler, officer = make_staff(Role.CALL_HANDLER), make_staff(Role.INVESTIGATOR)
    suspect = {"names": ["Mallory Sample"], "phones": ["07700 900999"]}
    first = make_case(
        by=handler,
        officer=officer,
        report=make_report(victim={"name": "Ann One"}, suspects=[suspect]),
    )
    second = make_case(
        by=handler,
        officer=officer,
        report=make_report(victim={"name": "Bea Two"}, suspects=[suspect]),
    )
    record = PersonRecord.objects.get(owner=f"reporting.report:{second.triages.get().report_id}")
    candidates = candidates_for(record=record, user=officer)
    owners = {c.record.owner for c in candidates}
    assert f"reporting.report:{first.triages.get().report_id}" in owners


def test_a_suspect_added_by_staff_is_offered_to_linking_and_shown_on_the_case(
    make_staff: Callable[..., User],
) -> None:
    officer = make_staff(Role.INVESTIGATOR)
    case = make_case(by=make_staff(Role.CALL_HANDLER), officer=officer)
    person = services.case_person_add(
        case=case, role="suspect", name="Sam Second", by=officer, phones=["07700 900555"]
    )
    record = PersonRecord.objects.get(source=f"cases.person:{person.pk}")
    assert record.owner == f"cases.case:{case.pk}"
    html = sign_in_verified(Client(), officer).get(reverse("cases:detail", args=[case.pk]))
    assert reverse("linking:record", args=[record.pk]) in html.content.decode()

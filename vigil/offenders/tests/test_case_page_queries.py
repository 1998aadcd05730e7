"""The case page reads the people behind its suspects once, for the warning markers and for the
order panel alike (they were read twice, one round for each)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import sign_in_verified
from vigil.accounts.models import Role, User
from vigil.offenders import services
from vigil.offenders.models import MarkerKind
from vigil.offenders.tests.helpers import applied_order, linked_cases

pytestmark = pytest.mark.django_db


def test_the_case_page_reads_the_offender_behind_the_suspect_once(
    make_staff: Callable[..., User],
) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    pair = linked_cases(
        handler=make_staff(Role.CALL_HANDLER),
        officer=make_staff(Role.INVESTIGATOR, team=None),
        other_officer=make_staff(Role.INVESTIGATOR, team=None),
        by=coordinator,
    )
    order = applied_order(case=pair.first, by=coordinator)
    services.marker_add(
        offender=order.offender, kind=MarkerKind.VIOLENCE, reason="Assault 2024", by=coordinator
    )
    client = sign_in_verified(Client(), coordinator)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("cases:detail", args=[pair.first.pk]))

    assert page.status_code == 200
    body = page.content.decode()
    assert ">Violence<" in body  # the marker
    assert reverse("offenders:person", args=[order.offender.pk]) in body  # the panel's link
    offender_reads = [
        q for q in queries.captured_queries if 'FROM "offenders_offender"' in q["sql"]
    ]
    assert len(offender_reads) == 1

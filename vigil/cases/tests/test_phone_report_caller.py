"""A friend or relative who phones for the victim: the call handler may write down how to reach
the caller (shown under "No" to "Is the caller the victim?", and on the page without
JavaScript), checked like any phone number and email, and kept only when the caller is not
the victim."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role
from vigil.cases.models import PhoneReport

pytestmark = pytest.mark.django_db

CALL = {
    "victim_name": "Bea Example",
    "victim_phone": "07700 900456",
    "suspect_relationship": "stranger",
    "summary": "Followed her home from the station.",
}


def _post(client: Client, **answers: str) -> str:
    response = client.post(reverse("cases:phone_report_new"), {**CALL, **answers})
    return response.content.decode() if response.status_code == 200 else ""


def test_the_form_asks_for_the_callers_details_under_no(
    staff_client: Callable[..., Client],
) -> None:
    page = staff_client(Role.CALL_HANDLER).get(reverse("cases:phone_report_new")).content.decode()
    assert 'data-vigil-reveals="conditional-id_caller_is_victim_1"' in page
    reveal = page.split('id="conditional-id_caller_is_victim_1"', 1)[1]
    assert reveal.index('name="caller_phone"') < reveal.index("Victim&#x27;s name")
    assert 'name="caller_email"' in reveal
    assert page.count('name="caller_phone"') == 1  # not again in the form's own order


def test_a_callers_details_are_kept_when_someone_else_phoned(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.CALL_HANDLER)
    _post(
        client,
        caller_is_victim="no",
        caller_phone="07700900777",
        caller_email="carol@example.com",
    )
    phone_report = PhoneReport.objects.get()
    assert phone_report.caller_is_victim is False
    assert phone_report.caller == {"phone": "07700 900777", "email": "carol@example.com"}
    page = client.get(reverse("cases:triage_phone", args=[phone_report.pk])).content.decode()
    assert "07700 900777" in page and "carol@example.com" in page


def test_the_callers_details_are_not_kept_when_the_caller_is_the_victim(
    staff_client: Callable[..., Client],
) -> None:
    # Typed, then "Yes" chosen: without JavaScript the boxes stay on the page as typed.
    _post(
        staff_client(Role.CALL_HANDLER),
        caller_is_victim="yes",
        caller_phone="not a number",
        caller_email="carol@example.com",
    )
    phone_report = PhoneReport.objects.get()
    assert phone_report.caller_is_victim is True
    assert phone_report.caller == {}


def test_a_bad_caller_email_is_told_by_the_field_and_keeps_every_answer(
    staff_client: Callable[..., Client],
) -> None:
    page = _post(
        staff_client(Role.CALL_HANDLER),
        caller_is_victim="no",
        caller_phone="07700 900777",
        caller_email="carol.example.com",
    )
    assert not PhoneReport.objects.exists()
    assert 'id="id_caller_email_error"' in page
    assert "Enter an email address like name@example.com" in page
    for kept in ["Bea Example", "07700 900456", "07700 900777", "carol.example.com"]:
        assert f'value="{kept}"' in page, kept
    assert re.search(r'<input type="radio" name="caller_is_victim" value="no"[^>]* checked', page)


def test_a_bad_caller_phone_is_told_by_the_field(staff_client: Callable[..., Client]) -> None:
    page = _post(staff_client(Role.CALL_HANDLER), caller_is_victim="no", caller_phone="0770 abc")
    assert not PhoneReport.objects.exists()
    assert 'id="id_caller_phone_error"' in page
    assert 'value="0770 abc"' in page

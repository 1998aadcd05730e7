"""Staff pages speak of the victim; the victim's own "you" wording is for the victim's pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role
from vigil.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_the_incident_list_on_a_case_names_behaviours_in_staff_wording(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user, details={"behaviours": ["following", "watching"]})  # type: ignore[attr-defined]
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Following the victim" in page
    assert "Watching or spying on the victim" in page
    assert "Following you" not in page
    assert "spying on you" not in page


def test_the_staff_incident_form_offers_behaviours_in_staff_wording(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    page = client.get(reverse("cases:incident_new", args=[case.pk])).content.decode()
    assert "Following the victim" in page
    assert "Following you" not in page

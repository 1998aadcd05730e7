"""The staff navigation shows a link exactly when its page opens for that member of staff."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role
from vigil.accounts.roles import STAFF_NAVIGATION

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role.values))
def test_the_navigation_links_exactly_the_pages_that_open(
    staff_client: Callable[..., Client], role: str
) -> None:
    client = staff_client(role, is_staff=role == Role.ADMINISTRATOR)
    home = client.get(reverse("accounts:home")).content.decode()
    for item in STAFF_NAVIGATION:
        url = reverse(item.url_name)
        status = client.get(url).status_code
        shown = f'href="{url}"' in home
        assert shown == (status == 200), (role, item.url_name, status)

"""`make run` prints the demo logins: every one the demo loaders make, so each role can be tried."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from vigil.accounts.demo import DEMO_STAFF, load_demo_staff
from vigil.sharing.demo import IDVA_EMAIL, load_demo_referrals

pytestmark = pytest.mark.django_db


def _printed_logins() -> str:
    out = StringIO()
    call_command("demo_logins", "--port", "8097", stdout=out)
    return out.getvalue()


def test_it_lists_every_demo_staff_login_in_order() -> None:
    load_demo_staff()

    printed = _printed_logins()

    places = [printed.index(person.email) for person in DEMO_STAFF]
    assert places == sorted(places)


def test_it_lists_the_idva_partner_the_referral_demo_adds() -> None:
    load_demo_staff()
    load_demo_referrals()

    printed = _printed_logins()

    assert IDVA_EMAIL in printed
    assert printed.index(IDVA_EMAIL) > printed.index(DEMO_STAFF[-1].email)

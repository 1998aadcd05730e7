"""Fixtures shared by every test: staff personas and a client signed in with two factors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import UserFactory, add_totp_device


def pytest_configure(config: pytest.Config) -> None:
    """Compile a translation catalogue whose .mo is missing or older than its .po. Git holds only
    the .po and `make` compiles it; this covers pytest run on its own, on a fresh checkout."""
    if hasattr(config, "workerinput"):  # an xdist worker: the controller has compiled already
        return
    for po in Path(__file__).parent.glob("locale/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalogue = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalogue)


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language() -> Iterator[None]:
    """A request in Welsh leaves Welsh active in its thread (LocaleMiddleware does not undo
    it), and the next test in the same worker would then read Welsh messages: start each test
    from the site's default language, and leave none behind."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def make_staff(db: None) -> Callable[..., User]:
    def make(role: str = Role.INVESTIGATOR, **kwargs: object) -> User:
        if role == Role.PARTNER and "agency" not in kwargs:
            from vigil.accounts.tests.factories import AgencyFactory

            kwargs["agency"] = AgencyFactory(name="Test Advocacy", kind="partner")
        user = UserFactory(role=role, **kwargs)
        add_totp_device(user)
        return user

    return make


def sign_in_verified(client: Client, user: User) -> Client:
    """Sign in as a member of staff who has passed the TOTP step."""
    client.force_login(user)
    device = user.totpdevice_set.filter(confirmed=True).first()
    assert device is not None, "staff persona has no TOTP device"
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def staff_client(make_staff: Callable[..., User]) -> Callable[..., Client]:
    def make(role: str = Role.INVESTIGATOR, **kwargs: object) -> Client:
        client = Client()
        client.user = make_staff(role, **kwargs)  # type: ignore[attr-defined]
        return sign_in_verified(client, client.user)  # type: ignore[attr-defined]

    return make

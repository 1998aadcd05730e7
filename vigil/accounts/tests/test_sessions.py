from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import sign_in_verified
from vigil.accounts.models import User
from vigil.accounts.tests.factories import TEST_PASSWORD
from vigil.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_lockout_after_five_wrong_passwords_even_with_the_right_one(
    client: Client, make_staff: Callable[..., User]
) -> None:
    user = make_staff()
    for _ in range(5):
        response = client.post("/staff/login/", {"username": user.email, "password": "wrong"})
    assert response.status_code == 429
    response = client.post("/staff/login/", {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Sign-in is locked for now" in response.content.decode()


def test_lockout_is_per_account_from_any_address(make_staff: Callable[..., User]) -> None:
    user = make_staff()
    for n in range(5):
        Client(REMOTE_ADDR=f"10.0.0.{n}").post(
            "/staff/login/", {"username": user.email, "password": "wrong"}
        )
    response = Client(REMOTE_ADDR="10.0.0.99").post(
        "/staff/login/", {"username": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 429


def test_lockout_is_per_address_across_accounts(make_staff: Callable[..., User]) -> None:
    attacker = Client(REMOTE_ADDR="192.0.2.7")
    for n in range(5):
        attacker.post("/staff/login/", {"username": f"guess{n}@test.police.uk", "password": "x"})
    victim = make_staff()
    response = attacker.post("/staff/login/", {"username": victim.email, "password": TEST_PASSWORD})
    assert response.status_code == 429
    other = Client(REMOTE_ADDR="192.0.2.8")
    response = other.post("/staff/login/", {"username": victim.email, "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_four_wrong_passwords_do_not_lock(client: Client, make_staff: Callable[..., User]) -> None:
    user = make_staff()
    for _ in range(4):
        response = client.post("/staff/login/", {"username": user.email, "password": "wrong"})
        assert "The email address or password is not right" in response.content.decode()
    response = client.post("/staff/login/", {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_an_idle_session_ends_after_the_timeout(
    make_staff: Callable[..., User], settings: object
) -> None:
    client = Client()
    start = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        sign_in_verified(client, make_staff())
        assert client.get("/staff/").status_code == 200
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get("/staff/").status_code == 200  # activity resets the clock
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get("/staff/").status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get("/staff/")
    assert response["Location"] == reverse("accounts:login") + "?timeout=1"
    assert client.get("/staff/").status_code == 302


def test_the_idle_warning_is_on_every_signed_in_page(staff_client: Callable[..., Client]) -> None:
    html = staff_client().get("/staff/").content.decode()
    assert 'data-idle-timeout="1800"' in html
    assert "You are about to be signed out" in html


def test_sign_out_everywhere_ends_other_sessions(make_staff: Callable[..., User]) -> None:
    user = make_staff()
    phone, desktop = sign_in_verified(Client(), user), sign_in_verified(Client(), user)
    assert phone.get("/staff/").status_code == 200
    response = desktop.post(reverse("accounts:logout_everywhere"))
    assert response.status_code == 302
    assert phone.get("/staff/").status_code == 302
    assert desktop.get("/staff/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout_everywhere", actor=user).exists()


def test_sign_out_needs_a_post(staff_client: Callable[..., Client]) -> None:
    client = staff_client()
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get("/staff/").status_code == 302


def test_an_outside_next_address_is_ignored(
    client: Client, make_staff: Callable[..., User]
) -> None:
    from django_otp.oath import totp

    user = make_staff()
    device = user.totpdevice_set.get()
    client.post(
        "/staff/login/?next=https://evil.example/",
        {"username": user.email, "password": TEST_PASSWORD},
    )
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post(reverse("accounts:verify"), {"token": code})
    assert response["Location"] == reverse("accounts:home")


def test_passwords_are_hashed_with_argon2(make_staff: Callable[..., User]) -> None:
    assert make_staff().password.startswith("argon2")

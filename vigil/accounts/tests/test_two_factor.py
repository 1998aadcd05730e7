from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts.middleware import TWO_FACTOR_EXEMPT
from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import TEST_PASSWORD, UserFactory
from vigil.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


PLACEHOLDERS = {"uuid": "00000000-0000-0000-0000-000000000000", "int": "1", "path": "1"}


def staff_urls() -> list[str]:
    """Every URL under /staff/, with placeholder arguments filled in."""
    found: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            else:
                found.append(route)

    walk(get_resolver().url_patterns, "/")
    urls = []
    for route in found:
        if not route.startswith("/staff/"):
            continue
        route = route.replace("^", "").replace("$", "").replace("\\Z", "")
        route = re.sub(r"<(\w+):\w+>", lambda m: PLACEHOLDERS.get(m.group(1), "x"), route)
        route = re.sub(r"<\w+>", "x", route)
        if "(?P" in route:
            continue  # the admin's regex routes; their plain siblings are covered
        urls.append(route)
    return sorted(set(urls))


def guarded_staff_urls() -> list[str]:
    exempt = {reverse(name) for name in TWO_FACTOR_EXEMPT}
    return [url for url in staff_urls() if url not in exempt]


def test_the_url_walk_finds_the_staff_pages() -> None:
    urls = staff_urls()
    assert "/staff/" in urls
    assert "/staff/account/" in urls
    assert "/staff/admin/" in urls


@pytest.mark.parametrize("url", guarded_staff_urls())
def test_every_staff_url_needs_sign_in(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", guarded_staff_urls())
def test_every_staff_url_needs_the_second_factor(client: Client, url: str) -> None:
    user = UserFactory(role=Role.ADMINISTRATOR, is_staff=True)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)  # password only
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify")


def test_password_then_code_signs_in(client: Client) -> None:
    user = UserFactory(email="ivy@test.police.uk")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)

    response = client.post(
        "/staff/login/?next=/staff/account/",
        {"username": "IVY@test.police.uk ", "password": TEST_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:verify")
    assert client.get("/staff/").status_code == 302

    response = client.post(reverse("accounts:verify"), {"token": code_for(device)})
    assert response["Location"] == "/staff/account/"
    assert client.get("/staff/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.login.verified", actor=user).exists()


def test_a_wrong_code_is_refused_with_a_message(client: Client) -> None:
    user = UserFactory()
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    response = client.post(reverse("accounts:verify"), {"token": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/staff/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.2fa.failed").exists()


def test_a_new_member_of_staff_must_enrol_before_any_staff_page(client: Client) -> None:
    user = UserFactory()
    response = client.post("/staff/login/", {"username": user.email, "password": TEST_PASSWORD})
    assert response["Location"] == reverse("accounts:setup")

    page = client.get(reverse("accounts:setup"))
    html = page.content.decode()
    assert "<svg" in html  # QR drawn inline, nothing fetched
    assert "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    )
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    response = client.post(reverse("accounts:setup"), {"token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/staff/").status_code == 200


def test_staff_with_an_authenticator_cannot_enrol_another(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client()
    response = client.get(reverse("accounts:setup"))
    assert response["Location"] == reverse("accounts:verify")


def test_the_code_must_be_six_numbers(client: Client) -> None:
    user = UserFactory()
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    response = client.post(reverse("accounts:verify"), {"token": "12ab"})
    assert "The code must be 6 numbers" in response.content.decode()


def test_a_partner_caseworker_must_belong_to_an_agency() -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("p@partner.org", "pw", full_name="P", role=Role.PARTNER)


def test_starting_to_set_up_an_authenticator_is_audited_once(client: Client) -> None:
    """Issue 14: the setup page made a second-factor key with no audit row."""
    user = UserFactory()
    client.post("/staff/login/", {"username": user.email, "password": TEST_PASSWORD})

    client.get(reverse("accounts:setup"))
    client.get(reverse("accounts:setup"))  # the same key again: nothing new to record

    started = AuditEvent.objects.filter(action="auth.2fa.setup_started", target_id=str(user.pk))
    assert started.count() == 1

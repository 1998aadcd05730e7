"""Issue 14, finding 2: behind a reverse proxy every client was one address."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib import admin
from django.core.checks import run_checks
from django.test import Client, RequestFactory, override_settings

from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import TEST_PASSWORD
from vigil.audit.models import AuditEvent
from vigil.common.client_address import client_address_hash, resolve_client_address
from vigil.reporting.models import Report
from vigil.reporting.tests.journey import fill_until_check, send

PROXY = "10.0.0.2"
BEHIND_PROXY = override_settings(VIGIL_BEHIND_PROXY=True, VIGIL_TRUSTED_PROXIES=["10.0.0.0/8"])


def through_proxy(client_ip: str) -> Client:
    """A browser at client_ip, reaching us through our own reverse proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip)


def resolve(remote: str, forwarded: str | None = None) -> str | None:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return resolve_client_address(RequestFactory().get("/", **extra))  # type: ignore[arg-type]


@BEHIND_PROXY
def test_the_client_is_the_right_most_hop_that_is_not_a_trusted_proxy() -> None:
    # A visitor may write anything at the start of the header; only our proxies' hops count.
    assert resolve(PROXY, "203.0.113.66, 198.51.100.7, 10.0.0.9") == "198.51.100.7"


@BEHIND_PROXY
def test_ports_and_ipv6_hops_are_understood() -> None:
    assert resolve(PROXY, "198.51.100.7:5123") == "198.51.100.7"
    assert resolve(PROXY, "[2001:db8::7]:443") == "2001:db8::7"


@BEHIND_PROXY
def test_the_header_from_a_client_that_is_not_our_proxy_is_ignored() -> None:
    assert resolve("198.51.100.7", "203.0.113.66") == "198.51.100.7"


@BEHIND_PROXY
def test_rubbish_in_the_header_falls_back_to_the_last_trusted_hop() -> None:
    assert resolve(PROXY, "not-an-address") == PROXY


@override_settings(VIGIL_BEHIND_PROXY=False, VIGIL_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_the_header_is_ignored_when_not_behind_a_proxy() -> None:
    assert resolve(PROXY, "198.51.100.7") == PROXY


def _reported() -> tuple[Report, str]:
    client = Client()
    fill_until_check(client)
    send(client)
    page = client.get("/report/sent/").content.decode()
    return Report.objects.get(), page.split('data-testid="secret">')[1].split("<")[0]


@pytest.mark.django_db
@BEHIND_PROXY
def test_ten_wrong_tracking_tries_by_one_client_do_not_lock_out_another() -> None:
    report, secret = _reported()
    attacker = through_proxy("198.51.100.7")
    for number in range(12):
        attacker.post("/report/track/", {"reference": f"ACDE-FGHJ-{number}", "secret": "X"})
    assert (
        attacker.post("/report/track/", {"reference": report.reference, "secret": secret})
    ).status_code == 429
    victim = through_proxy("203.0.113.9")
    response = victim.post("/report/track/", {"reference": report.reference, "secret": secret})
    assert response.status_code == 302
    assert response["Location"] == "/report/track/report/"


@pytest.mark.django_db
@BEHIND_PROXY
def test_five_wrong_staff_passwords_from_one_client_do_not_lock_out_a_colleague(
    make_staff: Callable[..., User],
) -> None:
    attacker = through_proxy("198.51.100.7")
    for number in range(5):
        attacker.post(
            "/staff/login/", {"username": f"guess{number}@test.police.uk", "password": "x"}
        )
    coordinator = make_staff(Role.COORDINATOR)
    response = through_proxy("203.0.113.9").post(
        "/staff/login/", {"username": coordinator.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.django_db
@BEHIND_PROXY
def test_the_audit_keeps_a_keyed_hash_of_the_client_never_the_address() -> None:
    report, secret = _reported()
    through_proxy("203.0.113.9").post(
        "/report/track/", {"reference": report.reference, "secret": secret}
    )
    event = AuditEvent.objects.get(action="report.track.sign_in")
    assert event.ip_address is None
    assert event.ip_hash == client_address_hash("203.0.113.9", purpose="audit")
    assert "203.0.113.9" not in str(event.summary)
    assert not AuditEvent.objects.exclude(ip_address=None).exists()


def test_the_admin_shows_no_clear_address() -> None:
    request = RequestFactory().get("/")
    request.user = User(is_active=True, is_staff=True, is_superuser=True)
    # Axes keeps staff sign-in addresses for its lockout; the admin does not show them.
    assert AccessAttempt not in admin.site._registry
    assert AccessLog not in admin.site._registry
    audit_admin = admin.site._registry.get(AuditEvent)
    assert audit_admin is None or "ip_address" not in [
        *audit_admin.get_fields(request),  # type: ignore[arg-type]
        *audit_admin.get_list_display(request),  # type: ignore[arg-type]
    ]


@override_settings(VIGIL_BEHIND_PROXY=True, VIGIL_TRUSTED_PROXIES=[])
def test_a_proxy_without_trusted_proxies_is_flagged_by_the_system_check() -> None:
    messages = [m for m in run_checks() if m.id in {"vigil.E001", "vigil.W001"}]
    assert messages and "VIGIL_TRUSTED_PROXIES" in messages[0].msg


@override_settings(
    VIGIL_BEHIND_PROXY=True,
    VIGIL_TRUSTED_PROXIES=["10.0.0.0/8"],
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
@pytest.mark.django_db
def test_only_our_proxy_may_say_the_request_came_over_https() -> None:
    direct = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_PROTO="https").get("/")
    assert direct.status_code == 301
    assert direct["Location"].startswith("https://")
    proxied = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https").get("/")
    assert proxied.status_code == 200

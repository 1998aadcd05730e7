from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable

import pytest
from django.http import HttpResponse
from django.test import Client

pytestmark = pytest.mark.django_db


def assert_security_headers(response: HttpResponse) -> None:
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Request-ID"]


def test_public_page_sends_every_security_header(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert_security_headers(response)


def test_staff_login_page_sends_every_security_header(client: Client) -> None:
    response = client.get("/staff/login/")
    assert response.status_code == 200
    assert_security_headers(response)


def test_signed_in_staff_page_sends_every_security_header(
    staff_client: Callable[..., Client],
) -> None:
    response = staff_client().get("/staff/")
    assert response.status_code == 200
    assert_security_headers(response)


def test_every_script_and_style_tag_carries_the_nonce(client: Client) -> None:
    response = client.get("/")
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    tags = re.findall(r"<(?:script|style)\b[^>]*>", response.content.decode())
    assert tags
    for tag in tags:
        assert f'nonce="{nonce}"' in tag, tag


def test_no_third_party_address_is_loaded_by_the_page(client: Client) -> None:
    html = client.get("/").content.decode()
    for attribute in ('src="http', "src='http", 'href="//', "@import"):
        assert attribute not in html


def test_hsts_and_secure_cookies_are_on_in_production() -> None:
    # Production values are computed when settings load, so load them in a fresh process.
    code = (
        "import django, os; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    env = production_env()
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    hsts, session_secure, csrf_secure, ssl_redirect, debug = result.stdout.split()
    assert int(hsts) >= 31536000
    assert (session_secure, csrf_secure, ssl_redirect, debug) == ("True", "True", "True", "False")


def production_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_")}
    env.update(
        DJANGO_SETTINGS_MODULE="vigil.settings",
        VIGIL_ENV="production",
        VIGIL_SECRET_KEY="test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        VIGIL_FIELD_KEYS="k1=9kXlcrHsIbxVOJNRXE4nYRw2nDT3W9EePC9p2J3HV2k=",
        VIGIL_BLIND_INDEX_KEY="test-blind-index-key-0123456789abcdef",
        VIGIL_AUDIT_KEY="test-audit-chain-key-0123456789abcdef",
        VIGIL_PRIVATE_RECORD_KEY="test-private-record-key-0123456789abcdef",
        VIGIL_ALLOWED_HOSTS="vigil.example",
    )
    env.update(overrides)
    return env

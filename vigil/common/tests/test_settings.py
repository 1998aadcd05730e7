from __future__ import annotations

import subprocess
import sys

import pytest

from vigil.common.tests.test_security_headers import production_env

SETUP = "import django; django.setup(); print('started')"


def start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SETUP], env=env, capture_output=True, text=True)


def test_production_starts_when_every_secret_is_set() -> None:
    result = start(production_env())
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    "secret", ["VIGIL_SECRET_KEY", "VIGIL_FIELD_KEYS", "VIGIL_BLIND_INDEX_KEY", "VIGIL_AUDIT_KEY"]
)
def test_production_refuses_to_start_without_a_secret(secret: str) -> None:
    env = production_env()
    del env[secret]
    result = start(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert secret in result.stderr
    assert "not set" in result.stderr


def test_production_is_the_default_mode() -> None:
    env = production_env()
    del env["VIGIL_ENV"]
    del env["VIGIL_SECRET_KEY"]
    result = start(env)
    assert result.returncode != 0
    assert "production mode" in result.stderr


def test_debug_is_refused_in_production() -> None:
    result = start(production_env(VIGIL_DEBUG="1"))
    assert result.returncode != 0
    assert "VIGIL_DEBUG must not be on in production" in result.stderr


def test_development_mode_starts_without_secrets() -> None:
    env = {k: v for k, v in production_env().items() if not k.startswith("VIGIL_")}
    env["VIGIL_ENV"] = "development"
    assert start(env).returncode == 0


def test_a_bad_brand_colour_is_refused() -> None:
    result = start(production_env(VIGIL_BRAND_COLOUR="red;}body{display:none"))
    assert result.returncode != 0
    assert "VIGIL_BRAND_COLOUR" in result.stderr


def test_production_refuses_to_start_behind_a_proxy_it_cannot_trust() -> None:
    result = start(production_env(VIGIL_BEHIND_PROXY="1"))
    assert result.returncode != 0
    assert "VIGIL_TRUSTED_PROXIES is not set" in result.stderr


def test_production_starts_behind_a_proxy_it_trusts() -> None:
    result = start(production_env(VIGIL_BEHIND_PROXY="1", VIGIL_TRUSTED_PROXIES="10.0.0.0/8"))
    assert result.returncode == 0, result.stderr


def test_a_trusted_proxy_that_is_not_an_address_is_refused() -> None:
    result = start(production_env(VIGIL_BEHIND_PROXY="1", VIGIL_TRUSTED_PROXIES="proxy.local"))
    assert result.returncode != 0
    assert "VIGIL_TRUSTED_PROXIES must list addresses" in result.stderr

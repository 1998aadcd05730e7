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
    "secret",
    [
        "VIGIL_SECRET_KEY",
        "VIGIL_FIELD_KEYS",
        "VIGIL_BLIND_INDEX_KEY",
        "VIGIL_AUDIT_KEY",
        "VIGIL_PRIVATE_RECORD_KEY",
    ],
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


DEVELOPMENT_VALUES = {
    "VIGIL_SECRET_KEY": "dev-only-insecure-secret-key-not-for-production",
    "VIGIL_FIELD_KEYS": "dev1=3xRcOtjXK6uN7rdnQDCpSzPkGfKTbkRjB-HwQE4Jk-4=",
    "VIGIL_BLIND_INDEX_KEY": "dev-only-blind-index-key",
    "VIGIL_AUDIT_KEY": "dev-only-audit-chain-key",
    "VIGIL_PRIVATE_RECORD_KEY": "dev-only-private-record-key",
}


@pytest.mark.parametrize("secret", sorted(DEVELOPMENT_VALUES))
def test_production_refuses_the_public_development_secrets(secret: str) -> None:
    """Issue 14, finding 7: they are printed in this repository."""
    result = start(production_env(**{secret: DEVELOPMENT_VALUES[secret]}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert secret in result.stderr
    assert "development" in result.stderr


def test_production_refuses_the_development_field_key_under_another_name() -> None:
    field_keys = "new=" + DEVELOPMENT_VALUES["VIGIL_FIELD_KEYS"].partition("=")[2]
    result = start(production_env(VIGIL_FIELD_KEYS=field_keys))
    assert result.returncode != 0
    assert "VIGIL_FIELD_KEYS uses the public development key 'new'" in result.stderr


@pytest.mark.parametrize(
    ("secret", "value", "says"),
    [
        ("VIGIL_SECRET_KEY", "k", "VIGIL_SECRET_KEY is too short: it needs at least 50"),
        ("VIGIL_BLIND_INDEX_KEY", "b", "VIGIL_BLIND_INDEX_KEY is too short: it needs at least 32"),
        ("VIGIL_AUDIT_KEY", "a" * 40, "VIGIL_AUDIT_KEY is too simple"),
        ("VIGIL_FIELD_KEYS", "k1=x", "VIGIL_FIELD_KEYS: key 'k1' is not a Fernet key"),
        ("VIGIL_FIELD_KEYS", "justakey", "VIGIL_FIELD_KEYS must be a comma-separated list"),
    ],
)
def test_production_refuses_short_or_simple_secrets_naming_the_setting(
    secret: str, value: str, says: str
) -> None:
    result = start(production_env(**{secret: value}))
    assert result.returncode != 0
    assert says in result.stderr
    if len(value) > 3:  # the error names the setting, never the secret
        assert value not in result.stderr

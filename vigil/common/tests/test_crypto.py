from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from vigil.common import crypto

OLD = "old=" + Fernet.generate_key().decode()
NEW = "new=" + Fernet.generate_key().decode()


def test_text_round_trips_and_is_not_stored_in_clear() -> None:
    token = crypto.encrypt_text("Jane Doe, 07700 900123")
    assert "Jane" not in token
    assert crypto.decrypt_text(token) == "Jane Doe, 07700 900123"


def test_each_encryption_is_different() -> None:
    assert crypto.encrypt_text("same") != crypto.encrypt_text("same")


def test_old_values_stay_readable_after_a_new_key_is_added() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD):
        token = crypto.encrypt_text("secret")
    with override_settings(FIELD_ENCRYPTION_KEYS=f"{NEW},{OLD}"):
        assert crypto.decrypt_text(token) == "secret"
        assert crypto.key_id_of(crypto.encrypt_text("x")) == "new"


def test_a_value_whose_key_was_removed_cannot_be_read() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD):
        token = crypto.encrypt_text("secret")
    with override_settings(FIELD_ENCRYPTION_KEYS=NEW), pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(token)


def test_a_changed_ciphertext_is_refused() -> None:
    token = crypto.encrypt_text("secret")
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(tampered)


def test_blind_index_is_stable_keyed_and_separated_by_purpose() -> None:
    a = crypto.blind_index("+447700900123", purpose="phone")
    assert a == crypto.blind_index("+447700900123", purpose="phone")
    assert a != crypto.blind_index("+447700900123", purpose="email")
    with override_settings(BLIND_INDEX_KEY="another key"):
        assert a != crypto.blind_index("+447700900123", purpose="phone")

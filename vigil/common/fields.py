"""Model fields that keep personal data encrypted at rest."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

from vigil.common.crypto import decrypt_text, encrypt_text

# Backup, restore and key rotation move stored values without reading them: inside
# `stored_values()` the encrypted fields hand over and accept the ciphertext unchanged, so a
# backup never holds personal data in clear and a restore does not encrypt it a second time.
_STORED_VALUES: ContextVar[bool] = ContextVar("vigil_stored_values", default=False)


@contextmanager
def stored_values() -> Iterator[None]:
    """Within this block, encrypted fields read and write their stored ciphertext as it is."""
    token = _STORED_VALUES.set(True)
    try:
        yield
    finally:
        _STORED_VALUES.reset(token)


def encrypted_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The model's own columns that hold ciphertext (for key rotation, found generically)."""
    return [
        field
        for field in model._meta.local_concrete_fields
        if isinstance(field, EncryptedTextField | EncryptedJSONField)
    ]


class EncryptedTextField(models.TextField):
    """Text stored encrypted. It cannot be filtered on: use a blind index beside it for lookups."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or _STORED_VALUES.get():
            return value
        return encrypt_text(str(value))

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        if value is None or value == "" or _STORED_VALUES.get():
            return value
        return decrypt_text(value)

    def to_python(self, value: Any) -> Any:
        return value


class EncryptedJSONField(models.TextField):
    """A JSON document stored encrypted (drafts, answers, contact preferences)."""

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        if _STORED_VALUES.get():
            return value
        return encrypt_text(json.dumps(value, sort_keys=True, default=str))

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> Any:
        if _STORED_VALUES.get():
            return value
        if value is None or value == "":
            return None
        return json.loads(decrypt_text(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and not _STORED_VALUES.get():
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def value_to_string(self, obj: models.Model) -> str:
        if _STORED_VALUES.get():  # the serializers ask here: hand over the ciphertext as it is
            return str(self.value_from_object(obj))
        return json.dumps(self.value_from_object(obj), default=str)

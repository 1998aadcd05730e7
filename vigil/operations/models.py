from __future__ import annotations

from django.db import models


class KeyState(models.Model):
    """Which blind-index key the stored indexes were last built with, as a fingerprint (a keyed
    hash of a fixed text: it reveals nothing of the key). `rotate_keys` compares it with the
    configured key to know whether the indexes must be rebuilt."""

    name = models.CharField(max_length=50, primary_key=True)
    fingerprint = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} {self.fingerprint[:12]}"

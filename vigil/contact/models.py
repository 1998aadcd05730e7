"""The one live record of how each victim may be contacted.

A report and the case's victim point at the same row, so a change from either side (the victim
on "track my report", staff on the case) is what every sender reads from that moment.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from vigil.common.fields import EncryptedJSONField
from vigil.common.models import UUIDModel
from vigil.contact.contract import SafeContactPrefs


class SafeContact(UUIDModel):
    # The contract's JSON (see contract.py), encrypted at rest.
    data: Any = EncryptedJSONField(default=dict)
    # Counts changes, so a sender can tell that the wishes moved on since it wrote its message.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "safe contact record"

    def __str__(self) -> str:
        return f"safe contact {self.pk}"

    @property
    def prefs(self) -> SafeContactPrefs:
        return SafeContactPrefs.from_json(self.data)

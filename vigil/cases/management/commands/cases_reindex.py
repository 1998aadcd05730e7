"""`manage.py cases_reindex`: re-hash case identifiers after the blind-index key changed.

A case's phone numbers and email addresses are found by their blind index (policy.py
`identifier_index`). After VIGIL_BLIND_INDEX_KEY changes, a search would find nothing until
they are re-hashed; `rotate_keys` runs this (it runs every `*_reindex` command). Safe to run
twice: a row already hashed with the current key is left as it is.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from vigil.cases.models import CaseIdentifier
from vigil.cases.policy import identifier_index


class Command(BaseCommand):
    help = "Re-hash every case identifier's blind index with the current key."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = 0
        for identifier in CaseIdentifier.objects.order_by("pk").iterator(chunk_size=500):
            digest = identifier_index(identifier.kind, identifier.value)
            if digest != identifier.blind_index:
                with transaction.atomic():
                    CaseIdentifier.objects.filter(pk=identifier.pk).update(blind_index=digest)
                changed += 1
        self.stdout.write(f"Re-hashed {changed} case identifier(s).")

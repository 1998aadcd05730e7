"""`manage.py linking_reindex`: re-hash records made with an older blind-index key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.linking import indexes
from vigil.linking.models import PersonRecord
from vigil.linking.services import person_record_reindex


class Command(BaseCommand):
    help = (
        "After adding a new key at the front of LINKING_INDEX_KEYS, re-hash every record's "
        "lookup keys with it; the old key can then be removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        current = indexes.current_key_id()
        stale = PersonRecord.objects.exclude(index_key_id=current).order_by("pk")
        done = 0
        for record in stale.iterator(chunk_size=500):
            person_record_reindex(record=record)
            done += 1
        self.stdout.write(f"Re-hashed {done} record(s) with key {current!r}.")

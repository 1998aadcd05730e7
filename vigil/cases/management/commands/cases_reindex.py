"""`manage.py cases_reindex`: rebuild case search's blind indexes and vehicle/postcode rows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vigil.cases.models import CasePerson
from vigil.cases.name_search import name_words_rebuild
from vigil.cases.services import person_identifiers_reindex


class Command(BaseCommand):
    help = (
        "Re-hash every case person's phone and email search keys with the current blind-index "
        "key, and rebuild their vehicle and postcode rows (cases made before vehicle and "
        "postcode search, or after a normaliser change), then the dictionary of name words that "
        "fuzzy search by name looks words up in. Idempotent; one person per transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="People read per query.")

    def handle(self, *args: Any, **options: Any) -> None:
        people = CasePerson.objects.order_by("pk").only("id", "case_id", "details")
        done = rows = 0
        for person in people.iterator(chunk_size=options["batch"]):
            rows += person_identifiers_reindex(person=person)
            done += 1
        self.stdout.write(f"Re-indexed {done} case person(s): {rows} search row(s).")
        words = name_words_rebuild()
        self.stdout.write(f"Name search dictionary rebuilt: {words} word(s).")

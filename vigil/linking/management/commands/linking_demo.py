"""`manage.py linking_demo`: made-up suspect records so the linking pages have something to show."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.linking.services import person_record_upsert

DEMO: list[dict[str, Any]] = [
    {
        "source": "demo.report:1#suspect-0",
        "owner": "demo.report:1",
        "label": "Suspect in demo report 1",
        "victim_key": "demo-victim-1",
        "names": ["Bill Example"],
        "date_of_birth": "1985-03-12",
        "phones": ["07700 900123"],
        "social_accounts": ["https://instagram.com/bill.example"],
    },
    {
        "source": "demo.report:2#suspect-0",
        "owner": "demo.report:2",
        "label": "Suspect in demo report 2",
        "victim_key": "demo-victim-2",
        "names": ["William Example"],
        "date_of_birth": "12/03/1985",
        "phones": ["07700 900456"],
        "vehicles": ["AB12 CDE"],
    },
    {
        "source": "demo.report:3#suspect-0",
        "owner": "demo.report:3",
        "label": "Suspect in demo report 3",
        "victim_key": "demo-victim-3",
        "names": ["W Exampel"],
        "phones": ["+44 7700 900456"],
        "emails": ["w.example+x@gmail.com"],
    },
    {
        "source": "demo.report:4#suspect-0",
        "owner": "demo.report:4",
        "label": "Suspect in demo report 4",
        "victim_key": "demo-victim-4",
        "names": ["Wilma Example"],
        "date_of_birth": "1962-07-01",
        "addresses": ["1 Sample Street, Testtown TE1 1ST"],
    },
]


class Command(BaseCommand):
    help = "Add made-up suspect records (no real people) for trying the linking pages."

    def handle(self, *args: Any, **options: Any) -> None:
        for details in DEMO:
            person_record_upsert(by=None, **details)
        self.stdout.write(f"Added or updated {len(DEMO)} demo records.")

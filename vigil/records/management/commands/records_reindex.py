"""`manage.py records_reindex`: rebuild subject access's blind indexes of reports, online and
by phone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vigil.cases.models import PhoneReport
from vigil.records.report_index import (
    phone_report_identifiers_reindex,
    report_identifiers_reindex,
)
from vigil.reporting.models import Report


class Command(BaseCommand):
    help = (
        "Re-hash every report's victim and reporter (or caller) email and phone "
        "(ReportIdentifier), online reports and phone reports, with the current blind-index "
        "key, from the report's own "
        "answers. Run by rotate_keys when the key changes. Idempotent; one report per "
        "transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="Reports read per query.")

    def handle(self, *args: Any, **options: Any) -> None:
        reports = Report.objects.order_by("pk").only("id", "reporter_type", "victim", "reporter")
        done = rows = 0
        for report in reports.iterator(chunk_size=options["batch"]):
            rows += report_identifiers_reindex(report=report)
            done += 1
        phone_reports = PhoneReport.objects.order_by("pk").only(
            "id", "victim", "caller", "caller_is_victim"
        )
        for phone_report in phone_reports.iterator(chunk_size=options["batch"]):
            rows += phone_report_identifiers_reindex(phone_report=phone_report)
            done += 1
        self.stdout.write(f"Re-indexed {done} report(s): {rows} search row(s).")

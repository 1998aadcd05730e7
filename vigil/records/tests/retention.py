"""Steps the retention tests share: a sweep on a given day, and the victim's own activity on
a report (each kind of it moves a review date), and a closed case."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.cases.models import Case
from vigil.cases.tests.factories import close_case, make_case
from vigil.records.sweep import retention_sweep
from vigil.reporting.models import Report
from vigil.reporting.services import report_evidence_add, report_message_from_reporter
from vigil.reporting.tests.journey import png_bytes
from vigil.safety.services import diary_entry_add

VICTIM_ACTIVITIES = ["message", "diary", "evidence"]
CLOSED_ON = datetime.datetime(2026, 1, 10, 12, 0, tzinfo=datetime.UTC)


def sweep_at(moment: datetime.datetime, **options: Any) -> dict[str, Any]:
    with time_machine.travel(moment, tick=False):
        return retention_sweep(**options)


def victim_acts(report: Report, activity: str, *, at: datetime.datetime) -> None:
    """The victim sends a message, writes in their diary, or adds evidence, on `at`."""
    with time_machine.travel(at, tick=False):
        if activity == "message":
            report_message_from_reporter(report=report, body="He is back outside my house.")
        elif activity == "diary":
            diary_entry_add(
                report=report, occurred_at=timezone.now(), files=[], what_happened="Followed."
            )
        else:
            report_evidence_add(
                report=report, upload=SimpleUploadedFile("b.png", png_bytes(), "image/png")
            )


def closed_case(make_staff: Callable[..., User], **case: Any) -> Case:
    """A case opened from an online report with a photo, closed on CLOSED_ON; `case` sets
    fields after closing (a risk level, an outcome), saved as the services save them."""
    officer = make_staff(Role.INVESTIGATOR)
    with time_machine.travel(CLOSED_ON - datetime.timedelta(days=30), tick=False):
        made = make_case(by=officer, officer=officer)
        report = made.triages.get().report
        report_evidence_add(
            report=report, upload=SimpleUploadedFile("photo.png", png_bytes(), "image/png")
        )
    with time_machine.travel(CLOSED_ON, tick=False):
        close_case(made, by=officer)
    made.refresh_from_db()
    if case:
        with time_machine.travel(CLOSED_ON, tick=False):
            for name, value in case.items():
                setattr(made, name, value)
            made.save()  # through the model, as the services save it: the sweep is told
    return made

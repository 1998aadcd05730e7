"""Demo data for the safety tools: a report the demo victim can sign in to, a confirmed trusted
contact, diary entries (one shared with the officer), and a check-in timer that runs out a few
minutes after `make run` starts, so the worker fires a real alert. Everything is made up."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.utils import timezone

from vigil.common.references import check_character
from vigil.contact.contract import SafeContactPrefs
from vigil.contact.services import safe_contact_create
from vigil.reporting.models import Report, ReporterType, ReportStatus
from vigil.reporting.references import hash_tracking_secret
from vigil.safety import services
from vigil.safety.models import DiaryEntry, TrustedContact

DEMO_BODY = "DEMAFETY"
DEMO_REFERENCE = f"DEMA-FETY-{check_character(DEMO_BODY)}"
DEMO_SECRET = "DEMA-FETY-TEAM-4747"  # noqa: S105 - public on purpose: demo data only
DEMO_TIMER_MINUTES = 3


def demo_report() -> Report:
    """The demo victim's report (case management triages it when it loads its demo)."""
    report = Report.objects.filter(reference=DEMO_REFERENCE).first()
    if report is not None:
        return report
    fields: dict[str, Any] = dict(
        reference=DEMO_REFERENCE,
        received_at=timezone.now() - datetime.timedelta(days=2),
        status=ReportStatus.RECEIVED,
        reporter_type=ReporterType.VICTIM,
        victim={"name": "Dana Demo", "email": "dana@example.com", "phone": "07700 900111"},
        contact=safe_contact_create(
            prefs=SafeContactPrefs(channels=("email",), safe_times="any time")
        ),
        suspects=[{"relationship": "ex_partner", "names": ["Morgan Sample"]}],
        details={
            "behaviours": ["following"],
            "incidents": [
                {
                    "date": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
                    "time": "08:15",
                    "place": "Bus stop on Mill Road",
                    "what_happened": "He was waiting at my bus stop again.",
                }
            ],
        },
        tracking_secret_hash=hash_tracking_secret(DEMO_SECRET),
        submission_key=secrets.token_hex(16),
    )
    return Report.objects.create(**fields)


def load_demo_safety() -> str:
    """Called by `manage.py load_demo`; safe to run again (a new timer each time)."""
    report = demo_report()
    if not TrustedContact.objects.filter(report=report).exists():
        TrustedContact.objects.create(
            report=report,
            name="Frankie Friend",
            email="frankie@example.org",
            known_as="Dana",
            token_hash=services.token_hash(secrets.token_urlsafe(32)),
            confirmed_at=timezone.now(),
        )
    if not DiaryEntry.objects.filter(report=report).exists():
        now = timezone.now()
        shared = services.diary_entry_add(
            report=report,
            occurred_at=now - datetime.timedelta(days=1, hours=3),
            files=[],
            place="Outside work",
            what_happened="He walked past the office window three times at lunch.",
            who_was_there="My colleague Jo saw him",
            impact="I ate lunch at my desk and felt sick all afternoon.",
        )
        services.diary_entry_share(entry=shared)
        services.diary_entry_add(
            report=report,
            occurred_at=now - datetime.timedelta(hours=5),
            files=[],
            place="Home",
            what_happened="A missed call from a withheld number at 2am.",
        )
    if services.running_timer(report) is None:
        services.location_share(report=report, place="Mill Road library", from_device=False)
        services.timer_start(
            report=report,
            plan="Walking home from the library (demo)",
            minutes=DEMO_TIMER_MINUTES,
            reminder_channel="",
            alert_officer=True,
        )
    return (
        f"Safety tools demo: track report {DEMO_REFERENCE} with secret {DEMO_SECRET} "
        f"(/report/track/); a check-in timer alerts in {DEMO_TIMER_MINUTES} minutes."
    )

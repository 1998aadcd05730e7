"""What a reporter adds after sending their report, for the staff side to act on.

Reporting is a public app and knows nothing of cases: it says what happened, and whoever works
the report (cases, once triaged) listens. Receivers run inside the reporter's transaction, so
the follow-up and what it causes on the case commit together or not at all.
"""

from __future__ import annotations

from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _


class FollowUpKind(models.TextChoices):
    INCIDENT = "incident", _("New incident")
    EVIDENCE = "evidence", _("New evidence")
    MESSAGE = "message", _("New message")
    CONTACT = "contact", _("Changed how to contact them")
    WITHDRAWAL = "withdrawal", _("Asked us to take it no further")


# Sent with: report (Report), kind (FollowUpKind), detail (str: the reporter's own words, for
# the case's timeline only, never for an email), changes (list[str], for CONTACT: what changed),
# and for INCIDENT incident (dict, the incident as stored), for EVIDENCE evidence (ReportEvidence).
report_followup = Signal()

# Sent with: report (Report), once, after a new report that says someone is in danger now is
# committed (the staff side alerts the duty supervisor at once). Receivers run outside the
# reporter's transaction and cannot undo or fail the report (sent robustly, errors logged): an
# urgent-intake alert lost here is raised again by the intake sweep.
danger_report_received = Signal()

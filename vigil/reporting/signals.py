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

# Sent with: report (Report) and started_from (str: what the draft was started from, e.g.
# "private_record:<id>" when a private record was turned into this report, else ""), once,
# after a new report has been committed. Receivers work in their own transaction (private
# records check whether anyone else names the same person; the staff side alerts the duty
# supervisor at once when someone is in danger now); a receiver's failure is logged and never
# undoes or hides the report the victim has just sent (an urgent alert lost here is raised again
# by the intake sweep).
report_submitted = Signal()

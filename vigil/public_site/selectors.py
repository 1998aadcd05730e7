"""Reads for the public site and for the staff feedback pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from vigil.accounts.models import User
from vigil.public_site.hours import OpeningStatus, opening_label, opening_status
from vigil.public_site.models import Feedback, HelpService


@dataclass(frozen=True)
class ListedService:
    service: HelpService
    status: OpeningStatus | None
    label: str


def help_directory(*, now: datetime.datetime) -> list[ListedService]:
    """Every listed help service with whether it is open at `now`."""
    listed = []
    services = HelpService.objects.filter(is_listed=True).prefetch_related("periods")
    for service in services:
        if not service.has_hours:
            listed.append(ListedService(service, None, ""))
            continue
        status = opening_status(
            periods=service.opening_periods(),
            now=now,
            always_open=service.always_open,
            closed_on_bank_holidays=service.closed_on_bank_holidays,
        )
        listed.append(ListedService(service, status, opening_label(status, now=now)))
    return listed


def help_service(*, slug: str, now: datetime.datetime) -> ListedService | None:
    for listed in help_directory(now=now):
        if listed.service.slug == slug:
            return listed
    return None


def feedback_list(*, user: User) -> QuerySet[Feedback]:
    """Feedback for staff whose role may read it; anyone else gets a 404."""
    if not user.has_perm("public_site.read_feedback"):
        raise Http404
    return Feedback.objects.order_by("-created_at")

"""Which reports a member of staff may see: scope is a queryset (vigil/cases/querysets.py).

Reporting is a public app and knows nothing of case management, yet a triaged report is in scope
exactly when its case is. Case management owns that rule and registers it here when it starts
(`register_staff_scope`); until something registers a rule, no member of staff sees any report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Q

StaffScope = Callable[[Any, str], Q]

_staff_scope: list[StaffScope] = []


def register_staff_scope(scope: StaffScope) -> None:
    """Set the rule (user, action) -> filter on Report; the last one registered wins."""
    _staff_scope[:] = [scope]


def report_scope(user: Any, action: str = "view") -> Q:
    if not _staff_scope or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return _staff_scope[0](user, action)


class ReportQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any, action: str = "view") -> ReportQuerySet:
        return self.filter(report_scope(user, action))


class ReportChildQuerySet(models.QuerySet[Any]):
    """Evidence, messages and updates of a report: in scope exactly when their report is."""

    def visible_to(self, user: Any, action: str = "view") -> ReportChildQuerySet:
        return self.filter(
            report__in=self.model._meta.get_field("report")
            .related_model.objects.visible_to(user, action)
            .values("pk")
        )

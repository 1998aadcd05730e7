"""The Django admin is for configuration data only (docs/operations.md, "The admin's limits").

No role is a superuser. Administrators keep accounts, teams, agencies and the policy tables a
force may edit (response grades, Victims' Code rules, checklists, risk tools, help services);
they see no report, case, safety record, audit row or secret (TOTP keys). Every other model an
app registers in the admin is taken out again when the project starts (`configuration_only`), so
a new admin.py cannot widen this by accident; a test checks the registry against this list.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import rules
from django.contrib import admin
from django.http import HttpRequest
from django_otp.admin import OTPAdminSite

from vigil.accounts.models import Role

CONFIGURATION_MODELS = frozenset(
    {
        "accounts.agency",
        "accounts.team",
        "accounts.user",
        "api.apiclient",  # partner systems' clients and tokens (tokens shown once, kept hashed)
        "cases.checklisttemplate",
        "cases.dutysupervisor",  # the intake duty rota: who is alerted about urgent reports
        "cases.prioritygrade",
        "cases.victimscoderule",
        "insights.area",  # the areas figures are broken down by (groups of teams)
        "public_site.helpservice",
        "risk.risktool",
        "safeguarding.measurekind",  # the measures a safety plan is made from
        "sharing.agencytype",  # partner agency types and their acknowledgement deadlines
        "sharing.partneragency",
    }
)

# The member of staff acting in the admin, for the audit rows of account changes (signals.py).
admin_actor: ContextVar[Any] = ContextVar("vigil_admin_actor", default=None)


def is_administrator(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and user.role == Role.ADMINISTRATOR
    )


class ConfigurationAdminSite(OTPAdminSite):
    """The admin for administrators who have passed the second factor, and nobody else."""

    def has_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user) and super().has_permission(request)

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def with_actor(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            token = admin_actor.set(request.user)
            try:
                return inner(request, *args, **kwargs)
            finally:
                admin_actor.reset(token)

        return with_actor


def configuration_only(site: admin.AdminSite) -> None:
    """Take every model that is not configuration out of the admin, and give administrators
    (only) the permissions to manage the rest, as `rules` (no per-user grants, no superuser)."""
    for model in list(site._registry):
        if model._meta.label_lower not in CONFIGURATION_MODELS:
            site.unregister(model)
    administrator = rules.predicate(is_administrator)
    for model, model_admin in site._registry.items():
        # A configuration model's inlines (a tool's questions, a service's hours) are part of it.
        for part in [model, *(inline.model for inline in model_admin.inlines)]:
            opts = part._meta
            rules.set_perm(opts.app_label, administrator)
            for action in ("view", "add", "change", "delete"):
                rules.set_perm(f"{opts.app_label}.{action}_{opts.model_name}", administrator)

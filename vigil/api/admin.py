"""API clients for configuration staff: make them, issue and revoke tokens.

Only administrators reach this (accounts' roles decide); a new token is shown once, on the
page that made it, and never again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Role
from vigil.api.models import ApiClient, ApiToken, Operation, operations_not_allowed
from vigil.api.services import (
    ApiClientError,
    api_client_create,
    api_client_revoke,
    api_token_create,
)


def _is_administrator(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_authenticated and user.is_active and user.has_role(Role.ADMINISTRATOR))


class ApiClientForm(forms.ModelForm[ApiClient]):
    operations = forms.MultipleChoiceField(
        label=_("Allowed operations"),
        choices=Operation.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApiClient
        fields = [
            "name",
            "kind",
            "agency",
            "team",
            "operations",
            "expires_at",
            "rate_limit_per_minute",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        not_allowed = operations_not_allowed(data.get("kind", ""), data.get("operations", []))
        if not_allowed:
            self.add_error(
                "operations",
                gettext("This kind of client cannot be given: %(operations)s.")
                % {"operations": ", ".join(not_allowed)},
            )
        return data


class ApiTokenInline(admin.TabularInline[ApiToken, ApiClient]):
    model = ApiToken
    extra = 0
    can_delete = False
    fields = ["prefix", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["prefix", "expires_at", "revoked_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin[ApiClient]):
    form = ApiClientForm
    list_display = ["name", "kind", "agency", "expires_at", "revoked_at"]
    list_filter = ["kind", "agency"]
    inlines = [ApiTokenInline]
    actions = ["issue_token", "revoke_clients"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A client's kind, agency and operations are fixed once made: make a new client instead,
        # so the audit log says plainly who could do what, and when.
        return _is_administrator(request) and obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke instead: the audit log refers to the client

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # Not inside the admin's own transaction: `api_client_create` is a write service, the
        # one durable transaction that makes the client, its token and its audit row.
        return self._changeform_view(request, object_id, form_url, extra_context)  # type: ignore[attr-defined]

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        data = form.cleaned_data
        try:
            client, issued = api_client_create(
                name=data["name"],
                kind=data["kind"],
                agency=data["agency"],
                team=data.get("team"),
                operations=list(data["operations"]),
                expires_at=data["expires_at"],
                rate_limit_per_minute=data["rate_limit_per_minute"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ApiClientError as error:
            messages.error(request, " ".join(error.messages))
            return
        obj.pk = client.pk
        request.api_issued = [(client, issued.secret)]  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: ApiClient, post_url_continue: Any = None
    ) -> HttpResponse:
        issued = getattr(request, "api_issued", None)
        if not issued:
            return self.response_post_save_add(request, obj)
        return self._show_once(request, issued)

    def _show_once(self, request: HttpRequest, issued: list[tuple[ApiClient, str]]) -> HttpResponse:
        # On the page itself, never in a message: messages can travel in a cookie.
        return TemplateResponse(
            request,
            "api/admin_token.html",
            {**self.admin_site.each_context(request), "issued": issued, "opts": self.opts},
        )

    @admin.action(description=_("Issue a new token"))
    def issue_token(
        self, request: HttpRequest, queryset: QuerySet[ApiClient]
    ) -> HttpResponse | None:
        issued = []
        for client in queryset:
            try:
                token = api_token_create(client=client, by=request.user)  # type: ignore[arg-type]
            except ApiClientError as error:
                messages.error(request, " ".join(error.messages))
                continue
            issued.append((client, token.secret))
        return self._show_once(request, issued) if issued else None

    @admin.action(description=_("Revoke the client and all its tokens"))
    def revoke_clients(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        for client in queryset:
            api_client_revoke(client=client, by=request.user)  # type: ignore[arg-type]
        messages.success(request, gettext("Revoked."))

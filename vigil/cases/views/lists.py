"""Staff work lists: cases, overdue work, the audit log, needs attention.

Thin: parse, call one service or selector, render.
"""

from __future__ import annotations

from uuid import UUID

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST

from vigil.cases import followups, selectors
from vigil.cases.forms import (
    AuditFilterForm,
    SearchForm,
)
from vigil.cases.markers import attach_markers
from vigil.cases.views._common import request_user

PAGE_SIZE = 50


COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows: an exact count of every case in the force costs a full scan
    on each page view, and past ten thousand the number helps no one; a search does."""

    @cached_property
    def count(self) -> int:
        # Without the list's order: a count needs none, and "ORDER BY last activity" made
        # PostgreSQL walk that index filtering every row by scope (37 ms at a million cases,
        # against 2 ms for any 10,001 rows in scope).
        return self.object_list.order_by()[: COUNT_CAP + 1].count()  # type: ignore[attr-defined]

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


def case_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not user.has_perm("cases.use_case_list"):
        raise Http404
    form = SearchForm(request.GET or None)
    search = selectors.CaseSearch()
    if form.is_valid():
        data = form.cleaned_data
        search = selectors.CaseSearch(
            text=data["q"],
            classification=data["classification"],
            officer=data["officer"].pk if data["officer"] else None,
            status=data["status"],
            risk=data["risk"],
        )
    cases = selectors.case_search(user=user, search=search)
    page = CappedPaginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    # Evaluated once, so each case keeps the warning markers given to it.
    page.object_list = list(page.object_list)
    attach_markers(user, page.object_list)
    return render(
        request,
        "cases/case_list.html",
        {"search_form": form, "page": page, "searched": bool(request.GET)},
    )


def overdue(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    actions = list(selectors.overdue_actions(user=user)[:500])
    duties = list(selectors.overdue_duties(user=user)[:500])
    return render(
        request,
        "cases/overdue.html",
        {
            "actions": actions,
            "duties": duties,
            "by_owner": selectors.overdue_counts_by_owner(actions),
        },
    )


def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, str] = {}
    if form.is_valid():
        filters = {k: v.strip() for k, v in form.cleaned_data.items() if v}
    events = selectors.audit_events(user=request_user(request), **filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/audit_log.html", {"filter_form": form, "page": page})


@require_POST
def attention_seen(request: HttpRequest, item_id: UUID) -> HttpResponse:
    """Take an item off the "needs attention" list; only the people whose list shows it may."""
    user = request_user(request)
    item = get_object_or_404(followups.needs_attention(user=user), pk=item_id)
    followups.attention_seen(item=item, by=user)
    return redirect(reverse("accounts:home") + "#needs-attention")

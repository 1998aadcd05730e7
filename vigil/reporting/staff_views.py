"""Staff intake of online reports (minimal until case management takes them over)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.common.stored_files import stored_file_response
from vigil.reporting import forms, services
from vigil.reporting.models import MessageDirection
from vigil.reporting.presentation import report_sections
from vigil.reporting.selectors import report_get, report_list


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_safe
def intake_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    reports = report_list(user=user)
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    audit_record(action="report.list", actor=user, summary={"page": page.number})
    return render(request, "reporting/staff_list.html", {"page_obj": page})


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, report_id: str) -> HttpResponse:
    user = _user(request)
    report = report_get(
        user=user, report_id=report_id, action="change" if request.method == "POST" else "view"
    )
    form = forms.StaffMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_message_to_reporter(report=report, body=form.cleaned_data["body"], by=user)
        messages.success(request, _("Your message is waiting for the reporter."))
        return HttpResponseRedirect(reverse("reporting_staff:detail", args=[report.pk]))
    services.report_open_for_staff(report=report, by=user)
    services.report_messages_mark_read(
        report=report, direction=MessageDirection.FROM_REPORTER, by=user
    )
    evidence = list(report.evidence.select_related("file"))
    payload = {
        "reporter_type": report.reporter_type,
        "immediate_danger": report.immediate_danger,
        "victim": report.victim,
        "reporter": report.reporter,
        "safe_contact": report.contact_prefs,
        "reporter_safe_contact": report.reporter_contact.prefs if report.reporter_contact else None,
        "victim_knows": report.victim_knows,
        "victim_contact_safe": report.victim_contact_safe,
        "suspects": report.suspects,
        "details": report.details,
    }
    return render(
        request,
        "reporting/staff_detail.html",
        {
            "report": report,
            "sections": report_sections(payload, files=evidence),
            "evidence": evidence,
            "messages_list": list(report.messages.select_related("author")),
            "form": form,
        },
    )


@require_safe
def evidence_download(
    request: HttpRequest, report_id: str, evidence_id: str
) -> StreamingHttpResponse:
    user = _user(request)
    report = report_get(user=user, report_id=report_id)
    item = report.evidence.select_related("file").filter(pk=evidence_id).first()
    if item is None:
        raise Http404
    audit_record(
        action="report.evidence.download",
        actor=user,
        target=report,
        summary={"evidence": str(item.pk), "sha256": item.sha256},
    )
    return stored_file_response(item.file, filename=f"evidence-{item.sha256[:12]}")

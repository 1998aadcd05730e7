"""Intake pages: the queue, phone reports, triage.

Thin: parse, call one service or selector, render.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.cases import selectors, services
from vigil.cases.forms import (
    PhoneReportForm,
    TriageForm,
)
from vigil.cases.models import (
    PhoneReport,
)
from vigil.cases.triage_details import triage_details
from vigil.cases.views._common import request_user, to_case
from vigil.reporting.models import Report


def intake_queue(request: HttpRequest) -> HttpResponse:
    items = selectors.intake_queue(user=request_user(request))
    return render(request, "cases/intake_queue.html", {"items": items, "now": timezone.now()})


def phone_report_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not user.has_perm("cases.add_phone_report"):
        raise Http404
    form = PhoneReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        suspect = {
            "relationship": data["suspect_relationship"],
            "names": [data["suspect_name"]] if data["suspect_name"] else [],
            "phones": [data["suspect_phone"]] if data["suspect_phone"] else [],
        }
        phone_report = services.phone_report_create(
            by=user,
            summary=data["summary"],
            victim={
                "name": data["victim_name"],
                "phone": data["victim_phone"],
                "email": data["victim_email"],
            },
            safe_contact=form.prefs().to_json(),
            suspects=[suspect],
            behaviours=data["behaviours"],
            immediate_danger=data["immediate_danger"],
            caller_is_victim=data["caller_is_victim"],
            caller=form.caller(),
        )
        messages.success(
            request, _("Phone report %(ref)s saved.") % {"ref": phone_report.reference}
        )
        return redirect("cases:triage_phone", phone_report.pk)
    return render(request, "cases/phone_report_form.html", {"form": form})


def _triage(
    request: HttpRequest, *, report: Report | None, phone_report: PhoneReport | None
) -> HttpResponse:
    user = request_user(request)
    item: Report | PhoneReport = report or phone_report  # type: ignore[assignment]
    if hasattr(item, "triage"):
        case = item.triage.case
        messages.info(request, _("This report has already been triaged."))
        if user.has_perm("cases.view_case", case):
            return to_case(case)
        return redirect("cases:intake")
    form = TriageForm(request.POST or None, immediate_danger=item.immediate_danger)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        link_to = None
        if data["decision"] == "link":
            link_to = (
                selectors.case_queryset(user=user)
                .filter(reference__iexact=data["link_reference"].strip())
                .first()
            )
            if link_to is None:
                form.add_error("link_reference", _("No case you can see has that reference"))
        if not form.errors:
            try:
                triage = services.triage_record(
                    by=user,
                    thrive=form.thrive(),
                    grade=data["grade"],
                    report=report,
                    phone_report=phone_report,
                    principal_classification=data["principal_classification"],
                    link_to=link_to,
                )
            except services.CaseError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Triage recorded. Case %(ref)s.") % {"ref": triage.case.reference},
                )
                return to_case(triage.case)
    details = triage_details(user=user, report=report, phone_report=phone_report)
    return render(
        request,
        "cases/triage.html",
        {
            "form": form,
            "report": report,
            "phone_report": phone_report,
            "suspects": details.suspects,
            "details": details,
        },
    )


def triage_online(request: HttpRequest, report_id: UUID) -> HttpResponse:
    report = selectors.intake_report_get(user=request_user(request), report_id=report_id)
    return _triage(request, report=report, phone_report=None)


def triage_phone(request: HttpRequest, phone_report_id: UUID) -> HttpResponse:
    phone_report = selectors.intake_phone_report_get(
        user=request_user(request), phone_report_id=phone_report_id
    )
    return _triage(request, report=None, phone_report=phone_report)

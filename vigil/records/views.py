from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.records import selectors, services
from vigil.records.forms import (
    EraseForm,
    HoldForm,
    KeepForm,
    LiftForm,
    SubjectExportForm,
    SubjectSearchForm,
)
from vigil.records.models import RecordKind
from vigil.records.rules import is_records_officer
from vigil.records.subject_access import (
    SubjectAccessError,
    SubjectMatch,
    subject_access_export,
    subject_find,
)

SEARCH_FIELDS = ("reference", "email", "phone")


def queue(request: HttpRequest) -> HttpResponse:
    reviews = selectors.review_queue(user=request.user)
    holds = selectors.holds_active(user=request.user)
    return render(request, "records/queue.html", {"reviews": reviews[:200], "holds": holds[:200]})


def erased(request: HttpRequest) -> HttpResponse:
    return render(
        request, "records/erased.html", {"tombstones": selectors.tombstones(user=request.user)}
    )


def case_record(request: HttpRequest, case_id: UUID) -> HttpResponse:
    return record_page(request, RecordKind.CASE, case_id)


def report_record(request: HttpRequest, report_id: UUID) -> HttpResponse:
    return record_page(request, RecordKind.REPORT, report_id)


def phone_report_record(request: HttpRequest, phone_report_id: UUID) -> HttpResponse:
    return record_page(request, RecordKind.PHONE_REPORT, phone_report_id)


def record_page(request: HttpRequest, kind: str, record_id: UUID) -> HttpResponse:
    """One record's retention: its review, its holds, and the DPO's decisions."""
    retention = selectors.record_retention(user=request.user, kind=kind, record_id=record_id)
    record = retention.record
    which = request.POST.get("form") if request.method == "POST" else None
    post = request.POST if request.method == "POST" else None
    hold_form = HoldForm(post if which == "hold" else None, prefix="hold")
    lift_form = LiftForm(post if which == "lift" else None, prefix="lift")
    keep_form = KeepForm(post if which == "keep" else None, prefix="keep")
    erase_form = EraseForm(
        post if which == "erase" else None, prefix="erase", reference=record.reference
    )
    forms_by_name: dict[str, forms.Form] = {
        "hold": hold_form,
        "lift": lift_form,
        "keep": keep_form,
        "erase": erase_form,
    }
    user = request.user
    if which in forms_by_name and forms_by_name[which].is_valid():
        data = forms_by_name[which].cleaned_data
        try:
            if which == "hold":
                services.record_hold_set(record=record, reason=data["reason"], by=user)  # type: ignore[arg-type]
                messages.success(request, _("The record is on legal hold."))
            elif which == "lift":
                services.record_hold_lift(record=record, reason=data["reason"], by=user)  # type: ignore[arg-type]
                messages.success(request, _("The legal hold is lifted."))
            elif which == "keep":
                services.record_keep(
                    record=record,
                    years=data["years"],
                    reason=data["reason"],
                    by=user,  # type: ignore[arg-type]
                )
                messages.success(request, _("The record is kept. Its next review date is set."))
            else:
                services.record_erase(record=record, basis=data["basis"], by=user)  # type: ignore[arg-type]
                messages.success(request, _("%(ref)s was deleted.") % {"ref": record.reference})
                return redirect("records:erased")
            return redirect(f"records:{kind}", record.pk)
        except services.RetentionError as refused:
            forms_by_name[which].add_error(None, refused.messages[0])
    form = next((f for f in forms_by_name.values() if f.errors), None)
    return render(
        request,
        "records/case.html",
        {
            "record": retention,
            "subject": record,
            "kind_label": RecordKind(kind).label,
            "form": form,
            "hold_form": hold_form,
            "lift_form": lift_form,
            "keep_form": keep_form,
            "erase_form": erase_form,
            "erase_refusal": services.erase_refusal(record, now=timezone.now()),
        },
    )


def subject_access(request: HttpRequest) -> HttpResponse:
    """Find a person's records, choose what to include, record the decision, download."""
    source = request.POST if request.method == "POST" else request.GET
    search = SubjectSearchForm(source if any(source.get(k) for k in SEARCH_FIELDS) else None)
    if not is_records_officer(request.user):
        raise Http404
    matches: list[SubjectMatch] = []
    if search.has_query():
        matches = subject_find(user=request.user, **search.cleaned_data)
    export_form = SubjectExportForm(
        request.POST if request.method == "POST" else None, matches=matches
    )
    if request.method == "POST" and export_form.is_valid():
        data = export_form.cleaned_data
        try:
            record, content = subject_access_export(
                user=request.user,  # type: ignore[arg-type]
                keys=data["include"],
                decision=data["decision"],
                reason=data["reason"],
                subject_label=data["label"],
            )
        except SubjectAccessError as refused:
            export_form.add_error(None, str(refused))
        else:
            response = HttpResponse(content, content_type="application/zip")
            stamp = timezone.localtime(record.created_at).strftime("%Y%m%d-%H%M")
            response["Content-Disposition"] = f'attachment; filename="subject-access-{stamp}.zip"'
            return response
    return render(
        request,
        "records/subject_access.html",
        {
            "search": search,
            "matches": matches,
            "export_form": export_form,
            # The layout's error summary shows the form with errors: the search's or the export's.
            "form": search if search.errors else (export_form if export_form.errors else None),
            "searched": search.is_bound,
        },
    )

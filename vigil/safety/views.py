"""The victim's safety pages, reached through "track my report". Views are thin: the writes are
in services.py. Every page tells the victim to call 999 in an emergency."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from vigil.common.client_address import client_address
from vigil.common.stored_files import stored_file_response
from vigil.reporting.api import EvidenceRejected
from vigil.reporting.models import Report
from vigil.reporting.tracking import tracked_report
from vigil.safety import forms, services
from vigil.safety.pdf import diary_pdf
from vigil.safety.selectors import (
    contact_get,
    contact_list,
    diary_entry_get,
    diary_list,
    timer_last_alerted,
)

View = Callable[..., HttpResponseBase]


def _signed_in(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        report = tracked_report(request)
        if report is None:
            return HttpResponseRedirect(reverse("reporting:track"))
        return view(request, report, *args, **kwargs)

    return wrapper


def _done(name: str, flag: str) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse(name)}?done={flag}")


@require_safe
@_signed_in
def hub(request: HttpRequest, report: Report) -> HttpResponse:
    return render(
        request,
        "safety/hub.html",
        {
            "report": report,
            "timer": services.running_timer(report),
            "contacts": list(contact_list(report=report)),
        },
    )


# --- Trusted contacts ---------------------------------------------------------------------------


@require_safe
@_signed_in
def contacts(request: HttpRequest, report: Report) -> HttpResponse:
    undo = services.contact_restorable(report=report, contact_id=request.GET.get("undo"))
    return render(
        request,
        "safety/contacts.html",
        {
            "contacts": list(contact_list(report=report)),
            "done": request.GET.get("done"),
            "undo_url": reverse("safety:contact_undo", args=[undo.pk]) if undo else "",
            "undo_minutes": settings.SAFETY_UNDO_MINUTES,
        },
    )


@require_http_methods(["GET", "POST"])
@_signed_in
def contact_add(request: HttpRequest, report: Report) -> HttpResponse:
    form = forms.ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_add(
                report=report, site_url=request.build_absolute_uri("/"), **form.cleaned_data
            )
        except services.SafetyError as error:
            form.add_error(None, error)
        else:
            return _done("safety:contacts", "added")
    return render(request, "safety/contact_add.html", {"form": form})


@require_http_methods(["GET", "POST"])
@_signed_in
def contact_remove(request: HttpRequest, report: Report, contact_id: Any) -> HttpResponse:
    contact = contact_get(report=report, contact_id=contact_id)
    if request.method != "POST":  # an opened address asks, rather than a blank "405" page
        return render(
            request,
            "safety/confirm.html",
            {
                "title": _("Are you sure you want to remove %(name)s?") % {"name": contact.name},
                "text": _("They will not get any more alerts from you."),
                "button": _("Yes, remove them"),
                "warning": True,
                "back_url": reverse("safety:contacts"),
                "back_text": _("No, keep them"),
            },
        )
    services.contact_remove(contact=contact)
    return HttpResponseRedirect(reverse("safety:contacts") + f"?done=removed&undo={contact.pk}")


@require_POST
@_signed_in
def contact_undo(request: HttpRequest, report: Report, contact_id: Any) -> HttpResponse:
    try:
        services.contact_restore(report=report, contact_id=contact_id)
    except services.SafetyError:
        return _done("safety:contacts", "too_late")
    return _done("safety:contacts", "restored")


@require_http_methods(["GET", "POST"])
def contact_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """For the contact, not the victim: a button, so a link preview cannot agree for them."""
    from vigil.safety.models import TrustedContact

    contact = TrustedContact.objects.filter(token_hash=services.token_hash(token)).first()
    if contact is not None and request.method == "POST":
        if request.POST.get("action") == "decline":
            contact = services.contact_decline(token=token)
        else:
            contact = services.contact_confirm(token=token)
    return render(
        request,
        "safety/contact_confirm.html",
        {
            "contact": contact,
            "confirmed": bool(contact and contact.is_confirmed),
            "declined": bool(contact and contact.is_declined),
        },
        status=200 if contact else 404,
    )


# --- Check-in timer -----------------------------------------------------------------------------

# The only page allowed to ask the browser for a location, and only for this site.
GEOLOCATION_SELF = settings.PERMISSIONS_POLICY.replace("geolocation=()", "geolocation=(self)")


@require_http_methods(["GET", "POST"])
@_signed_in
def timer(request: HttpRequest, report: Report) -> HttpResponse:
    running = services.running_timer(report)
    channels = services.safe_reminder_channels(report)
    # Which button was pressed, so that a start form left open in another tab cannot quietly
    # extend a timer that is already running (or the other way round).
    action = request.POST.get("action") if request.method == "POST" else None
    start_form = forms.TimerForm(request.POST if action == "start" else None, channels=channels)
    extend_form = forms.ExtendForm(request.POST if action == "extend" else None)
    if action:
        try:
            if action == "start" and running is not None:
                return _done("safety:timer", "already")
            if action == "start" and start_form.is_valid():
                services.timer_start(report=report, **start_form.cleaned_data)
                return _done("safety:timer", "started")
            if action == "extend" and running is None:
                return _done("safety:timer", "ended")
            if action == "extend" and running is not None and extend_form.is_valid():
                services.timer_extend(timer=running, minutes=extend_form.cleaned_data["minutes"])
                return _done("safety:timer", "extended")
        except services.SafetyError as error:
            (start_form if action == "start" else extend_form).add_error(None, error)
    form = start_form if running is None else extend_form
    response = render(
        request,
        "safety/timer.html",
        {
            "form": form,
            "timer": running,
            "location": services.last_location(report),
            "location_form": forms.LocationForm(),
            "contacts_confirmed": contact_list(report=report)
            .filter(confirmed_at__isnull=False)
            .count(),
            "done": request.GET.get("done"),
            "seconds_left": _seconds_left(running),
            "alerted": timer_last_alerted(report=report) if running is None else None,
        },
    )
    response["Permissions-Policy"] = GEOLOCATION_SELF
    return response


def _seconds_left(running: Any) -> int:
    if running is None:
        return 0
    return max(0, int((running.due_at - timezone.now()).total_seconds()))


@require_safe
@_signed_in
def timer_status(request: HttpRequest, report: Report) -> JsonResponse:
    """Asked every minute by the timer page's script: keeps its sign-in alive while a timer
    runs (through tracked_report), and tells the countdown when the timer has ended."""
    running = services.running_timer(report)
    return JsonResponse({"running": running is not None, "seconds_left": _seconds_left(running)})


@require_http_methods(["GET", "POST"])
def timer_stop_link(request: HttpRequest, token: str) -> HttpResponse:
    """The "I am safe" link in a reminder. Opening it only shows a button (mail scanners open
    links too); pressing it stops the timer, signed in or not."""
    if request.method == "POST":
        try:
            services.timer_stop_by_link(token=token)
        except services.SafetyError as error:
            return render(request, "safety/timer_link.html", {"refused": error.message})
        return render(request, "safety/timer_link.html", {"stopped": True})
    return render(request, "safety/timer_link.html", {})


@require_safe
def place(request: HttpRequest) -> HttpResponse:
    """Where the victim was, for a trusted contact who got an alert: the coordinates, a link
    that opens the phone's own map app, and no map from another site (which would tell that
    site who is looking, and where)."""
    try:
        latitude = float(request.GET.get("lat", ""))
        longitude = float(request.GET.get("lon", ""))
    except ValueError:
        raise Http404 from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise Http404
    return render(
        request,
        "safety/place.html",
        {"latitude": f"{latitude:.5f}", "longitude": f"{longitude:.5f}"},
    )


@require_POST
@_signed_in
def timer_stop(request: HttpRequest, report: Report) -> HttpResponse:
    running = services.running_timer(report)
    if running is not None:
        services.timer_cancel(timer=running)
    return _done("safety:timer", "stopped")


@require_POST
@_signed_in
def location(request: HttpRequest, report: Report) -> HttpResponse:
    form = forms.LocationForm(request.POST)
    if form.is_valid():
        services.location_share(report=report, **form.cleaned_data)
        return _done("safety:timer", "location")
    response = render(
        request,
        "safety/location.html",
        {"form": form},
    )
    response["Permissions-Policy"] = GEOLOCATION_SELF
    return response


@require_http_methods(["GET", "POST"])
@_signed_in
def alert_now(request: HttpRequest, report: Report) -> HttpResponse:
    form = forms.AlertNowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        alert = services.alert_send_now(report=report, **form.cleaned_data)
        return render(request, "safety/alert_sent.html", {"alert": alert})
    return render(
        request,
        "safety/alert_now.html",
        {"form": form, "location": services.last_location(report)},
    )


# --- Diary --------------------------------------------------------------------------------------


@require_safe
@_signed_in
def diary(request: HttpRequest, report: Report) -> HttpResponse:
    undo = services.diary_entry_restorable(report=report, entry_id=request.GET.get("undo"))
    return render(
        request,
        "safety/diary.html",
        {
            "entries": list(diary_list(report=report)),
            "done": request.GET.get("done"),
            "has_case": services.case_for_report(report) is not None,
            "undo_url": reverse("safety:diary_undo", args=[undo.pk]) if undo else "",
            "undo_minutes": settings.SAFETY_UNDO_MINUTES,
        },
    )


@require_http_methods(["GET", "POST"])
@_signed_in
def diary_new(request: HttpRequest, report: Report) -> HttpResponse:
    form = forms.DiaryEntryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.diary_entry_add(
                report=report,
                occurred_at=form.occurred_at(),
                files=form.cleaned_data["files"],
                address=client_address(request),
                **form.entry_fields(),
            )
        except EvidenceRejected as error:
            form.add_error("files", error)
        else:
            return _done("safety:diary", "added")
    return render(request, "safety/diary_new.html", {"form": form})


@require_safe
@_signed_in
def diary_entry(request: HttpRequest, report: Report, entry_id: Any) -> HttpResponse:
    return render(
        request,
        "safety/diary_entry.html",
        {
            "entry": diary_entry_get(report=report, entry_id=entry_id),
            "done": request.GET.get("done"),
        },
    )


def _entry_url(entry: Any) -> str:
    return reverse("safety:diary_entry", kwargs={"entry_id": entry.pk})


@require_http_methods(["GET", "POST"])
@_signed_in
def diary_share(request: HttpRequest, report: Report, entry_id: Any) -> HttpResponse:
    """Sharing cannot be taken back (the officer may already have read it), so it is asked
    first, on its own page: one tap on the entry page no longer shares (issue 16)."""
    entry = diary_entry_get(report=report, entry_id=entry_id)
    if request.method != "POST":
        has_case = services.case_for_report(report) is not None
        return render(
            request,
            "safety/confirm.html",
            {
                "title": _("Share this entry with the police?"),
                "text": _(
                    "The officer dealing with your report will see this entry and its files. "
                    "You cannot change or delete it after sharing."
                )
                if has_case
                else _(
                    "Your report does not have an officer yet. We will pass this entry on as "
                    "soon as it does. You cannot change or delete it after sharing."
                ),
                "button": _("Yes, share it"),
                "back_url": _entry_url(entry),
                "back_text": _("No, not now"),
            },
        )
    services.diary_entry_share(entry=entry)
    return _done("safety:diary", "shared")


@require_http_methods(["GET", "POST"])
@_signed_in
def diary_delete(request: HttpRequest, report: Report, entry_id: Any) -> HttpResponse:
    entry = diary_entry_get(report=report, entry_id=entry_id)
    if request.method != "POST":
        return render(
            request,
            "safety/confirm.html",
            {
                "title": _("Are you sure you want to delete this entry?"),
                "text": _(
                    "The entry and its files are deleted. You can undo this for %(minutes)s "
                    "minutes, then they are deleted for good."
                )
                % {"minutes": settings.SAFETY_UNDO_MINUTES},
                "button": _("Yes, delete it"),
                "warning": True,
                "back_url": _entry_url(entry),
                "back_text": _("No, keep it"),
            },
        )
    try:
        services.diary_entry_delete(entry=entry)
    except services.SafetyError:
        return _done("safety:diary", "cannot_delete")
    return HttpResponseRedirect(reverse("safety:diary") + f"?done=deleted&undo={entry.pk}")


@require_POST
@_signed_in
def diary_undo(request: HttpRequest, report: Report, entry_id: Any) -> HttpResponse:
    try:
        entry = services.diary_entry_restore(report=report, entry_id=entry_id)
    except services.SafetyError:
        return _done("safety:diary", "too_late")
    return HttpResponseRedirect(_entry_url(entry) + "?done=restored")


@require_http_methods(["GET", "POST"])
@_signed_in
def diary_edit(request: HttpRequest, report: Report, entry_id: Any) -> HttpResponse:
    entry = diary_entry_get(report=report, entry_id=entry_id)
    if entry.is_shared:
        raise Http404  # shared entries are evidence now: they stay as the officer saw them
    form = forms.DiaryEntryForm(
        request.POST or None, request.FILES or None, initial=forms.diary_entry_initial(entry)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.diary_entry_update(
                entry=entry,
                occurred_at=form.occurred_at(),
                files=form.cleaned_data["files"],
                address=client_address(request),
                **form.entry_fields(),
            )
        except (EvidenceRejected, services.SafetyError) as error:
            form.add_error("files", error)
        else:
            return HttpResponseRedirect(_entry_url(entry) + "?done=edited")
    return render(request, "safety/diary_new.html", {"form": form, "entry": entry})


@require_safe
@_signed_in
def diary_file(
    request: HttpRequest, report: Report, entry_id: Any, file_id: Any
) -> StreamingHttpResponse:
    """The victim's own file, back to them. Always a download, never shown in the page: a file
    is only checked by its first bytes, and must not run as a page of this site."""
    entry = diary_entry_get(report=report, entry_id=entry_id)
    item = entry.files.select_related("file").filter(pk=file_id).first()
    if item is None:
        raise Http404
    return stored_file_response(item.file)


@require_safe
@_signed_in
def diary_export(request: HttpRequest, report: Report) -> HttpResponse:
    response = HttpResponse(diary_pdf(report=report), content_type="application/pdf")
    filename = _("diary-%(ref)s.pdf") % {"ref": report.reference}
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

"""The public report and "track my report". Views are thin: the flow is in steps.py, the
writes in services.py."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms as django_forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from vigil.common.behaviours import BEHAVIOUR_BY_CODE
from vigil.common.client_address import client_address
from vigil.contact.contract import WEEKDAYS, prefs_from_answers
from vigil.public_site.usage import journey_step_reached
from vigil.reporting import forms, resume, services, sign_in_links, steps
from vigil.reporting.drafts import draft_id_from_cookie, remember_draft
from vigil.reporting.models import MessageDirection, Report, ReportDraft
from vigil.reporting.presentation import long_date, report_sections
from vigil.reporting.selectors import draft_for_browser, report_timeline
from vigil.reporting.tracking import tracked_report, tracking_sign_in, tracking_sign_out


def _address(request: HttpRequest) -> str | None:
    return client_address(request)


def _draft(request: HttpRequest, *, sent: bool = False) -> ReportDraft | None:
    return draft_for_browser(draft_id=draft_id_from_cookie(request), sent=sent)


def _to_start() -> HttpResponse:
    # The plain start page, as a first visitor sees it: after Exit this page, whoever holds the
    # phone next must not read that a report was in progress (issue 16).
    return HttpResponseRedirect(reverse("reporting:start"))


# --- Save and come back later -----------------------------------------------------------------
SAVE_FOR_LATER = "save_for_later"
_NOT_ANSWERS = {"csrfmiddlewaretoken", "action"}


def _wants_to_save_for_later(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get("action") == SAVE_FOR_LATER


def _to_save_for_later() -> HttpResponse:
    return HttpResponseRedirect(reverse("reporting:save"))


def _keep_unfinished(draft: ReportDraft, key: str, data: QueryDict) -> None:
    """A page saved for later before it passes its checks is kept exactly as typed, so nothing
    is lost; coming back shows it again with what still needs doing."""
    draft.data.setdefault("unfinished", {})[key] = {
        name: data.getlist(name) for name in data if name not in _NOT_ANSWERS
    }


def _unfinished(draft: ReportDraft, key: str) -> QueryDict | None:
    typed = draft.data.get("unfinished", {}).get(key)
    if typed is None:
        return None
    data = QueryDict(mutable=True)
    for name, values in typed.items():
        data.setlist(name, values)
    return data


def _finished(draft: ReportDraft, key: str) -> None:
    draft.data.get("unfinished", {}).pop(key, None)


def _step_url(slug: str, *, change: bool = False) -> str:
    if slug == "check":
        return reverse("reporting:check")
    if slug in steps.COLLECTIONS:
        url = reverse("reporting:collection", kwargs={"collection": slug})
    elif slug == "evidence":
        url = reverse("reporting:evidence")
    else:
        url = reverse("reporting:step", kwargs={"slug": slug})
    return f"{url}?change=1" if change else url


def _is_change(request: HttpRequest) -> bool:
    return request.GET.get("change") == "1"


def _continue_url(request: HttpRequest, slug: str, data: dict[str, Any]) -> str:
    """After a page: back to the summary when changing an answer, else the next page. A change
    that brings in new questions (say "they know, and it is safe" after "they do not know") asks
    only those, then returns to the summary."""
    if _is_change(request):
        missing = steps.first_missing(data)
        return _step_url(missing, change=True) if missing else _step_url("check")
    return _step_url(steps.next_after(slug, data))


def _back_url(slug: str, data: dict[str, Any], request: HttpRequest) -> str:
    if _is_change(request):
        return _step_url("check")
    previous = steps.previous_before(slug, data)
    return _step_url(previous) if previous else reverse("reporting:start")


# --- Start ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Before anything sensitive: a warning about watched devices, quick exit and 999."""
    draft = _draft(request)
    if request.method == "POST":
        if draft is None or request.POST.get("action") == "restart":
            try:
                draft = services.draft_create(address=_address(request))
            except services.DraftLimited as error:
                context = {
                    "draft": draft,
                    "limited": error,
                    "draft_hours": settings.REPORT_DRAFT_TTL_HOURS,
                    "saved_days": settings.REPORT_DRAFT_SAVED_DAYS,
                }
                return render(request, "reporting/start.html", context, status=429)
            response = HttpResponseRedirect(_step_url("who"))
            remember_draft(response, draft)
            return response
        missing = steps.first_missing(draft.data)
        return HttpResponseRedirect(_step_url(missing or "check"))
    return render(
        request,
        "reporting/start.html",
        {
            "draft": draft,
            "draft_hours": settings.REPORT_DRAFT_TTL_HOURS,
            "saved_days": settings.REPORT_DRAFT_SAVED_DAYS,
        },
    )


# --- One question or topic per page ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in steps.FORM_STEPS:
        raise Http404
    draft = _draft(request)
    if draft is None:
        return _to_start()
    if not steps.applies(slug, draft.data):
        # A page this report does not ask (a bookmark, or an answer changed since).
        return HttpResponseRedirect(_step_url(steps.first_missing(draft.data) or "check"))
    page = steps.STEP_BY_SLUG[slug]
    form_class = page.form_class
    assert form_class is not None
    answers = draft.data.setdefault("answers", {})
    for_self = steps.for_self(draft.data)
    if request.method == "POST":
        form = form_class(request.POST, for_self=for_self)
        if form.is_valid():
            answers[slug] = form.answers()
            _finished(draft, slug)
            services.draft_save(draft=draft)
            if _wants_to_save_for_later(request):
                return _to_save_for_later()
            if slug == "danger" and answers[slug]["immediate_danger"] == "yes":
                return HttpResponseRedirect(
                    reverse("reporting:call_999") + ("?change=1" if _is_change(request) else "")
                )
            return HttpResponseRedirect(_continue_url(request, slug, draft.data))
        if _wants_to_save_for_later(request):
            _keep_unfinished(draft, slug, request.POST)
            services.draft_save(draft=draft)
            return _to_save_for_later()
    elif (typed := _unfinished(draft, slug)) is not None:
        form = form_class(typed, for_self=for_self)
    else:
        form = form_class(initial=form_class.initial_from(answers.get(slug, {})), for_self=for_self)
    if request.method == "GET":
        services.draft_reach(draft=draft, step=slug)
    return render(
        request,
        "reporting/step.html",
        {
            "form": form,
            "page": {
                "title": page.title_for(draft.data),
                "section": page.section,
                "question_is_heading": page.question_is_heading,
            },
            "back_url": _back_url(slug, draft.data, request),
        },
    )


@require_safe
def call_999(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if draft is None:
        return _to_start()
    return render(
        request,
        "reporting/call_999.html",
        {"continue_url": _continue_url(request, "danger", draft.data)},
    )


# --- Add another: suspects and incidents ------------------------------------------------------


def _collection(collection: str) -> steps.Collection:
    if collection not in steps.COLLECTIONS:
        raise Http404
    return steps.COLLECTIONS[collection]


@require_http_methods(["GET", "POST"])
def collection_summary(request: HttpRequest, collection: str) -> HttpResponse:
    kind = _collection(collection)
    draft = _draft(request)
    if draft is None:
        return _to_start()
    items = draft.data.setdefault(collection, [])
    new_url = reverse("reporting:item", kwargs={"collection": collection, "index": len(items)})
    if not items:
        return HttpResponseRedirect(new_url)
    if _wants_to_save_for_later(request):
        return _to_save_for_later()
    form = forms.AddAnotherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["add_another"] == "yes":
            return HttpResponseRedirect(new_url)
        draft.data["answers"][collection] = {"count": len(items)}
        services.draft_save(draft=draft)
        return HttpResponseRedirect(_continue_url(request, collection, draft.data))
    return render(
        request,
        "reporting/collection.html",
        {
            "form": form,
            "kind": kind,
            "items": [(index, _item_summary(collection, item)) for index, item in enumerate(items)],
            "back_url": _back_url(collection, draft.data, request),
        },
    )


def _item_summary(collection: str, item: dict[str, Any]) -> str:
    if collection == "suspects":
        from vigil.reporting.models import SuspectRelationship

        names = ", ".join(item.get("names", []) + item.get("aliases", []))
        label = SuspectRelationship(item["relationship"]).label
        return f"{names} ({label})" if names else str(label)
    date = long_date(datetime.date.fromisoformat(item["date"]))
    place = item.get("place")
    return f"{date}, {place}" if place else date


@require_http_methods(["GET", "POST"])
def collection_item(request: HttpRequest, collection: str, index: Any) -> HttpResponse:
    kind = _collection(collection)
    draft = _draft(request)
    if draft is None:
        return _to_start()
    index = int(index)
    items: list[dict[str, Any]] = draft.data.setdefault(collection, [])
    if index > len(items) or index >= 50:
        raise Http404
    if request.method == "POST":
        form = kind.form_class(request.POST, for_self=steps.for_self(draft.data))
        if form.is_valid():
            if index == len(items):
                items.append(form.answers())
            else:
                items[index] = form.answers()
            _finished(draft, f"{collection}/{index}")
            services.draft_save(draft=draft)
            if _wants_to_save_for_later(request):
                return _to_save_for_later()
            if _is_change(request) and steps.first_missing(draft.data) is None:
                return HttpResponseRedirect(_step_url("check"))
            return HttpResponseRedirect(_step_url(collection))
        if _wants_to_save_for_later(request):
            _keep_unfinished(draft, f"{collection}/{index}", request.POST)
            services.draft_save(draft=draft)
            return _to_save_for_later()
    elif (typed := _unfinished(draft, f"{collection}/{index}")) is not None:
        form = kind.form_class(typed, for_self=steps.for_self(draft.data))
    else:
        initial = kind.form_class.initial_from(items[index]) if index < len(items) else {}
        form = kind.form_class(initial=initial, for_self=steps.for_self(draft.data))
    if request.method == "GET" and index == 0:
        services.draft_reach(draft=draft, step=collection)
    back = _step_url("check") if _is_change(request) else _back_url(collection, draft.data, request)
    if items and not _is_change(request):
        back = _step_url(collection)
    return render(
        request,
        "reporting/step.html",
        {
            "form": form,
            "page": {"title": kind.item_title, "section": steps.STEP_BY_SLUG[collection].title},
            "back_url": back,
        },
    )


@require_POST
def collection_remove(request: HttpRequest, collection: str, index: Any) -> HttpResponse:
    _collection(collection)
    draft = _draft(request)
    if draft is None:
        return _to_start()
    items: list[dict[str, Any]] = draft.data.setdefault(collection, [])
    if int(index) < len(items):
        items.pop(int(index))
        draft.data["answers"].pop(collection, None)
        services.draft_save(draft=draft)
    return HttpResponseRedirect(_step_url(collection))


# --- Evidence ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def evidence(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if draft is None:
        return _to_start()
    form = forms.EvidenceForm()
    if request.method == "POST":
        action = request.POST.get("action")
        # A file chosen before "Save and continue" (or "come back later") is uploaded first:
        # dropping it silently would lose evidence the person thinks they sent (issue 16).
        if action == "upload" or request.FILES.getlist("files"):
            form = forms.EvidenceForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    for upload in form.cleaned_data["files"]:
                        services.draft_evidence_add(
                            draft=draft, upload=upload, address=_address(request)
                        )
                except services.EvidenceRejected as error:
                    form.add_error("files", error)
                else:
                    services.draft_save(draft=draft)
        if not form.errors:
            if action == SAVE_FOR_LATER:
                return _to_save_for_later()
            if action == "continue":
                draft.data["answers"]["evidence"] = {"count": draft.files.count()}
                services.draft_save(draft=draft)
                return HttpResponseRedirect(_continue_url(request, "evidence", draft.data))
            return HttpResponseRedirect(request.get_full_path())
    if request.method == "GET":
        services.draft_reach(draft=draft, step="evidence")
    return render(
        request,
        "reporting/evidence.html",
        {
            "form": form,
            "files": list(draft.files.all()),
            "back_url": _back_url("evidence", draft.data, request),
            "change": _is_change(request),
        },
    )


@require_POST
def evidence_remove(request: HttpRequest, evidence_id: str) -> HttpResponse:
    draft = _draft(request)
    if draft is None:
        return _to_start()
    services.draft_evidence_remove(draft=draft, evidence_id=evidence_id)
    return HttpResponseRedirect(reverse("reporting:evidence"))


# --- Save and come back later ------------------------------------------------------------------


def _email_may_be_offered(data: dict[str, Any]) -> bool:
    """Not when the person filling it in has already told us email is not a safe way to reach
    them (the reporter's own answers when they report for someone else)."""
    page = "contact-channels" if steps.for_self(data) else "reporter-contact"
    channels = data.get("answers", {}).get(page, {}).get("channels")
    return not (channels is not None and "email" not in channels)


def _email_given(data: dict[str, Any]) -> str:
    answers = data.get("answers", {})
    page = "victim-contact" if steps.for_self(data) else "your-details"
    return str(answers.get(page, {}).get("email", ""))


@require_http_methods(["GET", "POST"])
def save_for_later(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if draft is None:
        return _to_start()
    offer_email = _email_may_be_offered(draft.data)
    continue_url = _step_url(steps.first_missing(draft.data) or "check")
    form = forms.SaveForLaterForm(
        request.POST or None, offer_email=offer_email, initial={"email": _email_given(draft.data)}
    )
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data.get("email", "") if form.wants_email else ""
        saved = resume.draft_save_for_later(draft=draft, email=email)
        # Shown once, on the response to the POST: with no-store, Back cannot show it again.
        return render(
            request,
            "reporting/saved.html",
            {"saved": saved, "emailed": bool(email), "continue_url": continue_url},
        )
    return render(
        request,
        "reporting/save_for_later.html",
        {
            "form": form,
            "offer_email": offer_email,
            "back_url": continue_url,
            "saved_days": settings.REPORT_DRAFT_SAVED_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
def resume_saved(request: HttpRequest) -> HttpResponse:
    """Carry on with a saved report, on this device or any other, with its two codes."""
    form = forms.ResumeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            draft = resume.draft_resume(
                code=form.cleaned_data["code"],
                secret=form.cleaned_data["secret"],
                address=_address(request),
            )
        except resume.ResumeRefused as error:
            form.add_error(None, error)
            status = 400
        else:
            response = HttpResponseRedirect(_step_url(steps.first_missing(draft.data) or "check"))
            remember_draft(response, draft)
            return response
    return render(request, "reporting/resume.html", {"form": form}, status=status)


# --- Check, declare, send ---------------------------------------------------------------------


def _change_url(slug: str, index: int | None) -> str:
    if index is not None:
        url = reverse("reporting:item", kwargs={"collection": slug, "index": index})
        return f"{url}?change=1"
    return _step_url(slug, change=True)


def _check_sections(draft: ReportDraft) -> list[dict[str, Any]]:
    """Rows for the check-your-answers page, each with the page that changes it."""
    return report_sections(
        services.draft_payload(draft.data), files=list(draft.files.all()), change_url=_change_url
    )


@require_safe
def check(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if draft is None:
        return _to_start()
    missing = steps.first_missing(draft.data)
    if missing:
        return HttpResponseRedirect(_step_url(missing))
    services.draft_reach(draft=draft, step="check")
    return render(
        request,
        "reporting/check.html",
        {"sections": _check_sections(draft), "back_url": _back_url("check", draft.data, request)},
    )


@require_http_methods(["GET", "POST"])
def declaration(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if draft is None:
        if request.method == "POST" and _draft(request, sent=True) is not None:
            return HttpResponseRedirect(reverse("reporting:sent"))  # a second click
        return _to_start()
    missing = steps.first_missing(draft.data)
    if missing:
        return HttpResponseRedirect(_step_url(missing))
    form = forms.DeclarationForm(
        request.POST or None, initial={"submission_key": draft.submission_key}
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            return render(request, "errors/400.html", status=400)
        try:
            services.report_submit(
                draft=draft,
                submission_key=form.cleaned_data["submission_key"],
                address=_address(request),
            )
        except services.ReportingError as error:
            form.add_error(None, error)
        else:
            return HttpResponseRedirect(reverse("reporting:sent"))
    if request.method == "GET":
        services.draft_reach(draft=draft, step="send")
    return render(
        request, "reporting/declaration.html", {"form": form, "back_url": _step_url("check")}
    )


@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    draft = _draft(request, sent=True)
    if draft is None or draft.report is None:
        return HttpResponseRedirect(reverse("reporting:start"))
    secret = services.draft_take_secret(draft=draft)
    if secret:  # handed out once, so this counts each sent report once
        journey_step_reached(reached=[], step="sent")
    report = draft.report
    return render(
        request,
        "reporting/sent.html",
        {
            "report": report,
            "secret": secret,
            "contact_hours": settings.REPORT_CONTACT_WITHIN_HOURS,
            # Who we will contact, said plainly: the person who sent it, and (when someone
            # reported for another) whether we will contact the victim (issue 16).
            "will_contact": bool(report.tracker_prefs.channels),
            "for_other": report.reported_by_other,
            "victim_caution": report.contact_prefs.third_party_caution,
            "victim_will_be_contacted": report.reported_by_other
            and bool(report.contact_prefs.channels),
        },
    )


# --- Track my report --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def track_sign_in(request: HttpRequest) -> HttpResponse:
    form = forms.TrackSignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["website"]:
                raise services.TrackingSignInFailed("")
            report = services.report_track_sign_in(
                reference=form.cleaned_data["reference"],
                secret=form.cleaned_data["secret"],
                address=_address(request),
            )
        except services.TrackingLocked as error:
            form.add_error(None, error)
            status = 429
        except services.TrackingSignInFailed:
            form.add_error(
                None,
                services.TrackingSignInFailed(
                    _("The reference or the secret code is not right. Check them and try again.")
                ),
            )
        else:
            request.session.cycle_key()
            tracking_sign_in(request, report)
            return HttpResponseRedirect(reverse("reporting:track_report"))
    return render(request, "reporting/track_sign_in.html", {"form": form}, status=status)


def _signed_in(view: Any) -> Any:
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = tracked_report(request)
        if report is None:
            return HttpResponseRedirect(reverse("reporting:track"))
        return view(request, report, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@require_http_methods(["GET", "POST"])
@_signed_in
def track_report(request: HttpRequest, report: Report) -> HttpResponse:
    form = forms.MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_message_from_reporter(report=report, body=form.cleaned_data["body"])
        return HttpResponseRedirect(reverse("reporting:track_report") + "?sent=1#messages")
    services.report_messages_mark_read(report=report, direction=MessageDirection.TO_REPORTER)
    return render(
        request,
        "reporting/track_report.html",
        {
            "form": form,
            "report": report,
            "timeline": report_timeline(report=report),
            "messages_list": list(report.messages.all()),
            "message_sent": request.GET.get("sent") == "1",
            "behaviours": [
                BEHAVIOUR_BY_CODE[c].label
                for c in report.details.get("behaviours", [])
                if c in BEHAVIOUR_BY_CODE
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@_signed_in
def track_evidence(request: HttpRequest, report: Report) -> HttpResponse:
    form = forms.EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            for upload in form.cleaned_data["files"]:
                services.report_evidence_add(
                    report=report, upload=upload, address=_address(request)
                )
        except services.EvidenceRejected as error:
            form.add_error("files", error)
        else:
            return HttpResponseRedirect(reverse("reporting:track_evidence") + "?added=1")
    return render(
        request,
        "reporting/track_evidence.html",
        {
            "form": form,
            "files": list(report.evidence.select_related("file")),
            "added": "added" in request.GET,
        },
    )


@require_http_methods(["GET", "POST"])
@_signed_in
def track_incident(request: HttpRequest, report: Report) -> HttpResponse:
    form = forms.IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_incident_add(report=report, incident=form.answers())
        return HttpResponseRedirect(reverse("reporting:track_report") + "?incident=1")
    return render(
        request,
        "reporting/track_form.html",
        {"form": form, "title": _("Tell us about something new")},
    )


def _clock(label: Any) -> django_forms.TimeField:
    return django_forms.TimeField(
        label=label,
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H%M", "%H"],
        help_text=gettext_lazy("24-hour clock, for example 09:00"),
        widget=django_forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": gettext_lazy("Enter a time like 09:00 or 17:30")},
    )


class ContactUpdateForm(forms.ContactChannelsForm, forms.ContactSafetyForm):
    """Her answers from the report, and the days and hours we can hold ourselves to: the words
    in "safe times" are read by a person, but only these stop a call or a text going out."""

    field_order = [
        "channels",
        "safe_days",
        "safe_from",
        "safe_until",
        "safe_times",
        "voicemail_ok",
        "can_say_police",
        "others_may_read",
        "safe_word",
    ]
    safe_days = django_forms.TypedMultipleChoiceField(
        label=gettext_lazy("Which days is it safe to phone or text you? (optional)"),
        help_text=gettext_lazy("Leave them all unticked if any day is safe."),
        choices=[(str(day), name) for day, name in enumerate(WEEKDAYS)],
        coerce=int,
        required=False,
        widget=django_forms.CheckboxSelectMultiple,
    )
    safe_from = _clock(gettext_lazy("Safe to phone or text from (optional)"))
    safe_until = _clock(gettext_lazy("Safe to phone or text until (optional)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("safe_from")) != bool(data.get("safe_until")):
            self.add_error("safe_until", _("Enter both times, or leave both empty"))
        return data


@require_http_methods(["GET", "POST"])
@_signed_in
def track_contact(request: HttpRequest, report: Report) -> HttpResponse:
    # The signed-in person's own wishes: the reporter's when they reported for someone else.
    current = report.tracker_prefs
    initial = {
        "channels": list(current.channels) or ["none"],
        "safe_times": current.safe_times,
        "safe_word": current.safe_word,
        "safe_days": [str(day) for day in current.safe_days or ()],
        "safe_from": current.safe_from,
        "safe_until": current.safe_until,
        **{
            key: "yes" if getattr(current, key) else "no"
            for key in ("voicemail_ok", "can_say_police", "others_may_read")
        },
    }
    form = ContactUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.report_contact_update(
            report=report, prefs=prefs_from_answers(form.cleaned_data.items())
        )
        return HttpResponseRedirect(reverse("reporting:track_report") + "?contact=1")
    return render(
        request,
        "reporting/track_form.html",
        {"form": form, "title": _("Change how we contact you")},
    )


@require_http_methods(["GET", "POST"])
@_signed_in
def track_withdraw(request: HttpRequest, report: Report) -> HttpResponse:
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_withdraw(report=report, reason=form.cleaned_data["reason"])
        return HttpResponseRedirect(reverse("reporting:track_report") + "?withdrawn=1")
    return render(request, "reporting/track_withdraw.html", {"form": form, "report": report})


@require_POST
def track_sign_out(request: HttpRequest) -> HttpResponse:
    tracking_sign_out(request)
    request.session.cycle_key()
    return HttpResponseRedirect(reverse("reporting:track") + "?signed_out=1")


@require_http_methods(["GET", "POST"])
def track_link_request(request: HttpRequest) -> HttpResponse:
    """Ask for a sign-in link by email. Every request that fills in the form gets the same
    answer page, so it tells no one whether a reference exists or which address it has."""
    form = forms.TrackLinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["website"]:
            sign_in_links.tracking_link_request(
                reference=form.cleaned_data["reference"],
                email=form.cleaned_data["email"],
                address=_address(request),
            )
        return HttpResponseRedirect(reverse("reporting:track_link_asked"))
    return render(request, "reporting/track_link_request.html", {"form": form})


@require_safe
def track_link_asked(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reporting/track_link_asked.html",
        {"minutes": settings.REPORT_TRACK_LINK_MINUTES},
    )


@require_http_methods(["GET", "POST"])
def track_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the email. Opening it only shows a button, because mail scanners open links
    too and must not use it up; pressing the button signs in."""
    if request.method == "POST":
        try:
            report = sign_in_links.tracking_link_use(token=token, address=_address(request))
        except sign_in_links.TrackingLinkRefused:
            return _track_link_refused(request)
        request.session.cycle_key()
        tracking_sign_in(request, report)
        return HttpResponseRedirect(reverse("reporting:track_report"))
    if not sign_in_links.tracking_link_is_usable(token=token):
        return _track_link_refused(request)
    return render(request, "reporting/track_link.html")


def _track_link_refused(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reporting/track_link_refused.html",
        {"minutes": settings.REPORT_TRACK_LINK_MINUTES},
    )

"""Staff pages for intake and cases. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.accounts.models import User
from vigil.cases import closing, followups, selectors, services
from vigil.cases.forms import (
    ActionForm,
    AssignForm,
    AuditFilterForm,
    ChecklistForm,
    ClassificationForm,
    CloseForm,
    ConductDecisionForm,
    ContactLogForm,
    DutyDoneForm,
    EvidenceForm,
    IncidentForm,
    MessageForm,
    NoteForm,
    PersonForm,
    PhoneReportForm,
    ReopenForm,
    SafeContactForm,
    SearchForm,
    TriageForm,
)
from vigil.cases.markers import attach_markers
from vigil.cases.models import (
    ActionStatus,
    Case,
    CaseStatus,
    PersonRole,
    PhoneReport,
    TimelineKind,
)
from vigil.cases.pdf import case_file_pdf
from vigil.cases.rules import close_refusal
from vigil.cases.triage_details import triage_details
from vigil.cases.versions import StaleVersion
from vigil.common.stored_files import FileRefused
from vigil.notifications.selectors import undelivered_messages
from vigil.reporting.models import Report

PAGE_SIZE = 50
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows: an exact count of every case in the force costs a full scan
    on each page view, and past ten thousand the number helps no one; a search does."""

    @cached_property
    def count(self) -> int:
        return self.object_list[: COUNT_CAP + 1].count()  # type: ignore[attr-defined]

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _to_case(case: Case, anchor: str = "") -> HttpResponse:
    return redirect(reverse("cases:detail", args=[case.pk]) + (f"#{anchor}" if anchor else ""))


def _form_page(
    request: HttpRequest,
    case: Case,
    form: Any,
    *,
    title: str,
    submit: str,
    intro: str = "",
    multipart: bool = False,
) -> HttpResponse:
    return render(
        request,
        "cases/form_page.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            "multipart": multipart,
        },
    )


# --- lists ----------------------------------------------------------------------------------


def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
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


def intake_queue(request: HttpRequest) -> HttpResponse:
    items = selectors.intake_queue(user=_user(request))
    return render(request, "cases/intake_queue.html", {"items": items, "now": timezone.now()})


def phone_report_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
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
        )
        messages.success(
            request, _("Phone report %(ref)s saved.") % {"ref": phone_report.reference}
        )
        return redirect("cases:triage_phone", phone_report.pk)
    return render(request, "cases/phone_report_form.html", {"form": form})


def _triage(
    request: HttpRequest, *, report: Report | None, phone_report: PhoneReport | None
) -> HttpResponse:
    user = _user(request)
    item: Report | PhoneReport = report or phone_report  # type: ignore[assignment]
    if hasattr(item, "triage"):
        case = item.triage.case
        messages.info(request, _("This report has already been triaged."))
        if user.has_perm("cases.view_case", case):
            return _to_case(case)
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
                return _to_case(triage.case)
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
    report = selectors.intake_report_get(user=_user(request), report_id=report_id)
    return _triage(request, report=report, phone_report=None)


def triage_phone(request: HttpRequest, phone_report_id: UUID) -> HttpResponse:
    phone_report = selectors.intake_phone_report_get(
        user=_user(request), phone_report_id=phone_report_id
    )
    return _triage(request, report=None, phone_report=phone_report)


def overdue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
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
    events = selectors.audit_events(user=_user(request), **filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/audit_log.html", {"filter_form": form, "page": page})


# --- the case -------------------------------------------------------------------------------


def case_detail(request: HttpRequest, case_id: UUID) -> HttpResponse:
    page = selectors.case_page(user=_user(request), case_id=case_id)
    return render(request, "cases/case_detail.html", {"case": page.case, "page": page})


def case_timeline(request: HttpRequest, case_id: UUID) -> HttpResponse:
    case = selectors.case_view(user=_user(request), case_id=case_id, page="timeline")
    kind = request.GET.get("kind", "")
    if kind not in TimelineKind.values:
        kind = ""
    user = _user(request)
    entries = Paginator(selectors.case_timeline(user=user, case=case, kind=kind), 100).get_page(
        request.GET.get("page")
    )
    kinds = [c for c in TimelineKind.choices if user.is_police or c[0] != TimelineKind.NOTE]
    return render(
        request,
        "cases/timeline.html",
        {"case": case, "entries": entries, "kind": kind, "kinds": kinds},
    )


def incident_new(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="incident_new", change=True)
    victims = selectors.case_people(case=case, role=PersonRole.VICTIM)
    suspects = selectors.case_people(case=case, role=PersonRole.SUSPECT)
    form = IncidentForm(request.POST or None, victims=victims, suspects=suspects)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.incident_add(
            case=case,
            occurred_at=form.occurred_at(),
            time_known=form.time_known,
            summary=data["summary"],
            source=data["source"],
            victim=form.people[data["victim"]],
            suspect=form.people.get(data["suspect"]) if data["suspect"] else None,
            place=data["place"],
            behaviours=data["behaviours"],
            by=user,
        )
        messages.success(request, _("Incident recorded."))
        return _to_case(case, "incidents")
    return _form_page(request, case, form, title=_("Record an incident"), submit=_("Save incident"))


def conduct_decision(
    request: HttpRequest, case_id: UUID, victim_id: UUID, suspect_id: UUID
) -> HttpResponse:
    user = _user(request)
    page = selectors.case_page(user=user, case_id=case_id)
    if not user.has_perm("cases.change_case", page.case):
        raise Http404
    prompt = next(
        (p for p in page.prompts if p.victim.pk == victim_id and p.suspect.pk == suspect_id),
        None,
    )
    if prompt is None:
        raise Http404
    form = ConductDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conduct_decision_record(
                case=page.case,
                victim=prompt.victim,
                suspect=prompt.suspect,
                outcome=form.cleaned_data["outcome"],
                reasons=form.cleaned_data["reasons"],
                by=user,
                **form.answers(),
            )
        except services.CaseError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Decision recorded. It is on the timeline."))
            return _to_case(page.case)
    return render(
        request,
        "cases/conduct_decision.html",
        {"case": page.case, "prompt": prompt, "form": form},
    )


def person_new(request: HttpRequest, case_id: UUID, role: str) -> HttpResponse:
    user = _user(request)
    if role not in PersonRole.values:
        raise Http404
    case = selectors.case_view(user=user, case_id=case_id, page="person_new", change=True)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = {"description": data["description"]}
        if data["relationship"]:
            details["relationship"] = data["relationship"]
        services.case_person_add(
            case=case,
            role=role,
            name=data["name"],
            details=details,
            phones=[data["phone"]],
            emails=[data["email"]],
            by=user,
        )
        messages.success(request, _("Saved."))
        return _to_case(case, "people")
    title = _("Add a victim") if role == PersonRole.VICTIM else _("Add a suspect")
    return _form_page(request, case, form, title=title, submit=_("Save"))


def safe_contact_edit(request: HttpRequest, case_id: UUID, person_id: UUID) -> HttpResponse:
    user = _user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="safe_contact", change=True)
    victim = case.people.filter(pk=person_id, role=PersonRole.VICTIM).first()
    if victim is None:
        raise Http404
    form = SafeContactForm(
        request.POST or None,
        initial=SafeContactForm.initial_from(victim.contact_prefs),
        version=victim.contact.version if victim.contact else 1,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.victim_safe_contact_update(
                victim=victim, prefs=form.prefs(), by=user, version=form.read_version
            )
        except StaleVersion:
            if victim.contact is not None:
                victim.contact.refresh_from_db()
            form.refuse_stale(
                current=SafeContactForm.initial_from(victim.contact_prefs),
                version=victim.contact.version if victim.contact else 1,
            )
        else:
            messages.success(request, _("Safe contact preferences saved."))
            return _to_case(case)
    return _form_page(
        request,
        case,
        form,
        title=_("Safe contact for %(name)s") % {"name": victim.name},
        submit=_("Save preferences"),
        intro=_("Ask the victim. Only use what they tell you is safe."),
    )


def evidence(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="evidence")
    can_change = user.has_perm("cases.change_case", case)
    form = EvidenceForm(
        request.POST or None, request.FILES or None, incidents=list(case.incidents.all())
    )
    if request.method == "POST":
        if not can_change:
            raise Http404
        if form.is_valid():
            try:
                services.evidence_add(
                    case=case,
                    description=form.cleaned_data["description"],
                    upload=form.cleaned_data["upload"],
                    incident=form.incidents.get(form.cleaned_data["incident"]),
                    by=user,
                )
            except FileRefused as refused:
                # Not a kind of file we keep, too large or empty, or the disk is full: said by
                # the file field, with the description kept for another try.
                form.add_error("upload", refused)
            else:
                messages.success(request, _("Evidence added."))
                return redirect("cases:evidence", case.pk)
    items = case.evidence.select_related("added_by", "incident")
    return render(
        request,
        "cases/evidence.html",
        {"case": case, "items": items, "form": form if can_change else None},
    )


def classify(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="classify", change=True)

    def current() -> dict[str, Any]:
        return {
            "principal": case.principal_classification,
            "included": list(case.included.values_list("classification", flat=True)),
        }

    form = ClassificationForm(request.POST or None, initial=current(), version=case.version)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_classify(
                case=case,
                principal=form.cleaned_data["principal"],
                included=form.cleaned_data["included"],
                by=user,
                version=form.read_version,
            )
        except StaleVersion:
            case.refresh_from_db()
            form.refuse_stale(current=current(), version=case.version)
        else:
            messages.success(request, _("Classification saved."))
            return _to_case(case)
    return _form_page(request, case, form, title=_("Classification"), submit=_("Save"))


def assign(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="assign", change=True)

    def current() -> dict[str, Any]:
        return {"officer": case.officer, "team": case.team, "supervisor": case.supervisor}

    form = AssignForm(request.POST or None, initial=current(), version=case.version)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_assign(
                case=case,
                officer=form.cleaned_data["officer"],
                team=form.cleaned_data["team"],
                supervisor=form.cleaned_data["supervisor"],
                by=user,
                version=form.read_version,
            )
        except StaleVersion:
            case.refresh_from_db()
            form.refuse_stale(current=current(), version=case.version)
        else:
            messages.success(request, _("Saved."))
            return _to_case(case)
    return _form_page(
        request, case, form, title=_("Officer in charge, team and supervisor"), submit=_("Save")
    )


def close(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="close", change=True)
    if case.status != CaseStatus.OPEN:
        return _to_case(case)
    refusal = close_refusal(user, case)
    form = CloseForm(
        request.POST or None, items=closing.open_items(case=case), version=case.version
    )
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            closing.case_close(
                case=case,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                carry_over=form.carry_over(),
                by=user,
                version=form.read_version,
            )
        except StaleVersion:
            case.refresh_from_db()
            form.refuse_stale(current={}, version=case.version)
        except services.CaseError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case closed. Tell the victim about the decision."))
            return _to_case(case)
    return render(request, "cases/close.html", {"case": case, "form": form, "refusal": refusal})


def reopen(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="reopen", change=True)
    if case.status == CaseStatus.OPEN:
        return _to_case(case)
    form = ReopenForm(request.POST or None, version=case.version)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reopen(
                case=case, reason=form.cleaned_data["reason"], by=user, version=form.read_version
            )
        except StaleVersion:
            case.refresh_from_db()
            form.refuse_stale(current={}, version=case.version)
        except services.CaseError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case opened again."))
            return _to_case(case)
    return _form_page(request, case, form, title=_("Open the case again"), submit=_("Open case"))


def actions(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="actions")
    can_change = user.has_perm("cases.change_case", case)
    form = ActionForm(request.POST if "title" in request.POST else None)
    checklist = ChecklistForm(request.POST if "template" in request.POST else None)
    if request.method == "POST":
        if not can_change:
            raise Http404
        if "template" in request.POST and checklist.is_valid():
            services.checklist_apply(
                case=case, template=checklist.cleaned_data["template"], by=user
            )
            messages.success(request, _("Checklist added."))
            return redirect("cases:actions", case.pk)
        if "title" in request.POST and form.is_valid():
            data = form.cleaned_data
            services.action_add(
                case=case,
                title=data["title"],
                owner=data["owner"] or case.officer,
                due_on=data["due_on"],
                by=user,
            )
            messages.success(request, _("Action added."))
            return redirect("cases:actions", case.pk)
    return render(
        request,
        "cases/actions.html",
        {
            "case": case,
            "items": case.actions.select_related("owner"),
            "form": form if can_change else None,
            "checklist": checklist if can_change else None,
        },
    )


@require_POST
def action_status(request: HttpRequest, case_id: UUID, action_id: UUID) -> HttpResponse:
    user = _user(request)
    case = selectors.case_get(user=user, case_id=case_id, change=True)
    action = case.actions.filter(pk=action_id).first()
    status = request.POST.get("status", "")
    if action is None or status not in ActionStatus.values:
        raise Http404
    services.action_set_status(action=action, status=status, by=user)
    return redirect("cases:actions", case.pk)


def contact(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="contact")
    can_change = user.has_perm("cases.change_case", case)
    victims = selectors.case_people(case=case, role=PersonRole.VICTIM)
    which = request.POST.get("form") if request.method == "POST" else None
    # Prefixes keep the two forms' field ids apart on one page.
    message_form = MessageForm(
        request.POST if which == "message" else None, victims=victims, prefix="message"
    )
    log_form = ContactLogForm(
        request.POST if which == "log" else None, victims=victims, prefix="log"
    )
    if request.method == "POST":
        if not can_change:
            raise Http404
        try:
            if which == "message" and message_form.is_valid():
                data = message_form.cleaned_data
                services.victim_message_send(
                    case=case,
                    victim=message_form.victims[data["victim"]],
                    channel=data["channel"],
                    body=data["body"],
                    by=user,
                )
                messages.success(request, _("Message sent."))
                return redirect("cases:contact", case.pk)
            if which == "log" and log_form.is_valid():
                data = log_form.cleaned_data
                services.contact_log(
                    case=case,
                    victim=log_form.victims[data["victim"]],
                    channel=data["channel"],
                    direction=data["direction"],
                    summary=data["summary"],
                    left_voicemail=data["left_voicemail"],
                    record_against_wishes=data["record_against_wishes"],
                    by=user,
                )
                messages.success(request, _("Contact logged."))
                return redirect("cases:contact", case.pk)
        except services.ContactRefused as refused:
            target = message_form if which == "message" else log_form
            target.add_error("channel", refused.messages[0])
    form = message_form if message_form.errors else (log_form if log_form.errors else None)
    return render(
        request,
        "cases/contact.html",
        {
            "case": case,
            "victims": victims,
            "entries": case.contacts.select_related("by", "victim"),
            "undelivered": undelivered_messages(contact_ids=[v.contact_id for v in victims]),
            "message_form": message_form if can_change else None,
            "log_form": log_form if can_change else None,
            "form": form,
        },
    )


def duties(request: HttpRequest, case_id: UUID) -> HttpResponse:
    case = selectors.case_view(user=_user(request), case_id=case_id, page="duties")
    return render(
        request,
        "cases/duties.html",
        {
            "case": case,
            "items": case.duties.select_related("done_by"),
            "can_change": _user(request).has_perm("cases.change_case", case),
        },
    )


@require_POST
def duty_done(request: HttpRequest, case_id: UUID, duty_id: UUID) -> HttpResponse:
    user = _user(request)
    case = selectors.case_get(user=user, case_id=case_id, change=True)
    duty = case.duties.filter(pk=duty_id, done_at__isnull=True).first()
    if duty is None:
        raise Http404
    # "Mark done" on the duties page opens this form; its answers come back here.
    form = DutyDoneForm(None if "start" in request.POST else request.POST)
    if form.is_bound and form.is_valid():
        try:
            services.duty_complete(
                duty=duty,
                by=user,
                told_how=form.cleaned_data["told_how"],
                told_at=form.told_at(),
                told_time_known=form.time_known,
            )
        except services.CaseError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Marked as done."))
            return redirect("cases:duties", case.pk)
    return _form_page(
        request,
        case,
        form,
        title=_("Mark done: %(duty)s") % {"duty": duty.description or duty.get_kind_display()},
        submit=_("Mark done"),
        intro=_("The Victims' Code duty is to tell the victim. Record how and when you did."),
    )


@require_POST
def enhanced_rights(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = selectors.case_get(user=user, case_id=case_id, change=True)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0  # a page from before versions: refused below, never saved blind
    try:
        services.case_enhanced_rights_set(
            case=case, enhanced=request.POST.get("enhanced") == "yes", by=user, version=version
        )
    except StaleVersion:
        messages.error(
            request,
            _(
                "Someone else changed this case after you opened the page, so nothing was "
                "saved. Check the enhanced rights shown now and try again."
            ),
        )
    return redirect("cases:duties", case.pk)


def notes(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="notes")
    if not user.is_police:
        raise Http404
    form = NoteForm(request.POST or None)
    if request.method == "POST":
        if not user.has_perm("cases.change_case", case):
            raise Http404
        if form.is_valid():
            services.note_add(case=case, body=form.cleaned_data["body"], by=user)
            messages.success(request, _("Note saved."))
            return redirect("cases:notes", case.pk)
    return render(
        request,
        "cases/notes.html",
        {"case": case, "items": case.notes.select_related("by"), "form": form},
    )


def sharing(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Sharing is referrals to partner agencies now (vigil.sharing); old links land there."""
    user = _user(request)
    case = selectors.case_get(user=user, case_id=case_id, change=True)
    return redirect("sharing:case", case.pk)


def case_file(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="case_file_pdf")
    if not user.is_police:
        raise Http404
    response = HttpResponse(case_file_pdf(case=case, by=user), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}.pdf"'
    return response


@require_POST
def attention_seen(request: HttpRequest, item_id: UUID) -> HttpResponse:
    """Take an item off the "needs attention" list; only the people whose list shows it may."""
    user = _user(request)
    item = get_object_or_404(followups.needs_attention(user=user), pk=item_id)
    followups.attention_seen(item=item, by=user)
    return redirect(reverse("accounts:home") + "#needs-attention")

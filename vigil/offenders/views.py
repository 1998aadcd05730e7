"""Staff pages for offenders and their orders. Thin: parse, call one service or selector."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.cases import selectors as case_selectors
from vigil.cases.models import PersonRole
from vigil.offenders import selectors, services
from vigil.offenders.forms import (
    STEP_FORMS,
    ApplyForm,
    BreachForm,
    ConditionForm,
    ConsiderForm,
    DraftForm,
    MarkerForm,
    NotificationForm,
    OffenderForm,
    OtherOrderForm,
    RightToKnowForm,
)
from vigil.offenders.models import StepKind
from vigil.offenders.pdf import court_bundle_pdf


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.has_perm("offenders.use_offenders"):
        raise Http404
    return user


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    caption: str,
    back: str,
    submit: str,
    multipart: bool = False,
) -> HttpResponse:
    return render(
        request,
        "offenders/form_page.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "back": back,
            "submit": submit,
            "multipart": multipart,
        },
    )


def _refused(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# --- people ---------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "offenders/home.html",
        {"offenders": selectors.offender_page_list(user=user)},
    )


def person(request: HttpRequest, offender_id: UUID) -> HttpResponse:
    user = _user(request)
    offender = selectors.offender_get(user=user, offender_id=offender_id)
    orders = list(offender.orders.all())
    return render(
        request,
        "offenders/person.html",
        {
            "offender": offender,
            "cases": selectors.offender_cases(user=user, offender=offender),
            "orders": orders,
            "markers": offender.markers.filter(removed_at=None),
            "other_orders": offender.other_orders.all(),
            "breaches": [b for order in orders for b in order.breaches.all()],
            "right_to_know": offender.right_to_know.select_related("case", "approved_by"),
        },
    )


def person_edit(request: HttpRequest, offender_id: UUID) -> HttpResponse:
    user = _user(request)
    offender = selectors.offender_get(user=user, offender_id=offender_id, change=True)

    def current() -> dict[str, Any]:
        return {
            "manager": offender.manager,
            "plan": offender.plan,
            "bail_conditions": offender.bail_conditions,
        }

    form = OffenderForm(request.POST or None, initial=current(), version=offender.version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.offender_update(
                offender=offender,
                by=user,
                manager=data["manager"],
                plan=data["plan"],
                bail_conditions=data["bail_conditions"],
                version=form.read_version,
            )
        except services.StaleEdit:
            offender.refresh_from_db()
            form.refuse_stale(current=current(), version=offender.version)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("offenders:person", offender_id=offender.pk)
    return _form_page(
        request,
        form,
        title=_("Manager, plan and bail"),
        caption=offender.name,
        back=offender.get_absolute_url(),
        submit=_("Save"),
    )


def marker_add(request: HttpRequest, offender_id: UUID) -> HttpResponse:
    user = _user(request)
    offender = selectors.offender_get(user=user, offender_id=offender_id, change=True)
    form = MarkerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.marker_add(offender=offender, by=user, **form.cleaned_data)
        messages.success(request, _("Warning marker added."))
        return redirect("offenders:person", offender_id=offender.pk)
    return _form_page(
        request,
        form,
        title=_("Add a warning marker"),
        caption=offender.name,
        back=offender.get_absolute_url(),
        submit=_("Add marker"),
    )


def other_order_add(request: HttpRequest, offender_id: UUID) -> HttpResponse:
    user = _user(request)
    offender = selectors.offender_get(user=user, offender_id=offender_id, change=True)
    form = OtherOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.other_order_add(offender=offender, by=user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Order added."))
            return redirect("offenders:person", offender_id=offender.pk)
    return _form_page(
        request,
        form,
        title=_("Add another order"),
        caption=offender.name,
        back=offender.get_absolute_url(),
        submit=_("Add order"),
    )


def right_to_know(request: HttpRequest, offender_id: UUID) -> HttpResponse:
    user = _user(request)
    offender = selectors.offender_get(user=user, offender_id=offender_id, change=True)
    cases = [line.case for line in selectors.offender_cases(user=user, offender=offender)]
    form = RightToKnowForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = next(c for c in cases if str(c.pk) == data["case"])
        try:
            services.right_to_know_record(
                offender=offender,
                case=case,
                decision=data["decision"],
                reasons=data["reasons"],
                approved_by=data["approved_by"],
                by=user,
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Right to Know decision recorded."))
            return redirect("offenders:person", offender_id=offender.pk)
    return _form_page(
        request,
        form,
        title=_("Right to Know decision"),
        caption=offender.name,
        back=offender.get_absolute_url(),
        submit=_("Record decision"),
    )


# --- the order ------------------------------------------------------------------------------


def consider(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = case_selectors.case_view(user=user, case_id=case_id, page="spo_consider", change=True)
    suspects = list(case.people.filter(role=PersonRole.SUSPECT))
    form = ConsiderForm(request.POST or None, suspects=suspects)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.spo_consider(
                case=case,
                suspect=data["suspect"],
                pursue=data["pursue"] == "yes",
                reasons=data["reasons"],
                by=user,
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("offenders:order", order_id=order.pk)
    return _form_page(
        request,
        form,
        title=_("Consider a Stalking Protection Order"),
        caption=_("Case %(ref)s") % {"ref": case.reference},
        back=reverse("cases:detail", args=[case.pk]),
        submit=_("Record decision"),
    )


def order(request: HttpRequest, order_id: UUID) -> HttpResponse:
    user = _user(request)
    found = selectors.order_get(user=user, order_id=order_id)
    can_change = found.__class__.objects.visible_to(user, "change").filter(pk=found.pk).exists()
    return render(
        request,
        "offenders/order.html",
        {
            "order": found,
            "offender": found.offender,
            "cases": selectors.order_cases(user=user, order=found),
            "steps": found.steps.select_related("by", "document"),
            "conditions": found.conditions.all(),
            "notifications": found.notifications.all(),
            "breaches": found.breaches.select_related("condition"),
            "can_change": can_change,
            "today": timezone.localdate(),
            "next_steps": services.next_steps(found) if can_change else [],
        },
    )


def _order_form(
    request: HttpRequest, order_id: UUID, form_class: Any, title: str, submit: str, **extra: Any
) -> tuple[User, Any, Any]:
    user = _user(request)
    found = selectors.order_get(user=user, order_id=order_id, change=True)
    form = form_class(request.POST or None, request.FILES or None, **extra)
    return user, found, form


def _order_page(
    request: HttpRequest, found: Any, form: Any, title: str, submit: str
) -> HttpResponse:
    return _form_page(
        request,
        form,
        title=title,
        caption=_("Stalking Protection Order: %(name)s") % {"name": found.offender.name},
        back=found.get_absolute_url(),
        submit=submit,
        multipart=any(name == "document" for name in form.fields),
    )


def _done(request: HttpRequest, found: Any, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("offenders:order", order_id=found.pk)


def draft(request: HttpRequest, order_id: UUID) -> HttpResponse:
    user = _user(request)
    found = selectors.order_get(user=user, order_id=order_id, change=True)

    def current() -> dict[str, Any]:
        return {"acts_of_stalking": found.acts_of_stalking, "risk_summary": found.risk_summary}

    form = DraftForm(request.POST or None, initial=current(), version=found.version)
    if request.method == "POST" and form.is_valid():
        try:
            services.spo_draft(
                order=found,
                by=user,
                acts_of_stalking=form.cleaned_data["acts_of_stalking"],
                risk_summary=form.cleaned_data["risk_summary"],
                version=form.read_version,
            )
        except services.StaleEdit:
            found.refresh_from_db()
            form.refuse_stale(current=current(), version=found.version)
        except ValidationError as error:
            _refused(form, error)
        else:
            return _done(request, found, _("Application draft saved."))
    return _order_page(request, found, form, _("Draft the application"), _("Save draft"))


def condition_add(request: HttpRequest, order_id: UUID) -> HttpResponse:
    user, found, form = _order_form(request, order_id, ConditionForm, "", "")
    if request.method == "POST" and form.is_valid():
        try:
            services.condition_add(order=found, by=user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            return _done(request, found, _("Condition added."))
    return _order_page(request, found, form, _("Add a prohibition or requirement"), _("Add"))


def apply(request: HttpRequest, order_id: UUID) -> HttpResponse:
    user, found, form = _order_form(request, order_id, ApplyForm, "", "")
    if request.method == "POST" and form.is_valid():
        try:
            services.spo_apply(order=found, by=user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            return _done(request, found, _("Application recorded."))
    return _order_page(request, found, form, _("Record the application to court"), _("Save"))


def court_step(request: HttpRequest, order_id: UUID, step: str) -> HttpResponse:
    if step not in STEP_FORMS:
        raise Http404
    form_class, title = STEP_FORMS[step]
    user = _user(request)
    found = selectors.order_get(user=user, order_id=order_id, change=True)
    extra: dict[str, Any] = (
        {"conditions": found.conditions.filter(ended_on=None)} if step == "varied" else {}
    )
    form = form_class(request.POST or None, request.FILES or None, **extra)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _record_step(found, step, data, user)
        except ValidationError as error:
            _refused(form, error)
        else:
            return _done(request, found, _("Saved."))
    return _order_page(request, found, form, str(title), _("Save"))


def _record_step(found: Any, step: str, data: dict[str, Any], user: User) -> None:
    document = data.get("document")
    if step == "hearing":
        services.spo_hearing(order=found, hearing_on=data["hearing_on"], by=user)
    elif step == "interim":
        services.spo_interim(order=found, made_on=data["made_on"], by=user, document=document)
    elif step == "full":
        services.spo_full(
            order=found,
            made_on=data["made_on"],
            ends_on=data["ends_on"],
            until_further_order=data["until_further_order"],
            by=user,
            document=document,
        )
    elif step == "refused":
        services.spo_refuse(order=found, on=data["on"], note=data["note"], by=user)
    elif step == "served":
        services.spo_serve(order=found, served_on=data["served_on"], by=user)
    else:
        services.spo_change(
            order=found,
            kind=StepKind(step),
            on=data["on"],
            note=data["note"],
            ends_on=data.get("ends_on"),
            ended_conditions=list(data.get("ended") or []),
            document=document,
            by=user,
        )


def notification(request: HttpRequest, order_id: UUID) -> HttpResponse:
    user, found, form = _order_form(request, order_id, NotificationForm, "", "")
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_record(order=found, by=user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            return _done(request, found, _("Notification recorded."))
    return _order_page(request, found, form, _("Record a notification"), _("Save"))


def breach(request: HttpRequest, order_id: UUID) -> HttpResponse:
    user = _user(request)
    found = selectors.order_get(user=user, order_id=order_id, change=True)
    form = BreachForm(request.POST or None, conditions=found.conditions.filter(ended_on=None))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.breach_record(
                order=found,
                occurred_at=form.occurred_at(),
                condition=data["condition"],
                summary=data["summary"],
                evidence=data["evidence"],
                by=user,
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            return _done(
                request,
                found,
                _("Breach recorded on every protected case, with an action to consider arrest."),
            )
    return _order_page(request, found, form, _("Record a breach"), _("Record breach"))


def bundle(request: HttpRequest, order_id: UUID) -> HttpResponse:
    user = _user(request)
    found = selectors.order_get(user=user, order_id=order_id, change=True)
    pdf = court_bundle_pdf(order=found, by=user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="spo-bundle-{str(found.pk)[:8]}.pdf"'
    return response

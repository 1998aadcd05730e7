"""Staff pages for offenders and their orders. Thin: parse, call one service or selector."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.cases import selectors as case_selectors
from vigil.cases.models import PersonRole
from vigil.common.form_saves import form_save
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


def _person_save(
    request: HttpRequest,
    offender: Any,
    form: Any,
    save: Any,
    *,
    done: str,
    title: str,
    submit: str,
    now_saved: Any = None,
) -> HttpResponse:
    """A form page on the offender: the save, then back to the person; else the form again."""
    saved = form_save(request, form, save, done=done, to=_person_url(offender), now_saved=now_saved)
    return saved or _form_page(
        request,
        form,
        title=title,
        caption=offender.name,
        back=offender.get_absolute_url(),
        submit=submit,
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

    def now_saved() -> tuple[dict[str, Any], int]:
        offender.refresh_from_db()
        return current(), offender.version

    form = OffenderForm(request.POST or None, initial=current(), version=offender.version)
    return _person_save(
        request,
        offender,
        form,
        lambda data: services.offender_update(
            offender=offender,
            by=user,
            manager=data["manager"],
            plan=data["plan"],
            bail_conditions=data["bail_conditions"],
            version=form.read_version,
        ),
        done=_("Saved."),
        title=_("Manager, plan and bail"),
        submit=_("Save"),
        now_saved=now_saved,
    )


def marker_add(request: HttpRequest, offender_id: UUID) -> HttpResponse:
    user = _user(request)
    offender = selectors.offender_get(user=user, offender_id=offender_id, change=True)
    return _person_save(
        request,
        offender,
        MarkerForm(request.POST or None),
        lambda data: services.marker_add(offender=offender, by=user, **data),
        done=_("Warning marker added."),
        title=_("Add a warning marker"),
        submit=_("Add marker"),
    )


def other_order_add(request: HttpRequest, offender_id: UUID) -> HttpResponse:
    user = _user(request)
    offender = selectors.offender_get(user=user, offender_id=offender_id, change=True)
    return _person_save(
        request,
        offender,
        OtherOrderForm(request.POST or None),
        lambda data: services.other_order_add(offender=offender, by=user, **data),
        done=_("Order added."),
        title=_("Add another order"),
        submit=_("Add order"),
    )


def right_to_know(request: HttpRequest, offender_id: UUID) -> HttpResponse:
    user = _user(request)
    offender = selectors.offender_get(user=user, offender_id=offender_id, change=True)
    cases = [line.case for line in selectors.offender_cases(user=user, offender=offender)]
    return _person_save(
        request,
        offender,
        RightToKnowForm(request.POST or None, cases=cases),
        lambda data: services.right_to_know_record(
            offender=offender,
            case=next(c for c in cases if str(c.pk) == data["case"]),
            decision=data["decision"],
            reasons=data["reasons"],
            approved_by=data["approved_by"],
            by=user,
        ),
        done=_("Right to Know decision recorded."),
        title=_("Right to Know decision"),
        submit=_("Record decision"),
    )


# --- the order ------------------------------------------------------------------------------


def consider(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = _user(request)
    case = case_selectors.case_view(user=user, case_id=case_id, page="spo_consider", change=True)
    suspects = list(case.people.filter(role=PersonRole.SUSPECT))
    form = ConsiderForm(request.POST or None, suspects=suspects)
    saved = form_save(
        request,
        form,
        lambda data: services.spo_consider(
            case=case,
            suspect=data["suspect"],
            pursue=data["pursue"] == "yes",
            reasons=data["reasons"],
            by=user,
        ),
        done=_("Decision recorded."),
        to=_order_url,
    )
    if saved:
        return saved
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
    request: HttpRequest, order_id: UUID, form_class: Any, **extra: Any
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


def _person_url(offender: Any) -> str:
    return reverse("offenders:person", kwargs={"offender_id": offender.pk})


def _order_url(found: Any) -> str:
    return reverse("offenders:order", kwargs={"order_id": found.pk})


def _order_save(
    request: HttpRequest,
    found: Any,
    form: Any,
    save: Any,
    *,
    done: str,
    title: str,
    submit: str,
    now_saved: Any = None,
) -> HttpResponse:
    """An order's form page: the save, then back to the order; else the form again."""
    saved = form_save(request, form, save, done=done, to=_order_url(found), now_saved=now_saved)
    return saved or _order_page(request, found, form, title, submit)


def draft(request: HttpRequest, order_id: UUID) -> HttpResponse:
    user = _user(request)
    found = selectors.order_get(user=user, order_id=order_id, change=True)

    def current() -> dict[str, Any]:
        return {"acts_of_stalking": found.acts_of_stalking, "risk_summary": found.risk_summary}

    def now_saved() -> tuple[dict[str, Any], int]:
        found.refresh_from_db()
        return current(), found.version

    form = DraftForm(request.POST or None, initial=current(), version=found.version)
    return _order_save(
        request,
        found,
        form,
        lambda data: services.spo_draft(
            order=found,
            by=user,
            acts_of_stalking=data["acts_of_stalking"],
            risk_summary=data["risk_summary"],
            version=form.read_version,
        ),
        done=_("Application draft saved."),
        title=_("Draft the application"),
        submit=_("Save draft"),
        now_saved=now_saved,
    )


def condition_add(request: HttpRequest, order_id: UUID) -> HttpResponse:
    user, found, form = _order_form(request, order_id, ConditionForm)
    return _order_save(
        request,
        found,
        form,
        lambda data: services.condition_add(order=found, by=user, **data),
        done=_("Condition added."),
        title=_("Add a prohibition or requirement"),
        submit=_("Add"),
    )


def apply(request: HttpRequest, order_id: UUID) -> HttpResponse:
    user, found, form = _order_form(request, order_id, ApplyForm)
    return _order_save(
        request,
        found,
        form,
        lambda data: services.spo_apply(order=found, by=user, **data),
        done=_("Application recorded."),
        title=_("Record the application to court"),
        submit=_("Save"),
    )


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
    return _order_save(
        request,
        found,
        form,
        lambda data: _record_step(found, step, data, user),
        done=_("Saved."),
        title=str(title),
        submit=_("Save"),
    )


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
    user, found, form = _order_form(request, order_id, NotificationForm)
    return _order_save(
        request,
        found,
        form,
        lambda data: services.notification_record(order=found, by=user, **data),
        done=_("Notification recorded."),
        title=_("Record a notification"),
        submit=_("Save"),
    )


def breach(request: HttpRequest, order_id: UUID) -> HttpResponse:
    user = _user(request)
    found = selectors.order_get(user=user, order_id=order_id, change=True)
    form = BreachForm(request.POST or None, conditions=found.conditions.filter(ended_on=None))
    return _order_save(
        request,
        found,
        form,
        lambda data: services.breach_record(
            order=found,
            occurred_at=form.occurred_at(),
            time_known=form.time_known,
            condition=data["condition"],
            summary=data["summary"],
            evidence=data["evidence"],
            by=user,
        ),
        done=_("Breach recorded on every protected case, with an action to consider arrest."),
        title=_("Record a breach"),
        submit=_("Record breach"),
    )


def bundle(request: HttpRequest, order_id: UUID) -> HttpResponse:
    user = _user(request)
    found = selectors.order_get(user=user, order_id=order_id, change=True)
    pdf = court_bundle_pdf(order=found, by=user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="spo-bundle-{str(found.pk)[:8]}.pdf"'
    return response

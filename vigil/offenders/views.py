"""Staff pages for offenders and their orders. Thin: parse, call one service or selector."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from vigil.accounts.models import User
from vigil.cases import selectors as case_selectors
from vigil.cases.models import PersonRole
from vigil.common.form_saves import NowSaved, form_save
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
from vigil.offenders.models import Offender, StalkingProtectionOrder, StepKind
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


def _edit_form(
    request: HttpRequest, target: Any, form_class: Any, fields: list[str]
) -> tuple[Any, NowSaved]:
    """A versioned form of `fields` of `target`, and what is saved now (for a stale save)."""

    def current() -> dict[str, Any]:
        return {name: getattr(target, name) for name in fields}

    def now_saved() -> tuple[dict[str, Any], int]:
        target.refresh_from_db()
        return current(), target.version

    form = form_class(request.POST or None, initial=current(), version=target.version)
    return form, now_saved


def _save_page(
    request: HttpRequest,
    target: Offender | StalkingProtectionOrder,
    form: Any,
    save: Any,
    *,
    done: str,
    title: str,
    submit: str,
    now_saved: NowSaved | None = None,
) -> HttpResponse:
    """A form page on the person or the order: the save, then back to it; else the form
    again."""
    back = target.get_absolute_url()
    saved = form_save(request, form, save, done=done, to=back, now_saved=now_saved)
    if isinstance(target, Offender):
        caption = target.name
    else:
        caption = _("Stalking Protection Order: %(name)s") % {"name": target.offender.name}
    return saved or _form_page(
        request,
        form,
        title=title,
        caption=caption,
        back=back,
        submit=submit,
        multipart=any(name == "document" for name in form.fields),
    )


def _offender_to_change(request: HttpRequest, offender_id: UUID) -> tuple[User, Offender]:
    user = _user(request)
    return user, selectors.offender_get(user=user, offender_id=offender_id, change=True)


def _order_to_change(request: HttpRequest, order_id: UUID) -> tuple[User, StalkingProtectionOrder]:
    user = _user(request)
    return user, selectors.order_get(user=user, order_id=order_id, change=True)


# The button of most pages (a lazy string: the language is the request's, chosen later).
SAVE = gettext_lazy("Save")


@dataclass(frozen=True)
class AnswersPage:
    """A page whose answers go as they are to one service on the person or the order in its
    address (`offender_id` or `order_id`), with the staff member as `by`; the page is the view.
    With `edits`, a versioned form of those fields of the record: a save over someone else's
    is refused."""

    form: type[forms.Form]
    service: Callable[..., Any]
    title: StrOrPromise
    done: StrOrPromise
    submit: StrOrPromise = SAVE
    edits: tuple[str, ...] = ()

    def __call__(
        self, request: HttpRequest, offender_id: UUID | None = None, order_id: UUID | None = None
    ) -> HttpResponse:
        target: Offender | StalkingProtectionOrder
        if order_id is not None:
            user, target = _order_to_change(request, order_id)
            key = "order"
        else:
            assert offender_id is not None
            user, target = _offender_to_change(request, offender_id)
            key = "offender"
        now_saved = None
        if not self.edits:
            form = self.form(request.POST or None, request.FILES or None)

            def save(data: dict[str, Any]) -> Any:
                return self.service(**{key: target}, by=user, **data)
        else:
            form, now_saved = _edit_form(request, target, self.form, list(self.edits))

            def save(data: dict[str, Any]) -> Any:
                answers = {name: data[name] for name in self.edits}
                return self.service(**{key: target}, by=user, version=form.read_version, **answers)

        return _save_page(
            request,
            target,
            form,
            save,
            done=str(self.done),
            title=str(self.title),
            submit=str(self.submit),
            now_saved=now_saved,
        )


person_edit = AnswersPage(
    OffenderForm,
    services.offender_update,
    title=gettext_lazy("Manager, plan and bail"),
    done=gettext_lazy("Saved."),
    edits=("manager", "plan", "bail_conditions"),
)
marker_add = AnswersPage(
    MarkerForm,
    services.marker_add,
    title=gettext_lazy("Add a warning marker"),
    submit=gettext_lazy("Add marker"),
    done=gettext_lazy("Warning marker added."),
)
other_order_add = AnswersPage(
    OtherOrderForm,
    services.other_order_add,
    title=gettext_lazy("Add another order"),
    submit=gettext_lazy("Add order"),
    done=gettext_lazy("Order added."),
)


def right_to_know(request: HttpRequest, offender_id: UUID) -> HttpResponse:
    user, offender = _offender_to_change(request, offender_id)
    cases = [line.case for line in selectors.offender_cases(user=user, offender=offender)]
    return _save_page(
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


def _order_url(found: Any) -> str:
    return reverse("offenders:order", kwargs={"order_id": found.pk})


draft = AnswersPage(
    DraftForm,
    services.spo_draft,
    title=gettext_lazy("Draft the application"),
    submit=gettext_lazy("Save draft"),
    done=gettext_lazy("Application draft saved."),
    edits=("acts_of_stalking", "risk_summary"),
)
condition_add = AnswersPage(
    ConditionForm,
    services.condition_add,
    title=gettext_lazy("Add a prohibition or requirement"),
    submit=gettext_lazy("Add"),
    done=gettext_lazy("Condition added."),
)
apply = AnswersPage(
    ApplyForm,
    services.spo_apply,
    title=gettext_lazy("Record the application to court"),
    done=gettext_lazy("Application recorded."),
)


def court_step(request: HttpRequest, order_id: UUID, step: str) -> HttpResponse:
    if step not in STEP_FORMS:
        raise Http404
    form_class, title = STEP_FORMS[step]
    user, found = _order_to_change(request, order_id)
    extra: dict[str, Any] = (
        {"conditions": found.conditions.filter(ended_on=None)} if step == "varied" else {}
    )
    form = form_class(request.POST or None, request.FILES or None, **extra)
    return _save_page(
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


notification = AnswersPage(
    NotificationForm,
    services.notification_record,
    title=gettext_lazy("Record a notification"),
    done=gettext_lazy("Notification recorded."),
)


def breach(request: HttpRequest, order_id: UUID) -> HttpResponse:
    user, found = _order_to_change(request, order_id)
    form = BreachForm(request.POST or None, conditions=found.conditions.filter(ended_on=None))
    return _save_page(
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
    user, found = _order_to_change(request, order_id)
    pdf = court_bundle_pdf(order=found, by=user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="spo-bundle-{str(found.pk)[:8]}.pdf"'
    return response

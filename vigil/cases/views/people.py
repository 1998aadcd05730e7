"""People on a case and the victim's safe contact.

Thin: parse, call one service or selector, render.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from vigil.cases import selectors, services
from vigil.cases.forms import (
    PersonForm,
    SafeContactForm,
)
from vigil.cases.models import (
    PersonRole,
)
from vigil.cases.views._common import case_url, form_page, request_user
from vigil.common.form_saves import form_save


def person_new(request: HttpRequest, case_id: UUID, role: str) -> HttpResponse:
    user = request_user(request)
    if role not in PersonRole.values:
        raise Http404
    case = selectors.case_view(user=user, case_id=case_id, page="person_new", change=True)
    form = PersonForm(request.POST or None)

    def save(data: dict[str, Any]) -> None:
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

    saved = form_save(request, form, save, done=_("Saved."), to=case_url(case, "people"))
    if saved:
        return saved
    title = _("Add a victim") if role == PersonRole.VICTIM else _("Add a suspect")
    return form_page(request, case, form, title=title, submit=_("Save"))


def safe_contact_edit(request: HttpRequest, case_id: UUID, person_id: UUID) -> HttpResponse:
    user = request_user(request)
    case = selectors.case_view(user=user, case_id=case_id, page="safe_contact", change=True)
    victim = case.people.filter(pk=person_id, role=PersonRole.VICTIM).first()
    if victim is None:
        raise Http404
    form = SafeContactForm(
        request.POST or None,
        initial=SafeContactForm.initial_from(victim.contact_prefs),
        version=victim.contact.version if victim.contact else 1,
    )

    def now_saved() -> tuple[dict[str, Any], int]:
        if victim.contact is not None:
            victim.contact.refresh_from_db()
        return (
            SafeContactForm.initial_from(victim.contact_prefs),
            victim.contact.version if victim.contact else 1,
        )

    saved = form_save(
        request,
        form,
        lambda data: services.victim_safe_contact_update(
            victim=victim, prefs=form.prefs(), by=user, version=form.read_version
        ),
        done=_("Safe contact preferences saved."),
        to=case_url(case),
        now_saved=now_saved,
    )
    if saved:
        return saved
    return form_page(
        request,
        case,
        form,
        title=_("Safe contact for %(name)s") % {"name": victim.name},
        submit=_("Save preferences"),
        intro=_("Ask the victim. Only use what they tell you is safe."),
    )

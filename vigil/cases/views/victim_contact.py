"""Contact with the victim: messages and the contact log.

Thin: parse, call one service or selector, render.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigil.cases import selectors, services
from vigil.cases.forms import (
    ContactLogForm,
    MessageForm,
)
from vigil.cases.models import (
    PersonRole,
)
from vigil.cases.views._common import request_user
from vigil.notifications.selectors import undelivered_messages


def contact(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = request_user(request)
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
                # Only a message on her report is there at once; others wait in the outbox.
                messages.success(
                    request,
                    _("Message added to their online report.")
                    if data["channel"] == "online_report"
                    else _("Message queued. The contact log shows when it is sent."),
                )
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
            "entries": case.contacts.select_related("by", "victim", "message"),
            "undelivered": undelivered_messages(contact_ids=[v.contact_id for v in victims]),
            "message_form": message_form if can_change else None,
            "log_form": log_form if can_change else None,
            "form": form,
        },
    )

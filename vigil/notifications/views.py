from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.notifications.models import OutboxMessage, OutboxStatus
from vigil.notifications.services import outbox_retry


def _require_outbox_manager(request: HttpRequest) -> None:
    if not request.user.has_perm("notifications.manage_outbox"):
        raise Http404


def failed_list(request: HttpRequest) -> HttpResponse:
    _require_outbox_manager(request)
    failed = OutboxMessage.objects.filter(status=OutboxStatus.FAILED).order_by("-updated_at")[:200]
    return render(request, "notifications/failed.html", {"failed": failed})


@require_POST
def retry(request: HttpRequest, message_id: UUID) -> HttpResponse:
    _require_outbox_manager(request)
    message = get_object_or_404(OutboxMessage, pk=message_id, status=OutboxStatus.FAILED)
    outbox_retry(message=message, by=request.user)
    messages.success(request, _("The message will be sent again."))
    return redirect("notifications:failed")

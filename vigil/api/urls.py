"""/api/v1/: every call is written to the audit log under the calling client's name."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from vigil.api import views
from vigil.api.v1 import api
from vigil.audit.services import audit_record

logger = logging.getLogger(__name__)


def audited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Record the call once it is answered: who (the client), what (the route), the status.

    Calls with no token we know cannot be put under a client's name; they are logged instead,
    so a flood of them cannot fill the audit log.
    """

    # wraps() keeps django-ninja's csrf_exempt mark: the API is called with bearer tokens, never
    # with a browser's cookies, so there is no cross-site form to guard against.
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        client = getattr(request, "api_client", None)
        match = request.resolver_match
        route = match.route if match else request.path
        if client is None:
            if "HTTP_AUTHORIZATION" in request.META or response.status_code != 200:
                logger.info("API %s %s: %s", request.method, route, response.status_code)
            return response
        audit_record(
            action="api.call",
            actor=client.user,
            target=client,
            summary={
                "client": client.name,
                "method": request.method,
                "route": route,
                "status": response.status_code,
                **{name: str(value) for name, value in kwargs.items()},
            },
        )
        return response

    return wrapper


def _audited(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    wrapped: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            wrapped.append(
                URLPattern(
                    pattern.pattern, audited(pattern.callback), pattern.default_args, pattern.name
                )
            )
        else:
            wrapped.append(pattern)
    return wrapped


_patterns, _app_name, _namespace = api.urls
app_name = "api"
urlpatterns = [
    path("docs/", views.docs, name="docs"),
    path("", (_audited(list(_patterns)), _app_name, _namespace)),
]

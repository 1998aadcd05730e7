from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from vigil.common.client_address import client_address, is_from_trusted_proxy
from vigil.common.request_context import (
    RequestContext,
    new_request_id,
    reset_request_context,
    set_request_context,
)


class ProxyHeadersMiddleware:
    """Behind a proxy, X-Forwarded-Proto decides whether Django treats a request as HTTPS
    (SECURE_PROXY_SSL_HEADER): a request that did not come through one of our proxies has it
    removed, so nobody reaching the app server directly can claim to be on HTTPS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.VIGIL_BEHIND_PROXY and not is_from_trusted_proxy(request):
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)


class RequestContextMiddleware:
    """Give every request an id (returned as X-Request-ID) that audit rows and logs carry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id()
        # The client's address, not a proxy's (vigil.common.client_address): the audit, every
        # rate limit and the staff lockout count under this one.
        context = RequestContext(request_id=request_id, ip_address=client_address(request))
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_context(context)
        try:
            response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    """Headers Django does not set itself.

    Pages are never stored by the browser or a proxy: a victim's phone may be checked by the
    person they fear, and a cached page would show what they read. Static files keep their
    long cache (they reveal nothing).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if not request.path.startswith(settings.STATIC_URL):
            response.setdefault("Cache-Control", "no-store, max-age=0")
        return response

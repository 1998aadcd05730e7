"""Public information pages rendered once per variant and served from a cache.

A public page is the same for everyone but for the language and the cookie choice, so it is
rendered once for each (page, language, cookie choice) and kept for a short while. Django's
per-site cache middleware is not used: it keys on the URL and headers only, and would happily
store a page rendered for one visitor's session. Here nothing personal can be stored, because a
page is neither served from nor written to the cache unless all of these hold:

- the request is a GET or HEAD with no query string (but the banner's ?cookies= confirmation);
- the browser sent no cookie but the consent and language cookies (a session, a report draft, a
  tracking sign-in, a message waiting to be shown: each means the page may be personal);
- nobody is signed in;
- the response is a 200 that sets no cookie, wrote nothing to the session, and used no CSRF
  token.

Every page carries a CSP nonce that must be new on each response: the cached copy holds a
placeholder, replaced with this response's nonce when it is served.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from vigil.public_site.consent import CONSENT_COOKIE, consent_from_request

CACHE_ALIAS = "public_pages"
# Cookies that are part of the variant, not of a person.
VARIANT_COOKIES = frozenset({CONSENT_COOKIE, settings.LANGUAGE_COOKIE_NAME})
BANNER_CONFIRMATIONS = frozenset({"cookies=accepted", "cookies=rejected"})
# Never appears in a page by chance; one per process, so a copy from another is never trusted.
NONCE_PLACEHOLDER = "vigil-nonce-" + secrets.token_hex(16)
# Headers a cached page is served with (the security headers are added again by middleware).
KEPT_HEADERS = ("Content-Type", "Content-Language")

View = Callable[..., HttpResponse]


def _may_use_cache(request: HttpRequest) -> bool:
    if not settings.PUBLIC_PAGE_CACHE_SECONDS or request.method not in {"GET", "HEAD"}:
        return False
    query = request.META.get("QUERY_STRING", "")
    if query and query not in BANNER_CONFIRMATIONS:
        return False
    if set(request.COOKIES) - VARIANT_COOKIES:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def variant_key(request: HttpRequest) -> str:
    consent = consent_from_request(request)
    choice = (
        ",".join(sorted(f"{k}={v}" for k, v in consent.as_dict().items()))
        if consent.choice_made
        else "none"
    )
    parts = [
        str(settings.PUBLIC_PAGE_CACHE_VERSION),
        request.get_host(),
        request.path,
        request.META.get("QUERY_STRING", ""),
        translation.get_language() or "",
        choice,
    ]
    return "public-page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _is_impersonal(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.cookies or response.streaming:
        return False
    # No session cookie came in (see _may_use_cache), so reading the session read nothing; a
    # page that wrote to it would go out with a session cookie, so it is not kept.
    session = getattr(request, "session", None)
    if session is not None and (session.modified or not session.is_empty()):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    return b"csrfmiddlewaretoken" not in response.content


def _with_nonce(content: bytes, request: HttpRequest) -> bytes:
    nonce = getattr(request, "_csp_nonce", None)
    # A LazyNonce is falsy until read; reading it here makes the CSP middleware put it in this
    # response's header.
    value = "" if nonce is None else str(nonce)
    return content.replace(NONCE_PLACEHOLDER.encode(), value.encode())


def cached_public_page(view: View) -> View:
    """Serve `view` from the cache when the request and the page are impersonal (above)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _may_use_cache(request):
            return view(request, *args, **kwargs)
        cache = caches[CACHE_ALIAS]
        key = variant_key(request)
        stored = cache.get(key)
        if stored is not None:
            response = HttpResponse(_with_nonce(stored["content"], request))
            for header, value in stored["headers"].items():
                response[header] = value
            response["X-Vigil-Page-Cache"] = "hit"
            return response
        real_nonce = getattr(request, "_csp_nonce", None)
        request._csp_nonce = NONCE_PLACEHOLDER  # type: ignore[attr-defined]
        try:
            response = view(request, *args, **kwargs)
        finally:
            request._csp_nonce = real_nonce  # type: ignore[attr-defined]
        if _is_impersonal(request, response):
            headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
            cache.set(
                key,
                {"content": response.content, "headers": headers},
                settings.PUBLIC_PAGE_CACHE_SECONDS,
            )
            response["X-Vigil-Page-Cache"] = "miss"
        response.content = _with_nonce(response.content, request)
        return response

    return wrapper

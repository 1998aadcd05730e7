from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

STAFF_PREFIX = "/staff/"
LAST_SEEN_KEY = "vigil_last_seen"
# Pages a signed-in member of staff may reach before finishing two-factor sign-in.
TWO_FACTOR_EXEMPT = {"accounts:login", "accounts:verify", "accounts:setup", "accounts:logout"}


class StaffAccessMiddleware:
    """Nothing under /staff/ is served without a password *and* a verified TOTP code.

    Doing this once here, rather than in each view, means a new staff page cannot forget it.
    It also ends a staff session after a period without activity.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(STAFF_PREFIX):
            return self.get_response(request)
        exempt_paths = {reverse(name) for name in TWO_FACTOR_EXEMPT}
        user = request.user
        if user.is_authenticated and self._idle_too_long(request):
            logout(request)
            return HttpResponseRedirect(reverse("accounts:login") + "?timeout=1")
        if request.path in exempt_paths:
            return self.get_response(request)
        if not user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")
        if not user.is_two_factor_verified:
            return HttpResponseRedirect(reverse("accounts:verify"))
        request.session[LAST_SEEN_KEY] = int(time.time())
        return self.get_response(request)

    def _idle_too_long(self, request: HttpRequest) -> bool:
        last_seen = request.session.get(LAST_SEEN_KEY)
        if last_seen is None:
            return False
        return time.time() - last_seen > settings.STAFF_IDLE_TIMEOUT_MINUTES * 60

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vigil.public_site.consent import consent_from_request, consent_is_asked, optional_categories
from vigil.public_site.findable import findable_page

BANNER_CONFIRMATIONS = {"accepted", "rejected"}
# The public menu: (label, URL name, keyword arguments).
NAVIGATION: list[tuple[Any, str, dict[str, str]]] = [
    (_("What stalking is"), "public_site:page", {"slug": "what-stalking-is"}),
    (_("Is this stalking?"), "public_site:self_check", {}),
    (_("Staying safe"), "public_site:page", {"slug": "staying-safe"}),
    (_("After you report"), "public_site:page", {"slug": "after-you-report"}),
    (_("Get help"), "public_site:get_help", {}),
    # For someone who has already reported: reachable from every page (issue 16).
    (_("Check on my report"), "reporting:track", {}),
    (_("Your safety tools"), "safety:hub", {}),
]


def public(request: HttpRequest) -> dict[str, Any]:
    """The public layout's menu, and cookie consent: the banner, and the flags that optional
    features (analytics, if a force ever adds any) must check before they set a cookie."""
    if request.path.startswith("/staff/"):
        return {}
    consent = consent_from_request(request)
    cookies_url = reverse("public_site:cookies")
    confirmation = request.GET.get("cookies", "")
    navigation = []
    for label, name, kwargs in NAVIGATION:
        url = reverse(name, kwargs=kwargs)
        navigation.append({"label": label, "url": url, "active": request.path == url})
    findable = findable_page(request.path)
    return {
        "robots": "index, follow" if findable else "noindex, nofollow",
        "meta_description": findable.description if findable else "",
        "public_navigation": navigation,
        "cookies_url": cookies_url,
        "optional_cookies_allowed": consent.as_dict(),
        "show_cookie_banner": consent_is_asked()
        and not consent.choice_made
        and request.path != cookies_url,
        "optional_cookie_categories": optional_categories(),
        "cookie_banner_confirmation": confirmation
        if confirmation in BANNER_CONFIRMATIONS and consent.choice_made and consent_is_asked()
        else "",
    }

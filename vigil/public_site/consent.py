"""Cookie consent: which optional cookies a visitor has agreed to.

Before a visitor chooses, and after they reject, the site sets only strictly necessary cookies.
Vigil sets no optional cookie at all (it counts page views on the server without one:
vigil/public_site/usage.py), so by default there is nothing to ask and no banner asks. A force
that adds an optional cookie registers its category (`optional_cookies_register(ANALYTICS)`, in
an AppConfig.ready); the banner and the cookies page then ask about it, and whatever sets the
cookie must first check `consent_allows(request, "<category>")` (or, in a template,
`optional_cookies_allowed.<category>`), which is False until the visitor has said yes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CONSENT_COOKIE = "vigil_cookie_policy"
CONSENT_VERSION = "1"


@dataclass(frozen=True)
class CookieCategory:
    name: str
    title: Promise
    description: Promise


# An example a force may register if it adds analytics that set a cookie. Not registered here.
ANALYTICS = CookieCategory(
    "analytics",
    _("Cookies that measure how the website is used"),
    _(
        "These would tell us which pages people visit and how long they stay, so we can make "
        "the service better. They would not tell us who you are."
    ),
)

_OPTIONAL: list[CookieCategory] = []


def optional_cookies_register(category: CookieCategory) -> None:
    """Declare a kind of optional cookie the site now sets, so visitors are asked about it."""
    if category.name not in {c.name for c in _OPTIONAL}:
        _OPTIONAL.append(category)


def optional_cookies_unregister(name: str) -> None:
    _OPTIONAL[:] = [c for c in _OPTIONAL if c.name != name]


def optional_categories() -> tuple[CookieCategory, ...]:
    return tuple(_OPTIONAL)


def consent_is_asked() -> bool:
    """Only ask about cookies that exist: with no optional cookie there is no choice to make."""
    return bool(_OPTIONAL)


def _category_names() -> frozenset[str]:
    return frozenset(c.name for c in _OPTIONAL)


@dataclass(frozen=True)
class StrictlyNecessaryCookie:
    name: str
    purpose: Promise
    expires: Promise


def strictly_necessary_cookies() -> list[StrictlyNecessaryCookie]:
    """The cookies the service sets whatever the visitor chooses (listed on the cookies page)."""
    return [
        StrictlyNecessaryCookie(
            settings.SESSION_COOKIE_NAME,
            _("Remembers that you have signed in, to follow your report or as staff"),
            _("When you close your browser, or press Exit this page"),
        ),
        StrictlyNecessaryCookie(
            settings.REPORT_DRAFT_COOKIE_NAME,
            _(
                "Lets us find your answers while you fill in a report. Your answers are kept on "
                "our system, not in the cookie"
            ),
            _("When you close your browser, or press Exit this page"),
        ),
        StrictlyNecessaryCookie(
            settings.CSRF_COOKIE_NAME,
            _("Stops other websites sending forms to this service pretending to be you"),
            _("When you close your browser, or press Exit this page"),
        ),
        StrictlyNecessaryCookie(
            CONSENT_COOKIE,
            _("Remembers your cookie choices"),
            _("When you close your browser, or press Exit this page"),
        ),
        StrictlyNecessaryCookie(
            settings.LANGUAGE_COOKIE_NAME,
            _("Remembers the language you chose, English or Welsh"),
            _("When you close your browser, or press Exit this page"),
        ),
    ]


def strictly_necessary_cookie_names() -> frozenset[str]:
    return frozenset(cookie.name for cookie in strictly_necessary_cookies())


@dataclass(frozen=True)
class CookieConsent:
    choice_made: bool
    allowed: frozenset[str]

    def allows(self, category: str) -> bool:
        return self.choice_made and category in self.allowed

    def as_dict(self) -> dict[str, bool]:
        return {name: self.allows(name) for name in _category_names()}


def _parse(value: str) -> CookieConsent | None:
    # "1.analytics-yes": a version, then one "name-yes|no" per category.
    version, _sep, rest = value.partition(".")
    if version != CONSENT_VERSION:
        return None
    allowed = set()
    for part in rest.split(".") if rest else []:
        name, _dash, answer = part.rpartition("-")
        if name in _category_names() and answer == "yes":
            allowed.add(name)
    return CookieConsent(choice_made=True, allowed=frozenset(allowed))


def consent_from_request(request: HttpRequest) -> CookieConsent:
    value = request.COOKIES.get(CONSENT_COOKIE, "")
    return (value and _parse(value)) or CookieConsent(choice_made=False, allowed=frozenset())


def consent_allows(request: HttpRequest, category: str) -> bool:
    """The gate every optional cookie or script must pass: False until the visitor says yes."""
    return consent_from_request(request).allows(category)


def consent_save(response: HttpResponse, *, allowed: set[str] | frozenset[str]) -> None:
    """Remember the visitor's choice until the browser closes; they can change it on the cookies
    page. Not for a year, as most sites do: a cookie left on a shared or watched device would
    show that someone visited this site."""
    parts = [f"{c.name}-{'yes' if c.name in allowed else 'no'}" for c in _OPTIONAL]
    response.set_cookie(
        CONSENT_COOKIE,
        ".".join([CONSENT_VERSION, *parts]),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )

"""Which public pages search engines may list, and how each describes itself.

A victim searching for help with stalking in the force's area must find the awareness and help
pages. Everything else (the report, "track my report", the safety tools, staff pages, cookie
and feedback forms) stays `noindex` and out of the sitemap: a search result is no place for
them, and nobody should find a report page in someone's search history by accident. One list
drives the robots meta tag, the description and the sitemap, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FindablePage:
    url_name: str
    kwargs: dict[str, str]
    description: Promise

    @property
    def path(self) -> str:
        return reverse(self.url_name, kwargs=self.kwargs)


FINDABLE_PAGES: tuple[FindablePage, ...] = (
    FindablePage(
        "public_site:home",
        {},
        _(
            "Help if someone is stalking or harassing you: what to do now, how to report it "
            "safely online, and who can support you."
        ),
    ),
    FindablePage(
        "public_site:page",
        {"slug": "what-stalking-is"},
        _(
            "What stalking can look like, online and in person: following, messages, "
            "tracking, turning up. It is never your fault."
        ),
    ),
    FindablePage(
        "public_site:self_check",
        {},
        _(
            "A few short questions to help you decide if what is happening to you is "
            "stalking. Nothing you answer is stored."
        ),
    ),
    FindablePage(
        "public_site:page",
        {"slug": "after-you-report"},
        _(
            "What happens after you report stalking or harassment: who contacts you, when, "
            "and how we keep you informed."
        ),
    ),
    FindablePage(
        "public_site:page",
        {"slug": "staying-safe"},
        _(
            "Practical ways to stay safer if someone is stalking you, at home, online and "
            "when you are out."
        ),
    ),
    FindablePage(
        "public_site:page",
        {"slug": "harassment-or-stalking"},
        _(
            "The difference between harassment and stalking, and why it matters for the help "
            "you can get."
        ),
    ),
    FindablePage(
        "public_site:get_help",
        {},
        _(
            "Helplines and support services for people being stalked or harassed, with "
            "opening hours and how to contact them."
        ),
    ),
    FindablePage(
        "public_site:page",
        {"slug": "hide-your-visit"},
        _(
            "How to leave this site quickly and hide your visit if someone checks your phone "
            "or computer."
        ),
    ),
)


def findable_page(path: str) -> FindablePage | None:
    for page in FINDABLE_PAGES:
        if page.path == path:
            return page
    return None


class FindableSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> list[FindablePage]:
        return list(FINDABLE_PAGES)

    def location(self, item: Any) -> str:
        return str(item.path)

"""The pages of the report, their order and where each leads.

One list drives "Continue", the back link, "change" links and the check before sending, so a
page cannot be skipped by accident and a new page needs adding in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.reporting import forms
from vigil.reporting.models import ReporterType

SECTION = _("Report stalking or harassment")


@dataclass(frozen=True)
class Step:
    slug: str
    title: Promise
    form_class: type[forms.StepForm] | None = None
    section: Promise = SECTION
    # The title when someone reports for another person, if it differs (issue 16).
    title_for_other: Promise | None = None
    # A page with one radio question: the question is the page's heading, so the heading
    # does not repeat it in other words (GOV.UK question pages).
    question_is_heading: bool = False

    def title_for(self, data: dict[str, Any]) -> Promise:
        if self.title_for_other is not None and not for_self(data):
            return self.title_for_other
        return self.title


STEPS: tuple[Step, ...] = (
    Step("who", _("Who is reporting"), forms.WhoForm, question_is_heading=True),
    Step("your-details", _("About you, the person reporting"), forms.ReporterForm),
    Step("reporter-contact", _("Contacting you safely"), forms.ReporterContactForm),
    Step("danger", _("Safety now"), forms.DangerForm),
    Step("victim-name", _("Name and date of birth"), forms.VictimNameForm),
    Step("victim-contact", _("Contact details"), forms.VictimContactForm),
    Step("victim-address", _("Address"), forms.VictimAddressForm),
    Step("victim-knows", _("Whether we can contact them"), forms.VictimKnowsForm),
    Step(
        "equality",
        _("About you (optional)"),
        forms.EqualityForm,
        title_for_other=_("About them (optional)"),
    ),
    Step(
        "contact-channels",
        _("Contacting you safely"),
        forms.ContactChannelsForm,
        title_for_other=_("Contacting them safely"),
    ),
    Step("contact-safety", _("Keeping contact safe"), forms.ContactSafetyForm),
    Step("suspects", _("The person doing this")),
    Step("behaviours", _("What has been happening"), forms.BehavioursForm),
    Step("when", _("When it happens"), forms.WhenForm),
    Step("incidents", _("Times it happened")),
    Step(
        "impact",
        _("How it has affected you"),
        forms.ImpactForm,
        title_for_other=_("How it has affected them"),
    ),
    Step("evidence", _("Evidence")),
    Step("anything-else", _("Anything else"), forms.AnythingElseForm),
)
STEP_BY_SLUG: dict[str, Step] = {step.slug: step for step in STEPS}
FORM_STEPS = frozenset(step.slug for step in STEPS if step.form_class is not None)


@dataclass(frozen=True)
class Collection:
    """A page that can be filled in several times (add another)."""

    slug: str
    form_class: type[forms.StepForm]
    item_title: Promise
    summary_title: Promise


COLLECTIONS: dict[str, Collection] = {
    "suspects": Collection(
        "suspects", forms.SuspectForm, _("About the person"), _("People you have told us about")
    ),
    "incidents": Collection(
        "incidents", forms.IncidentForm, _("A time it happened"), _("Times you have told us about")
    ),
}


def for_self(data: dict[str, Any]) -> bool:
    who = data.get("answers", {}).get("who", {}).get("reporter_type", ReporterType.VICTIM)
    return bool(who == ReporterType.VICTIM)


THIRD_PARTY_ONLY = frozenset({"your-details", "reporter-contact", "victim-knows"})
VICTIM_CONTACT = frozenset({"contact-channels", "contact-safety"})


def victim_may_be_contacted(data: dict[str, Any]) -> bool:
    """When someone else reports, only if they told us the victim knows and contact is safe."""
    if for_self(data):
        return True
    knows = data.get("answers", {}).get("victim-knows", {})
    return knows.get("victim_knows") == "yes" and knows.get("victim_contact_safe") == "yes"


def third_party_caution(data: dict[str, Any]) -> str:
    """Why the victim's record must allow no contact ("" if it need not): see
    vigil.contact.contract.THIRD_PARTY_CAUTIONS."""
    if victim_may_be_contacted(data):
        return ""
    knows = data.get("answers", {}).get("victim-knows", {})
    if knows.get("victim_knows") != "yes":
        return "unaware"
    return "unsafe" if knows.get("victim_contact_safe") == "no" else "unsure"


def applies(slug: str, data: dict[str, Any]) -> bool:
    if slug in THIRD_PARTY_ONLY:
        return not for_self(data)
    if slug in VICTIM_CONTACT:
        # Not asked when we will not contact them: the answers would not be used.
        return victim_may_be_contacted(data)
    return True


def applicable_steps(data: dict[str, Any]) -> list[Step]:
    return [step for step in STEPS if applies(step.slug, data)]


def first_missing(data: dict[str, Any]) -> str | None:
    """The first page not yet answered; None when the report is ready to check."""
    answers = data.get("answers", {})
    for step in applicable_steps(data):
        if step.slug not in answers:
            return step.slug
    return None


def next_after(slug: str, data: dict[str, Any]) -> str:
    slugs = [step.slug for step in applicable_steps(data)]
    if slug in slugs and slugs.index(slug) + 1 < len(slugs):
        return slugs[slugs.index(slug) + 1]
    return "check"


def previous_before(slug: str, data: dict[str, Any]) -> str | None:
    slugs = [step.slug for step in applicable_steps(data)]
    if slug == "check":
        return slugs[-1]
    if slug in slugs and slugs.index(slug) > 0:
        return slugs[slugs.index(slug) - 1]
    return None

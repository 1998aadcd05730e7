"""Reports as summary lists: the reporter's check-your-answers page and the staff view share
one description of what each answer means in words."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from vigil.common.behaviours import ABOUT_THEM, BEHAVIOUR_BY_CODE
from vigil.contact.contract import SafeContactPrefs
from vigil.reporting.forms import FREQUENCY_CHOICES, ContactChannelsForm, EqualityForm
from vigil.reporting.models import ReporterType, SuspectRelationship, ThirdPartyAnswer

ChangeUrl = Callable[[str, int | None], str] | None


def _date(value: str | None) -> str:
    if not value:
        return ""
    return long_date(datetime.date.fromisoformat(value))


def long_date(value: datetime.date) -> str:
    """ "3 April 1990", with the month in the page's language (strftime's is always English)."""
    return str(formats.date_format(value, "j F Y"))


def _yes_no(value: Any) -> str:
    return _("Yes") if value else _("No")


def _lines(*values: Any) -> str:
    return "\n".join(str(v) for v in values if v)


def _choice_label(choices: Sequence[tuple[str, Any]], value: str) -> str:
    return str(dict(choices).get(value, value))


def describe_suspect(suspect: dict[str, Any]) -> str:
    social = [
        f"{item['platform']}: {item['handle']}" if item.get("platform") else item["handle"]
        for item in suspect.get("social", [])
    ]
    parts = [
        str(SuspectRelationship(suspect.get("relationship", "unknown")).label),
        ", ".join(suspect.get("names", [])),
        _("Also known as: %(names)s") % {"names": ", ".join(suspect["aliases"])}
        if suspect.get("aliases")
        else "",
        ", ".join(suspect.get("phones", [])),
        ", ".join(suspect.get("emails", [])),
        ", ".join(social),
        ", ".join(suspect.get("vehicles", [])),
        "; ".join(suspect.get("addresses", [])),
        suspect.get("description", ""),
    ]
    return _lines(*parts)


def report_sections(
    payload: dict[str, Any], *, files: Sequence[Any], change_url: ChangeUrl = None
) -> list[dict[str, Any]]:
    """Sections of rows {key, value, url}; `url` is where to change it (reporter only)."""

    def row(key: str, value: str, slug: str, index: int | None = None) -> dict[str, Any]:
        return {
            "key": key,
            "value": value or _("Not given"),
            "url": change_url(slug, index) if change_url else "",
        }

    victim = payload["victim"]
    reporter = payload["reporter"]
    for_other = payload["reporter_type"] != ReporterType.VICTIM
    contact: SafeContactPrefs = payload["safe_contact"]
    reporter_contact: SafeContactPrefs | None = payload.get("reporter_safe_contact")
    details = payload["details"]
    address = victim.get("address", {})
    channel_labels = dict(ContactChannelsForm.base_fields["channels"].choices)  # type: ignore[attr-defined]
    equality = victim.get("equality", {})
    equality_text = _lines(
        *(
            _choice_label(EqualityForm.base_fields[name].choices, value)  # type: ignore[attr-defined]
            for name, value in equality.items()
            if name in EqualityForm.base_fields
        )
    )
    third_party_rows: list[dict[str, Any]] = []
    if for_other:
        third_party_rows = [
            row(
                _("The person reporting"),
                _lines(
                    reporter.get("name"),
                    reporter.get("relationship"),
                    reporter.get("organisation"),
                    reporter.get("email"),
                    reporter.get("phone"),
                ),
                "your-details",
            ),
            *_reporter_contact_rows(reporter_contact, row, channel_labels),
            row(
                _("Do they know about the report"),
                _choice_label(ThirdPartyAnswer.choices, payload.get("victim_knows", "")),
                "victim-knows",
            ),
            row(
                _("Safe for us to contact them"),
                _choice_label(ThirdPartyAnswer.choices, payload.get("victim_contact_safe", "")),
                "victim-knows",
            ),
        ]
    sections: list[dict[str, Any]] = [
        {
            "title": _("Who is reporting"),
            "rows": [
                row(
                    _("Who is making the report"),
                    str(ReporterType(payload["reporter_type"]).label),
                    "who",
                ),
                *third_party_rows,
            ],
        },
        {
            "title": _("Safety now"),
            "rows": [
                row(_("Anyone in danger right now"), _yes_no(payload["immediate_danger"]), "danger")
            ],
        },
        {
            "title": _("The person it is happening to"),
            "rows": [
                row(_("Name"), victim.get("name", ""), "victim-name"),
                row(_("Date of birth"), _date(victim.get("date_of_birth")), "victim-name"),
                row(
                    _("Contact details"),
                    _lines(victim.get("email"), victim.get("phone")),
                    "victim-contact",
                ),
                row(
                    _("Address"),
                    _lines(
                        address.get("line_1"),
                        address.get("line_2"),
                        address.get("town"),
                        address.get("postcode"),
                    ),
                    "victim-address",
                ),
                row(_("Equality questions"), equality_text, "equality"),
            ],
        },
        {
            "title": _("Contacting them safely") if for_other else _("Contacting safely"),
            "rows": [row(_("Do not contact"), contact.describe(), "victim-knows")]
            if contact.third_party_caution
            else [
                row(
                    _("Safe ways to contact"),
                    _lines(*(channel_labels.get(c, c) for c in contact.channels))
                    or _("Do not contact"),
                    "contact-channels",
                ),
                row(_("Safe times"), contact.safe_times, "contact-safety"),
                row(_("Leave a voicemail"), _yes_no(contact.voicemail_ok), "contact-safety"),
                row(
                    _("Say we are the police"),
                    _yes_no(contact.can_say_police),
                    "contact-safety",
                ),
                row(_("Safe word"), contact.safe_word, "contact-safety"),
                row(
                    _("Someone else may read messages"),
                    _yes_no(contact.others_may_read),
                    "contact-safety",
                ),
            ],
        },
        {
            "title": _("The person doing this"),
            "rows": [
                row(_("Person %(n)s") % {"n": index + 1}, describe_suspect(s), "suspects", index)
                for index, s in enumerate(payload["suspects"])
            ],
        },
        {
            "title": _("What has been happening"),
            "rows": [
                row(
                    _("What they have done"),
                    _lines(
                        *(
                            # Someone reporting for another was asked about "them".
                            ABOUT_THEM[c] if for_other else BEHAVIOUR_BY_CODE[c].label
                            for c in details.get("behaviours", [])
                            if c in BEHAVIOUR_BY_CODE
                        )
                    ),
                    "behaviours",
                ),
                row(_("When it started"), _date(details.get("started_on")), "when"),
                row(_("When it last happened"), _date(details.get("most_recent_on")), "when"),
                row(
                    _("How often"),
                    _choice_label(FREQUENCY_CHOICES, details.get("frequency", "")),
                    "when",
                ),
            ],
        },
        {
            "title": _("Times it happened"),
            "rows": [
                row(
                    _lines(_date(i.get("date")), i.get("time")).replace("\n", ", "),
                    _lines(
                        i.get("place"),
                        i.get("what_happened"),
                        _("Added after the report was sent, %(when)s")
                        % {"when": i["added_at"][:10]}
                        if i.get("added_at")
                        else "",
                    ),
                    "incidents",
                    index,
                )
                for index, i in enumerate(details.get("incidents", []))
            ],
        },
        {
            "title": _("How it has affected them") if for_other else _("How it has affected you"),
            "rows": [
                row(
                    _("The effect on them") if for_other else _("The effect on you"),
                    details.get("impact", ""),
                    "impact",
                ),
                row(
                    _("What they have changed") if for_other else _("What you have changed"),
                    details.get("changes_made", ""),
                    "impact",
                ),
            ],
        },
        {
            "title": _("Evidence"),
            "rows": [
                row(
                    _("Files"),
                    _lines(*(f.original_name for f in files)) or _("No files"),
                    "evidence",
                )
            ],
        },
        {
            "title": _("Anything else"),
            "rows": [row(_("Anything else"), details.get("anything_else", ""), "anything-else")],
        },
    ]
    return sections


def _reporter_contact_rows(
    prefs: SafeContactPrefs | None, row: Callable[..., dict[str, Any]], labels: dict[str, Any]
) -> list[dict[str, Any]]:
    """The reporter's own ways and times (their record, not the victim's)."""
    if prefs is None:
        return []
    return [
        row(
            _("Safe ways to contact the person reporting"),
            _lines(*(labels.get(c, c) for c in prefs.channels)) or _("Do not contact"),
            "reporter-contact",
        ),
        row(_("Safe times for the person reporting"), prefs.safe_times, "reporter-contact"),
        row(
            _("Leave the person reporting a voicemail"),
            _yes_no(prefs.voicemail_ok),
            "reporter-contact",
        ),
        row(
            _("Say we are the police to the person reporting"),
            _yes_no(prefs.can_say_police),
            "reporter-contact",
        ),
        row(
            _("Someone else may read the reporter's messages"),
            _yes_no(prefs.others_may_read),
            "reporter-contact",
        ),
    ]

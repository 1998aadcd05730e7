"""A report sent by a reporting app, checked by the very forms the online report uses.

Each page's form validates its part of the request body, so the API accepts exactly what the
web form accepts and refuses it with the same words. Nothing is written until every part and
every file has passed: a refused report leaves no draft, no file and no report behind.
"""

from __future__ import annotations

import base64
import binascii
import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

from vigil.api.models import ApiClient
from vigil.api.problems import ApiProblem
from vigil.audit.write_service import write_service
from vigil.common.forms import GovukDateField
from vigil.reporting import services as reporting
from vigil.reporting import steps
from vigil.reporting.forms import DeclarationForm, StepForm, SuspectForm
from vigil.reporting.models import Report, ReporterType

Text = Field(default="", max_length=10000)


class ReporterIn(Schema):
    name: str = Field(default="", max_length=200)
    relationship: str = Field(default="", max_length=200)
    organisation: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)


class AddressIn(Schema):
    line_1: str = Field(default="", max_length=200)
    line_2: str = Field(default="", max_length=200)
    town: str = Field(default="", max_length=200)
    postcode: str = Field(default="", max_length=10)


class VictimIn(Schema):
    name: str = Field(max_length=200)
    date_of_birth: str = Field(default="", description="YYYY-MM-DD", max_length=10)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)
    address: AddressIn = AddressIn()


class EqualityIn(Schema):
    gender: str = Field(default="", max_length=20)
    ethnic_group: str = Field(default="", max_length=20)
    disability: str = Field(default="", max_length=20)


class SafeContactIn(Schema):
    """How it is safe to contact the victim: every message Vigil sends them obeys it."""

    channels: list[str] = Field(
        description="phone, text, email, letter; or ['none'] for no contact at all",
        max_length=5,
    )
    safe_times: str = Field(default="", max_length=200)
    voicemail_ok: bool
    can_say_police: bool
    safe_word: str = Field(default="", max_length=100)
    others_may_read: bool


class SuspectIn(Schema):
    relationship: str = Field(max_length=30)
    names: list[str] = Field(default=[], max_length=20)
    aliases: list[str] = Field(default=[], max_length=20)
    phones: list[str] = Field(default=[], max_length=20)
    emails: list[str] = Field(default=[], max_length=20)
    social: list[str] = Field(default=[], max_length=20, description="platform: handle")
    vehicles: list[str] = Field(default=[], max_length=20)
    addresses: list[str] = Field(default=[], max_length=20)
    description: str = Text


class WhenIn(Schema):
    started_on: str = Field(description="YYYY-MM-DD", max_length=10)
    most_recent_on: str = Field(description="YYYY-MM-DD", max_length=10)
    frequency: str = Field(max_length=20)


class IncidentIn(Schema):
    date: str = Field(description="YYYY-MM-DD", max_length=10)
    time: str = Field(default="", description="HH:MM", max_length=5)
    place: str = Field(default="", max_length=200)
    what_happened: str = Field(max_length=10000)


class ImpactIn(Schema):
    impact: str = Text
    changes_made: str = Text


class EvidenceIn(Schema):
    name: str = Field(min_length=1, max_length=255)
    content_base64: str = Field(description="The file's bytes, base64-encoded")


class ReportIn(Schema):
    reporter_type: str = Field(description="victim, on_behalf or professional", max_length=30)
    reporter: ReporterIn | None = None
    immediate_danger: bool
    victim: VictimIn
    equality: EqualityIn = EqualityIn()
    safe_contact: SafeContactIn
    suspects: list[SuspectIn] = Field(max_length=10)
    behaviours: list[str] = Field(default=[], max_length=50)
    when: WhenIn
    incidents: list[IncidentIn] = Field(max_length=50)
    impact: ImpactIn = ImpactIn()
    anything_else: str = Text
    evidence: list[EvidenceIn] = Field(default=[], max_length=20)
    confirm: bool = Field(description="The reporter confirms it is true, as far as they know")


class ReportOut(Schema):
    id: str
    reference: str
    status: str
    received_at: datetime.datetime
    tracking_secret: str | None = Field(
        default=None,
        description="For the reporter to follow their report. Given once; a retry leaves it out.",
    )


def _date_parts(value: str) -> list[str]:
    """An ISO date as the day, month and year boxes the form's date field reads."""
    if not value:
        return ["", "", ""]
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return ["0", "0", "0"]  # the field answers "Enter a real date"
    return [str(day.day), str(day.month), str(day.year)]


def _form_data(form_class: type[StepForm], values: dict[str, Any]) -> MultiValueDict[str, Any]:
    data: MultiValueDict[str, Any] = MultiValueDict()
    for name, field in form_class.base_fields.items():
        value = values.get(name)
        if isinstance(field, GovukDateField):
            for index, part in enumerate(_date_parts(str(value or ""))):
                data[f"{name}_{index}"] = part
        elif isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        elif isinstance(value, bool):
            data[name] = "yes" if value else "no"
        elif value is not None:
            data[name] = str(value)
    return data


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _step_values(report: ReportIn) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each form page's answers from the request, with where its fields sit in the request."""
    victim = report.victim
    contact = report.safe_contact
    return {
        "who": ("", {"reporter_type": report.reporter_type}),
        "your-details": ("reporter", (report.reporter or ReporterIn()).model_dump()),
        "danger": ("", {"immediate_danger": _yes_no(report.immediate_danger)}),
        "victim-name": ("victim", {"name": victim.name, "date_of_birth": victim.date_of_birth}),
        "victim-contact": ("victim", {"email": victim.email, "phone": victim.phone}),
        "victim-address": ("victim.address", victim.address.model_dump()),
        "equality": ("equality", report.equality.model_dump()),
        "contact-channels": ("safe_contact", {"channels": contact.channels}),
        "contact-safety": (
            "safe_contact",
            {
                "safe_times": contact.safe_times,
                "voicemail_ok": _yes_no(contact.voicemail_ok),
                "can_say_police": _yes_no(contact.can_say_police),
                "safe_word": contact.safe_word,
                "others_may_read": _yes_no(contact.others_may_read),
            },
        ),
        "behaviours": ("", {"behaviours": report.behaviours}),
        "when": ("when", report.when.model_dump()),
        "impact": ("impact", report.impact.model_dump()),
        "anything-else": ("", {"anything_else": report.anything_else}),
    }


def _path(prefix: str, field: str) -> str:
    return f"{prefix}.{field}" if prefix else field


def _errors_of(form: StepForm, prefix: str) -> list[dict[str, str]]:
    return [
        {"field": _path(prefix, name) if name != "__all__" else prefix or "body", "message": str(m)}
        for name, messages in form.errors.items()
        for m in messages
    ]


def _suspect_values(suspect: Any) -> dict[str, Any]:
    values = suspect.model_dump()
    for name in (*SuspectForm.LIST_FIELDS, "social"):
        values[name] = "\n".join(values[name])
    return values


def _uploads(report: ReportIn, errors: list[dict[str, str]]) -> list[SimpleUploadedFile]:
    uploads: list[SimpleUploadedFile] = []
    stored = 0
    for index, item in enumerate(report.evidence):
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            errors.append(
                {
                    "field": f"evidence[{index}].content_base64",
                    "message": _("The file %(name)s could not be read") % {"name": item.name},
                }
            )
            continue
        upload = SimpleUploadedFile(item.name, content)
        try:
            reporting.evidence_check(upload, already_stored=stored)
        except reporting.EvidenceRejected as rejected:
            errors.extend(
                {"field": f"evidence[{index}]", "message": str(m)} for m in rejected.messages
            )
            continue
        stored += upload.size or 0
        uploads.append(upload)
    return uploads


def report_answers(report: ReportIn) -> tuple[dict[str, Any], list[SimpleUploadedFile]]:
    """The draft's data, as the web pages would have left it, and the checked files.

    Raises ApiProblem (422) with every field's error when any page would have refused it.
    """
    errors: list[dict[str, str]] = []
    for_self = report.reporter_type == ReporterType.VICTIM
    draft_data: dict[str, Any] = {"answers": {}, "suspects": [], "incidents": []}
    answers = draft_data["answers"]
    for slug, (prefix, values) in _step_values(report).items():
        if slug == "your-details" and for_self:
            continue
        form_class = steps.STEP_BY_SLUG[slug].form_class
        assert form_class is not None
        form = form_class(_form_data(form_class, values), for_self=for_self)
        if form.is_valid():
            answers[slug] = form.answers()
        else:
            errors.extend(_errors_of(form, prefix))
    for collection, items, to_values in (
        ("suspects", report.suspects, _suspect_values),
        ("incidents", report.incidents, lambda item: item.model_dump()),
    ):
        if not items:
            errors.append({"field": collection, "message": _("Add at least one")})
        form_class = steps.COLLECTIONS[collection].form_class
        for index, item in enumerate(items):
            form = form_class(_form_data(form_class, to_values(item)), for_self=for_self)
            if form.is_valid():
                draft_data[collection].append(form.answers())
            else:
                errors.extend(_errors_of(form, f"{collection}[{index}]"))
        answers[collection] = {"count": len(items)}
    declaration = DeclarationForm(
        {"confirm": "on" if report.confirm else "", "submission_key": "-"}
    )
    if not declaration.is_valid():
        errors.extend(_errors_of(declaration, ""))
    uploads = _uploads(report, errors)
    answers["evidence"] = {"count": len(uploads)}
    if errors:
        raise ApiProblem(422, _("Some answers need changing."), errors=errors)
    return draft_data, uploads


@write_service
def report_submit_for_client(*, client: ApiClient, report: ReportIn) -> tuple[Report, str]:
    """Check, then send, the report: the same services as the web form, in one transaction."""
    draft_data, uploads = report_answers(report)
    # Each client counts as one address for the reporting app's own limit on reports sent.
    address = f"api-client:{client.pk}"
    draft = reporting.draft_create()
    draft.data = draft_data
    reporting.draft_save(draft=draft)
    for upload in uploads:
        reporting.draft_evidence_add.as_step(draft=draft, upload=upload)
    try:
        created, _created = reporting.report_submit(
            draft=draft, submission_key=draft.submission_key, address=address
        )
    except reporting.SubmitLimited as limited:
        raise ApiProblem(
            429, " ".join(str(m) for m in limited.messages), headers={"Retry-After": "3600"}
        ) from None
    secret = reporting.draft_take_secret(draft=draft)
    return created, secret

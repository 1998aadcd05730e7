from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Agency, Role, Team, User
from vigil.cases.models import (
    CASE_PREFIX,
    CaseOutcome,
    CasePerson,
    CaseStatus,
    ChecklistTemplate,
    Classification,
    ContactChannel,
    ContactDirection,
    CourseOfConductOutcome,
    Incident,
    IncidentSource,
    PriorityGrade,
    RiskLevel,
)
from vigil.cases.policy import incident_date_problem, incident_moment
from vigil.cases.selectors import ANY_STALKING
from vigil.cases.urgent import grades_offered
from vigil.cases.versions import VersionedForm
from vigil.common.behaviours import STAFF_BEHAVIOUR_CHOICES
from vigil.common.forms import (
    GovukDateField,
    NamedErrorsForm,
    RevealingRadioSelect,
    email_field,
    name_every_error,
    phone_field,
)
from vigil.common.references import normalise_reference
from vigil.contact.contract import WEEKDAYS, SafeContactPrefs, prefs_from_answers
from vigil.reporting.models import SuspectRelationship

if TYPE_CHECKING:
    from vigil.cases.closing import OpenItem

SAFE_CHANNELS = [
    ("phone", _("Phone call")),
    ("text", _("Text message")),
    ("email", _("Email")),
    ("letter", _("Letter")),
]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# Asked only when the caller is not the victim.
CALLER_FIELDS = ("caller_phone", "caller_email")


def _text(label: str | Any, *, required: bool = True, help_text: str | Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text, max_length=200)


def _area(label: str | Any, *, required: bool = True, help_text: str | Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )


class TimeField(forms.TimeField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("24-hour clock, for example 14:30"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-5"}))
        super().__init__(input_formats=["%H:%M", "%H.%M", "%H%M"], **kwargs)


class SafeContactFields(NamedErrorsForm):
    channels = forms.MultipleChoiceField(
        label=_("Safe ways to contact the victim"),
        choices=SAFE_CHANNELS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked if the victim does not want to be contacted."),
    )
    safe_days = forms.TypedMultipleChoiceField(
        label=_("Safe days for calls and texts"),
        choices=[(str(i), day) for i, day in enumerate(WEEKDAYS)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked if any day is safe."),
    )
    safe_from = TimeField(label=_("Safe from"), required=False)
    safe_until = TimeField(label=_("Safe until"), required=False)
    safe_times = _text(_("Anything else about safe times, in the victim's words"), required=False)
    voicemail_ok = forms.BooleanField(label=_("It is safe to leave a voicemail"), required=False)
    # Both asked on the online report too: without them here, a staff save used to drop them,
    # and emails were then signed with the force's name to a victim who had said not to.
    # Not answered (a rushed call) counts as the safe answer: someone else may read them, and
    # we do not say we are the police.
    others_may_read = forms.ChoiceField(
        label=_("Might someone else read the victim's messages or open their post?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"required": _("Select yes if someone else might read their messages")},
    )
    can_say_police = forms.ChoiceField(
        label=_("Is it safe to say we are the police?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"required": _("Select yes if it is safe to say we are the police")},
    )
    safe_word = _text(_("Safe word"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("safe_from")) != bool(data.get("safe_until")):
            self.add_error("safe_until", _("Give both a start and an end time, or neither"))
        return data

    def prefs(self) -> SafeContactPrefs:
        return prefs_from_answers(self.cleaned_data.items())


class SafeContactForm(VersionedForm, SafeContactFields):
    """The victim's record, edited by staff; refused over a newer save from either side (the
    victim on "track my report", or a colleague), with what changed shown."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Editing the record: both answers are shown as they stand and must stay answered.
        self.fields["others_may_read"].required = True
        self.fields["can_say_police"].required = True

    @staticmethod
    def initial_from(prefs: SafeContactPrefs) -> dict[str, Any]:
        """The form's answers from the record: every answer is shown, so a save keeps it."""
        return {
            "channels": list(prefs.channels),
            "safe_days": [str(d) for d in prefs.safe_days or ()],
            "safe_from": prefs.safe_from,
            "safe_until": prefs.safe_until,
            "safe_times": prefs.safe_times,
            "voicemail_ok": prefs.voicemail_ok,
            "others_may_read": "yes" if prefs.others_may_read else "no",
            "can_say_police": "yes" if prefs.can_say_police else "no",
            "safe_word": prefs.safe_word,
        }


class PhoneReportForm(SafeContactFields):
    field_order = [
        "immediate_danger",
        "caller_is_victim",
        "caller_phone",
        "caller_email",
        "summary",
        "victim_name",
        "victim_phone",
        "victim_email",
        "channels",
        "safe_days",
        "safe_from",
        "safe_until",
        "safe_times",
        "voicemail_ok",
        "others_may_read",
        "can_say_police",
        "safe_word",
        "suspect_name",
        "suspect_relationship",
        "suspect_phone",
        "behaviours",
    ]
    immediate_danger = forms.BooleanField(
        label=_("The victim is in danger now (send officers under 999 procedures)"),
        required=False,
    )
    # Radios, so "No" can reveal the caller's own details (GOV.UK conditional reveal). Not
    # answered (a rushed call) counts as the victim calling, as the old ticked box did.
    caller_is_victim = forms.TypedChoiceField(
        label=_("Is the caller the victim?"),
        choices=YES_NO,
        coerce=lambda answer: answer == "yes",
        empty_value=None,
        required=False,
        initial="yes",
        widget=RevealingRadioSelect(reveals={"no": CALLER_FIELDS}),
    )
    caller_phone = phone_field(
        _("Caller's phone number (optional)"),
        help_text=_("The caller's own, not the victim's. So they can ask us for what we hold."),
    )
    caller_email = email_field(_("Caller's email address (optional)"))
    victim_name = _text(_("Victim's name"))
    victim_phone = _text(_("Victim's phone number"), required=False)
    victim_email = forms.EmailField(label=_("Victim's email address"), required=False)
    suspect_name = _text(_("Suspect's name, if known"), required=False)
    suspect_relationship = forms.ChoiceField(
        label=_("Who the suspect is to the victim"), choices=SuspectRelationship.choices
    )
    suspect_phone = _text(_("Suspect's phone number, if known"), required=False)
    behaviours = forms.MultipleChoiceField(
        label=_("What has been happening"),
        choices=STAFF_BEHAVIOUR_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = _area(_("What happened, in the caller's words"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["caller_is_victim"] = data.get("caller_is_victim") is not False
        if data["caller_is_victim"]:
            # Hidden under "No" (or shown without JavaScript, and left as typed): not asked.
            for name in CALLER_FIELDS:
                self.errors.pop(name, None)
                data[name] = ""
        return data

    def caller(self) -> dict[str, str]:
        """How to reach a caller who is not the victim, as PhoneReport.caller holds it."""
        data = self.cleaned_data
        return {"phone": data.get("caller_phone") or "", "email": data.get("caller_email") or ""}


class GradeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        minutes = obj.response_minutes
        if minutes < 120:
            within = _("%(n)d minutes") % {"n": minutes}
        elif minutes < 72 * 60:
            within = _("%(n)d hours") % {"n": minutes // 60}
        else:
            within = _("%(n)d days") % {"n": minutes // (24 * 60)}
        return _("%(grade)s: respond within %(within)s") % {"grade": obj.label, "within": within}


class TriageForm(NamedErrorsForm):
    threat = _area(_("Threat"), help_text=_("What threat is there, and to whom?"))
    harm = _area(_("Harm"), help_text=_("What harm has happened, or could happen?"))
    risk = _area(_("Risk"), help_text=_("How likely is harm, and how soon?"))
    investigation = _area(
        _("Investigation"), help_text=_("What needs investigating, and what evidence is at risk?")
    )
    vulnerability = _area(_("Vulnerability"), help_text=_("What makes the victim vulnerable?"))
    engagement = _area(
        _("Engagement"), help_text=_("What will help the victim engage? Any barriers?")
    )
    grade = GradeChoiceField(
        label=_("Priority grade"),
        queryset=PriorityGrade.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    decision = forms.ChoiceField(
        label=_("What happens to the report"),
        choices=[("new_case", _("Create a new case")), ("link", _("Add to an existing case"))],
        widget=forms.RadioSelect,
    )
    principal_classification = forms.ChoiceField(
        label=_("Record a new case as"),
        choices=[("", _("Choose an offence")), *Classification.choices],
        required=False,
    )
    link_reference = forms.CharField(
        label=_("Existing case reference"),
        required=False,
        max_length=20,
        help_text=_("For example CS-KRX4-TMPA-7"),
    )

    def __init__(self, *args: Any, immediate_danger: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grade = self.fields["grade"]
        grade.queryset = grades_offered(immediate_danger=immediate_danger)  # type: ignore[attr-defined]
        if immediate_danger:
            grade.help_text = _(
                "The reporter said they are in danger now, so only emergency grades are offered."
            )
            grade.error_messages["invalid_choice"] = _(
                "The reporter said they are in danger now: choose an emergency grade"
            )

    def clean_link_reference(self) -> str:
        """Typed any way ("cs krx4 tmpa 7"): the stored form."""
        typed = self.cleaned_data.get("link_reference", "").strip()
        return normalise_reference(typed, CASE_PREFIX) if typed else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "new_case" and not data.get("principal_classification"):
            self.add_error("principal_classification", _("Choose what the case is recorded as"))
        if data.get("decision") == "link" and not data.get("link_reference"):
            self.add_error("link_reference", _("Enter the reference of the case to add it to"))
        return data

    def thrive(self) -> dict[str, str]:
        keys = ["threat", "harm", "risk", "investigation", "vulnerability", "engagement"]
        return {key: self.cleaned_data[key] for key in keys}


def _people_choices(people: list[CasePerson]) -> list[tuple[str, str]]:
    return [(str(p.pk), p.name) for p in people]


class OccurredMoment:
    """The date and optional time something happened (fields `occurred_on`, `occurred_time`),
    as incidents keep them: without a time the moment is stored at midday and `time_known` is
    False, so pages show "time not known" rather than a made-up 12:00."""

    cleaned_data: dict[str, Any]

    def clean_occurred_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["occurred_on"]
        problem = incident_date_problem(day)
        if problem:
            raise forms.ValidationError(problem)
        return day

    def occurred_at(self) -> datetime.datetime:
        return incident_moment(self.cleaned_data["occurred_on"], self.cleaned_data["occurred_time"])

    @property
    def time_known(self) -> bool:
        return self.cleaned_data.get("occurred_time") is not None


class IncidentForm(OccurredMoment, NamedErrorsForm):
    occurred_on = GovukDateField(label=_("Date it happened"), allow_future=False)
    occurred_time = TimeField(label=_("Time it happened"), required=False)
    place = _text(_("Where it happened"), required=False)
    victim = forms.ChoiceField(label=_("Victim"))
    suspect = forms.ChoiceField(label=_("Suspect"), required=False)
    behaviours = forms.MultipleChoiceField(
        label=_("Behaviours"),
        choices=STAFF_BEHAVIOUR_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = _area(_("What happened"))
    source = forms.ChoiceField(label=_("Who told us"), choices=IncidentSource.choices)

    def __init__(
        self, *args: Any, victims: list[CasePerson], suspects: list[CasePerson], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in [*victims, *suspects]}
        self.fields["victim"].choices = _people_choices(victims)  # type: ignore[attr-defined]
        self.fields["suspect"].choices = [  # type: ignore[attr-defined]
            ("", _("Not known")),
            *_people_choices(suspects),
        ]
        # With one suspect on the case, an incident is almost always about them.
        if len(suspects) == 1:
            self.fields["suspect"].initial = str(suspects[0].pk)
        if len(victims) == 1:
            self.fields["victim"].initial = str(victims[0].pk)


class ConductDecisionForm(NamedErrorsForm):
    fixated = forms.ChoiceField(
        label=_("Fixated: is the suspect's interest in the victim fixed on them?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    obsessive = forms.ChoiceField(
        label=_("Obsessive: does the behaviour seem driven, hard for them to stop?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    unwanted = forms.ChoiceField(
        label=_("Unwanted: has the victim made clear, or is it plain, that it is not wanted?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    repeated = forms.ChoiceField(
        label=_("Repeated: has it happened more than once?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(
        label=_("Your decision"), choices=CourseOfConductOutcome.choices, widget=forms.RadioSelect
    )
    reasons = _area(_("Your reasons"), help_text=_("These appear on the case timeline."))

    def answers(self) -> dict[str, bool]:
        return {
            k: self.cleaned_data[k] == "yes"
            for k in ("fixated", "obsessive", "unwanted", "repeated")
        }


class PersonForm(NamedErrorsForm):
    name = _text(_("Full name"))
    phone = _text(_("Phone number"), required=False)
    email = forms.EmailField(label=_("Email address"), required=False)
    relationship = forms.ChoiceField(
        label=_("Relationship to the victim (suspects only)"),
        choices=[("", _("Not applicable")), *SuspectRelationship.choices],
        required=False,
    )
    description = _area(_("Description"), required=False)


class EvidenceForm(NamedErrorsForm):
    description = _area(_("What it is"))
    incident = forms.ChoiceField(label=_("Which incident it relates to"), required=False)
    upload = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args: Any, incidents: list[Incident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.incidents = {str(i.pk): i for i in incidents}
        self.fields["upload"].help_text = _(
            "A photo, screenshot, PDF, audio recording or video, smaller than %(size)s MB"
        ) % {"size": settings.CASE_EVIDENCE_MAX_FILE_BYTES // (1024 * 1024)}
        self.fields["incident"].choices = [  # type: ignore[attr-defined]
            ("", _("Not one incident")),
            *[
                (str(i.pk), f"{timezone.localtime(i.occurred_at):%d %b %Y %H:%M}")
                for i in incidents
            ],
        ]


class ClassificationForm(VersionedForm):
    principal = forms.ChoiceField(
        label=_("Principal classification"), choices=Classification.choices
    )
    included = forms.MultipleChoiceField(
        label=_("Included classifications"),
        help_text=_("Record stalking here when the case is recorded under another offence."),
        choices=Classification.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        principal = data.get("principal")
        if principal and principal in (data.get("included") or []):
            self.add_error(
                "included",
                _("An included classification cannot be the same as the principal one."),
            )
        return data


class AssignForm(VersionedForm):
    officer = forms.ModelChoiceField(
        label=_("Officer in charge"),
        queryset=User.objects.filter(role__in=[Role.INVESTIGATOR, Role.OFFENDER_MANAGER]),
        required=False,
        empty_label=_("No one yet"),
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.filter(agency__kind=Agency.Kind.POLICE).select_related("agency"),
        required=False,
        empty_label=_("No team"),
    )
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor"),
        queryset=User.objects.filter(role=Role.SUPERVISOR),
        required=False,
        empty_label=_("No supervisor"),
    )


class CloseForm(VersionedForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=CaseOutcome.choices, widget=forms.RadioSelect
    )
    reason = _area(_("Reason"), help_text=_("For no further action, say why. The victim is told."))

    def __init__(self, *args: Any, items: Sequence[OpenItem] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        # One reason box per open item; whether each reason will do is the service's rule.
        for item in self.items:
            self.fields[item.field_name] = _area(
                _("Why can this stay open? %(item)s") % {"item": item.label},
                required=False,
                help_text=_("Leave empty if you settle it first."),
            )
        name_every_error(self)  # the boxes came after NamedErrorsForm named the others

    def carry_over(self) -> dict[str, str]:
        return {item.key: self.cleaned_data.get(item.field_name, "") for item in self.items}

    def item_fields(self) -> list[tuple[OpenItem, forms.BoundField]]:
        return [(item, self[item.field_name]) for item in self.items]


class ReopenForm(VersionedForm):
    reason = _area(_("Why the case is being opened again"))


class ActionForm(NamedErrorsForm):
    title = _text(_("What needs doing"))
    owner = forms.ModelChoiceField(
        label=_("Who will do it"),
        queryset=User.objects.filter(
            role__in=[Role.INVESTIGATOR, Role.OFFENDER_MANAGER, Role.SUPERVISOR, Role.COORDINATOR]
        ),
        required=False,
        empty_label=_("The officer in charge"),
    )
    due_on = GovukDateField(label=_("Due by"), required=False)


class ChecklistForm(NamedErrorsForm):
    template = forms.ModelChoiceField(
        label=_("Checklist"), queryset=ChecklistTemplate.objects.all(), empty_label=None
    )


class ContactLogForm(NamedErrorsForm):
    victim = forms.ChoiceField(label=_("Victim"))
    channel = forms.ChoiceField(
        label=_("How"),
        choices=[c for c in ContactChannel.choices if c[0] != ContactChannel.ONLINE_REPORT],
    )
    direction = forms.ChoiceField(
        label=_("Who contacted whom"), choices=ContactDirection.choices, widget=forms.RadioSelect
    )
    left_voicemail = forms.BooleanField(label=_("I left a voicemail"), required=False)
    summary = _area(_("What was said"))
    record_against_wishes = forms.BooleanField(
        label=_("It happened: record it with this warning"),
        help_text=_(
            "Only for contact that really happened at a time or in a way the victim did not "
            "choose. It is recorded with the warning."
        ),
        required=False,
    )

    def __init__(self, *args: Any, victims: list[CasePerson], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.victims = {str(p.pk): p for p in victims}
        self.fields["victim"].choices = _people_choices(victims)  # type: ignore[attr-defined]


class DutyDoneForm(NamedErrorsForm):
    told_how = forms.ChoiceField(
        label=_("How was the victim told?"),
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how the victim was told")},
    )
    told_on = GovukDateField(
        label=_("Date the victim was told"),
        error_name=_("The date the victim was told"),
        allow_future=False,
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date the victim was told")},
    )
    told_time = TimeField(label=_("Time the victim was told (optional)"), required=False)

    def told_at(self) -> datetime.datetime:
        moment = incident_moment(self.cleaned_data["told_on"], self.cleaned_data["told_time"])
        if self.cleaned_data["told_time"] is None:
            # Told today, time not given: the stored midday may not have come yet this morning.
            return min(moment, timezone.now())
        return moment

    @property
    def time_known(self) -> bool:
        return self.cleaned_data.get("told_time") is not None


class MessageForm(NamedErrorsForm):
    victim = forms.ChoiceField(label=_("Victim"))
    channel = forms.ChoiceField(
        label=_("Send by"),
        choices=[
            (ContactChannel.ONLINE_REPORT, ContactChannel.ONLINE_REPORT.label),
            (ContactChannel.EMAIL, ContactChannel.EMAIL.label),
            (ContactChannel.TEXT, ContactChannel.TEXT.label),
        ],
        widget=forms.RadioSelect,
    )
    body = _area(
        _("Message"),
        help_text=_("Keep details out: someone else may read it. Do not name the suspect."),
    )

    def __init__(self, *args: Any, victims: list[CasePerson], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.victims = {str(p.pk): p for p in victims}
        self.fields["victim"].choices = _people_choices(victims)  # type: ignore[attr-defined]


class NoteForm(NamedErrorsForm):
    body = _area(_("Note"), help_text=_("Only staff can read notes. They are never sent out."))


class SearchForm(NamedErrorsForm):
    q = forms.CharField(label=_("Reference, name, phone or email"), required=False, max_length=200)
    classification = forms.ChoiceField(
        label=_("Classification (principal or included)"),
        choices=[
            ("", _("Any")),
            (ANY_STALKING, _("Any stalking (s2A or s4A)")),
            *Classification.choices,
        ],
        required=False,
    )
    officer = forms.ModelChoiceField(
        label=_("Officer in charge"),
        queryset=User.objects.filter(role__in=[Role.INVESTIGATOR, Role.OFFENDER_MANAGER]),
        required=False,
        empty_label=_("Any"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *CaseStatus.choices], required=False
    )
    risk = forms.ChoiceField(
        label=_("Risk"),
        choices=[("", _("Any")), *[c for c in RiskLevel.choices if c[0]]],
        required=False,
    )


class AuditFilterForm(NamedErrorsForm):
    action = forms.CharField(label=_("Action starts with"), required=False, max_length=100)
    actor = forms.CharField(label=_("Who (name or email)"), required=False, max_length=200)
    target = forms.CharField(label=_("Record id"), required=False, max_length=64)

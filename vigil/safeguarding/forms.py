from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Agency, Role, User
from vigil.cases.versions import VersionedForm
from vigil.common.forms import GovukDateField
from vigil.safeguarding.models import (
    OPEN_STATUSES,
    MeasureKind,
    MeasureStatus,
    Meeting,
    MeetingKind,
    ReferralReason,
)

OTHER = "other"
OWNER_ROLES = [Role.INVESTIGATOR, Role.OFFENDER_MANAGER, Role.SUPERVISOR, Role.COORDINATOR]
SETTABLE_STATUSES = [
    (value, label) for value, label in MeasureStatus.choices if value != MeasureStatus.CARRIED_OVER
]


def _area(label: Any, *, required: bool = True, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )


def owner_choices() -> list[tuple[str, str]]:
    officers = User.objects.filter(role__in=OWNER_ROLES, is_active=True).order_by("full_name")
    agencies = Agency.objects.filter(kind=Agency.Kind.PARTNER).order_by("name")
    return (
        [("", str(_("Choose an owner")))]
        + [(f"user:{u.pk}", str(_("Officer: %(name)s") % {"name": u.full_name})) for u in officers]
        + [(f"agency:{a.pk}", str(_("Agency: %(name)s") % {"name": a.name})) for a in agencies]
    )


def owner_value(*, user: User | None, agency: Agency | None) -> str:
    if user is not None:
        return f"user:{user.pk}"
    if agency is not None:
        return f"agency:{agency.pk}"
    return ""


class OwnerField(forms.ChoiceField):
    """One choice for who owns something: an officer or a partner agency, never both."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=owner_choices, **kwargs)
        self.error_messages["required"] = _("Choose who owns it: an officer or a partner agency.")

    def owners(self, value: str) -> tuple[User | None, Agency | None]:
        kind, _sep, pk = value.partition(":")
        if kind == "user":
            return User.objects.get(pk=pk), None
        if kind == "agency":
            return None, Agency.objects.get(pk=pk)
        return None, None


class MeasureAddForm(forms.Form):
    measure = forms.ChoiceField(label=_("Measure"), widget=forms.RadioSelect)
    own_title = forms.CharField(
        label=_("Describe the measure"),
        required=False,
        max_length=200,
        help_text=_("Only if you chose 'Another measure'."),
    )
    owner = OwnerField(label=_("Who owns it"))
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in MeasureStatus if s in OPEN_STATUSES],
        initial=MeasureStatus.PLANNED,
        widget=forms.RadioSelect,
    )
    starts_on = GovukDateField(label=_("Start date (optional)"), required=False)
    review_on = GovukDateField(label=_("Review by (optional)"), required=False)
    detail = _area(
        _("Details (optional)"),
        required=False,
        help_text=_("For example, what was fitted and where, or who at the school was told."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [(k.code, k.title) for k in MeasureKind.objects.filter(is_active=True)]
        measure = self.fields["measure"]
        assert isinstance(measure, forms.ChoiceField)
        measure.choices = [*kinds, (OTHER, str(_("Another measure")))]
        self.fields["measure"].error_messages["required"] = _("Choose a measure.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("measure") == OTHER and not (data.get("own_title") or "").strip():
            self.add_error("own_title", _("Describe the measure."))
        return data


class MeasureEditForm(VersionedForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=SETTABLE_STATUSES, widget=forms.RadioSelect
    )
    owner = OwnerField(label=_("Who owns it"))
    starts_on = GovukDateField(label=_("Start date (optional)"), required=False)
    ends_on = GovukDateField(label=_("End date (optional)"), required=False)
    review_on = GovukDateField(label=_("Review by (optional)"), required=False)
    detail = _area(_("Details (optional)"), required=False)


class PlanReviewForm(forms.Form):
    note = _area(
        _("What you checked and decided"),
        help_text=_("For example: new incident at her workplace; employer told, alarm kept."),
    )


def _upcoming() -> Any:
    from vigil.safeguarding.meetings import upcoming_meetings

    return upcoming_meetings()


class ReferForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        empty_label=_("Choose a meeting"),
        error_messages={
            "required": _("Choose the meeting."),
            "invalid_choice": _("Choose the meeting."),
        },
    )
    reason = forms.ChoiceField(
        label=_("Why refer the case"),
        choices=ReferralReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the case is referred.")},
    )
    note = _area(_("Anything the meeting should know first (optional)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = _upcoming()  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of meeting.")},
    )
    held_on = GovukDateField(label=_("Date of the meeting"))
    place = forms.CharField(label=_("Where (optional)"), required=False, max_length=200)


class MeetingCaseForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=20,
        error_messages={"required": _("Enter the case reference.")},
    )
    reason = ReferForm.base_fields["reason"]
    note = _area(_("Anything the meeting should know first (optional)"), required=False)


class AttendeeForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("name"),
        empty_label=_("Choose the agency"),
        error_messages={"required": _("Choose the agency.")},
    )
    name = forms.CharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Enter the name.")}
    )
    job = forms.CharField(label=_("Job title (optional)"), required=False, max_length=200)


class InformationForm(forms.Form):
    agency = AttendeeForm.base_fields["agency"]
    summary = _area(_("What the agency told the meeting"))


class MeetingActionForm(forms.Form):
    title = forms.CharField(
        label=_("Action agreed"),
        max_length=200,
        error_messages={"required": _("Enter the action agreed.")},
    )
    owner = OwnerField(label=_("Who owns it"))
    due_on = GovukDateField(label=_("Due by (optional)"), required=False)


class MinutesForm(forms.Form):
    minutes = _area(_("Minutes"))
    next_review_on = GovukDateField(label=_("Next review (optional)"), required=False)

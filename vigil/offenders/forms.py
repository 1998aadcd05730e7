from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Role, User
from vigil.cases.forms import OccurredMoment
from vigil.cases.models import CasePerson
from vigil.cases.versions import VersionedForm
from vigil.common.forms import GovukDateField, GovukTimeField, long_text_field, text_field
from vigil.offenders.models import (
    ConditionKind,
    MarkerKind,
    NotificationKind,
    OrderCondition,
    OtherOrderKind,
    RightToKnowDecision,
    StepKind,
)

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _document() -> forms.FileField:
    return forms.FileField(
        label=_("Court document (optional)"),
        required=False,
        help_text=_("It is kept, encrypted, with the case's evidence."),
    )


class ConsiderForm(forms.Form):
    suspect = forms.ModelChoiceField(
        queryset=CasePerson.objects.none(),
        label=_("Who would the order be against?"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the suspect")},
    )
    pursue = forms.ChoiceField(
        label=_("Will you apply for a Stalking Protection Order?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you will apply for an order")},
    )
    reasons = long_text_field(
        _("Reasons"),
        help_text=_("Needed when you will not apply: it is shown on the case and counted."),
    )

    def __init__(self, *args: Any, suspects: Sequence[CasePerson], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["suspect"]
        field.queryset = CasePerson.objects.filter(pk__in=[s.pk for s in suspects])  # type: ignore[attr-defined]
        field.label_from_instance = lambda person: person.name  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("pursue") == "no" and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("Say why you will not apply for an order"))
        return data


class DraftForm(VersionedForm):
    acts_of_stalking = long_text_field(
        _("Acts of stalking"), required=True, help_text=_("What the person did, with dates.")
    )
    risk_summary = long_text_field(
        _("Risk"), required=True, help_text=_("The risk of stalking the order would address.")
    )


class ConditionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type of condition"),
        choices=ConditionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a prohibition or a requirement")},
    )
    text = long_text_field(_("Condition"), required=True, rows=3, max_length=2000)
    reason = long_text_field(
        _("Why the court is asked for it"), required=True, rows=3, max_length=2000
    )


class ApplyForm(forms.Form):
    court = text_field(_("Magistrates' court"), required=True)
    applied_on = GovukDateField(label=_("Date of the application"), allow_future=False)
    hearing_on = GovukDateField(label=_("Hearing date (if known)"), required=False)
    document = _document()


class HearingForm(forms.Form):
    hearing_on = GovukDateField(label=_("Hearing date"))


class MadeForm(forms.Form):
    made_on = GovukDateField(label=_("Date the court made the order"), allow_future=False)
    document = _document()


class FullForm(MadeForm):
    until_further_order = forms.BooleanField(
        label=_("Until further order (no end date)"), required=False
    )
    ends_on = GovukDateField(
        label=_("Date the order ends"),
        required=False,
        help_text=_("At least 2 years after the order is made."),
    )
    field_order = ["made_on", "until_further_order", "ends_on", "document"]


class DatedNoteForm(forms.Form):
    on = GovukDateField(label=_("Date"), allow_future=False)
    note = long_text_field(_("Notes"), rows=3)
    document = _document()


class VaryForm(DatedNoteForm):
    ended = forms.ModelMultipleChoiceField(
        queryset=OrderCondition.objects.none(),
        label=_("Conditions the court removed"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Add new conditions from the order page after saving."),
    )
    field_order = ["on", "ended", "note", "document"]

    def __init__(self, *args: Any, conditions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ended"]
        field.queryset = conditions if conditions is not None else OrderCondition.objects.none()  # type: ignore[attr-defined]
        field.label_from_instance = lambda c: f"{c.get_kind_display()}: {c.text}"  # type: ignore[attr-defined]


class RenewForm(DatedNoteForm):
    ends_on = GovukDateField(label=_("New end date"))
    field_order = ["on", "ends_on", "note", "document"]


class ServeForm(forms.Form):
    served_on = GovukDateField(label=_("Date the order was served"), allow_future=False)


class NotificationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What was notified?"),
        choices=NotificationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what was notified")},
    )
    received_on = GovukDateField(label=_("Date it was received"), allow_future=False)
    changed_on = GovukDateField(
        label=_("Date of the change"),
        required=False,
        allow_future=False,
        help_text=_("Only for a change of name or home address."),
    )
    details = long_text_field(_("Names and home address notified"), required=True, rows=3)


class BreachForm(OccurredMoment, forms.Form):
    occurred_on = GovukDateField(label=_("Date of the breach"), allow_future=False)
    occurred_time = GovukTimeField(label=_("Time of the breach"), required=False)
    condition = forms.ModelChoiceField(
        queryset=OrderCondition.objects.none(),
        label=_("Which condition was breached?"),
        required=False,
        empty_label=_("The order as a whole"),
    )
    summary = long_text_field(_("What happened"), required=True)
    evidence = long_text_field(
        _("Evidence"), rows=3, help_text=_("What shows it, and where it is kept.")
    )

    def __init__(self, *args: Any, conditions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["condition"]
        field.queryset = conditions  # type: ignore[attr-defined]
        field.label_from_instance = lambda c: f"{c.get_kind_display()}: {c.text}"  # type: ignore[attr-defined]


class OffenderForm(VersionedForm):
    manager = forms.ModelChoiceField(
        queryset=User.objects.filter(role=Role.OFFENDER_MANAGER, is_active=True),
        label=_("Offender manager"),
        required=False,
        empty_label=_("Nobody yet"),
    )
    plan = long_text_field(_("Management plan"))
    bail_conditions = long_text_field(_("Bail conditions"), rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].label_from_instance = lambda u: u.full_name  # type: ignore[attr-defined]


class MarkerForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Warning marker"),
        choices=MarkerKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a warning marker")},
    )
    reason = long_text_field(_("Why"), required=True, rows=3, max_length=2000)


class OtherOrderForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type of order"),
        choices=OtherOrderKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of order")},
    )
    made_on = GovukDateField(label=_("Date it was made"), allow_future=False)
    ends_on = GovukDateField(label=_("Date it ends (if it has one)"), required=False)
    terms = long_text_field(_("Terms"), required=True, rows=3)


class RightToKnowForm(forms.Form):
    case = forms.ChoiceField(label=_("Victim's case"), choices=())
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=RightToKnowDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision")},
    )
    reasons = long_text_field(_("Reasons"), required=True)
    approved_by = forms.ModelChoiceField(
        queryset=User.objects.filter(role__in=[Role.SUPERVISOR, Role.COORDINATOR], is_active=True),
        label=_("Approved by"),
        error_messages={"required": _("Choose who approved the decision")},
    )

    def __init__(self, *args: Any, cases: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(str(c.pk), c.reference) for c in cases]  # type: ignore[attr-defined]
        self.fields["approved_by"].label_from_instance = lambda u: u.full_name  # type: ignore[attr-defined]


# Which form records which court step, and its page title.
STEP_FORMS: dict[str, tuple[type[forms.Form], Any]] = {
    "hearing": (HearingForm, StepKind.HEARING.label),
    "interim": (MadeForm, _("Record an interim order")),
    "full": (FullForm, _("Record a full order")),
    "refused": (DatedNoteForm, _("Record that the court refused the application")),
    "served": (ServeForm, _("Record service of the order")),
    "varied": (VaryForm, _("Record a variation")),
    "renewed": (RenewForm, _("Record a renewal")),
    "discharged": (DatedNoteForm, _("Record a discharge")),
    "appealed": (DatedNoteForm, _("Record an appeal")),
}

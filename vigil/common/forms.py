"""GOV.UK Frontend rendering for every Django form.

The renderer makes `{{ form }}` produce GOV.UK markup: a form group per field, the hint, an inline
error next to the field, radios and checkboxes in a fieldset, and a three-box date input. The page
layouts put the error summary at the top. Browser validation (`required`) is left off on purpose:
it would show its own bubble in place of our summary and, on some phones, lose focus.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

INPUT_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input",
    "url": "govuk-input",
    "tel": "govuk-input",
    "date": "govuk-input",
    "time": "govuk-input",
    "datetime": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "checkbox": "govuk-checkboxes__input",
    "file": "govuk-file-upload",
    "clearablefile": "govuk-file-upload",
}
ERROR_MODIFIERS = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class GovukBoundField(BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        attrs.pop("required", None)
        widget = widget or self.field.widget
        css = INPUT_CLASSES.get(getattr(widget, "input_type", None) or "", "")
        css = INPUT_CLASSES.get(self.widget_type, css)
        if css:
            if self.errors and css in ERROR_MODIFIERS:
                css = f"{css} {ERROR_MODIFIERS[css]}"
            existing = attrs.get("class", "")
            attrs["class"] = f"{css} {existing}".strip()
        elif isinstance(widget, GovukDateWidget) and self.errors:
            attrs["class"] = "vigil-date--error"
        return attrs

    @property
    def is_choice_group(self) -> bool:
        return self.widget_type in {"radioselect", "checkboxselectmultiple"}

    @property
    def is_single_checkbox(self) -> bool:
        return self.widget_type == "checkbox"

    @property
    def first_input_id(self) -> str:
        """Where the error summary link should take the user."""
        if self.is_choice_group:
            return f"{self.auto_id}_0"
        if isinstance(self.field.widget, GovukDateWidget):
            return f"{self.auto_id}_0"
        return str(self.auto_id)


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
    bound_field_class = GovukBoundField


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes, as GOV.UK's date input: easier than a date picker on a phone."""

    template_name = "govuk/forms/widgets/date.html"
    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = [
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget
    default_error_messages = {
        "invalid": _("Enter a real date"),
        "incomplete": _("Enter a day, a month and a year"),
        "future": _("The date must be today or in the past"),
    }

    def __init__(self, *, allow_future: bool = True, **kwargs: Any) -> None:
        self.allow_future = allow_future
        fields = (
            forms.IntegerField(min_value=1, max_value=31),
            forms.IntegerField(min_value=1, max_value=12),
            forms.IntegerField(min_value=1900, max_value=2200),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def clean(self, value: Any) -> datetime.date | None:
        # Check the three boxes ourselves so the user gets one clear message, not three.
        parts = [str(p).strip() if p is not None else "" for p in (value or ["", "", ""])]
        if not any(parts):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        if not all(parts):
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            day, month, year = (int(p) for p in parts)
            result = datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if year < 1900:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if not self.allow_future and result > datetime.date.today():
            raise forms.ValidationError(self.error_messages["future"], code="future")
        return result

    def compress(self, data_list: list[Any]) -> Any:  # pragma: no cover - clean() does the work
        return data_list


def text_field(label: Any, *, required: bool = False, help_text: Any = "", **attrs: Any) -> Any:
    """A one-line answer; extra keyword arguments become the input's attributes."""
    max_length = attrs.pop("max_length", 200)
    error_messages = attrs.pop("error_messages", None)
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.TextInput(attrs=attrs),
        error_messages=error_messages,
    )


def long_text_field(
    label: Any, *, required: bool = False, help_text: Any = "", rows: int = 5, **kwargs: Any
) -> Any:
    """An answer in the person's own words."""
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class EventForm(forms.Form):
    """When and where something happened, and what: shared by a reported incident and a diary
    entry, so a victim is asked the same way in both places."""

    date = GovukDateField(
        label=_("When did it happen?"),
        allow_future=False,
        help_text=_("Your best guess is fine. For example, 14 11 2026"),
        error_messages={"required": _("Enter the date it happened, your best guess is fine")},
    )
    time = forms.TimeField(
        label=_("What time? (optional)"),
        required=False,
        help_text=_("For example, 18:30"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter a time like 18:30")},
    )
    place = text_field(
        _("Where did it happen? (optional)"), help_text=_("For example, outside work")
    )
    what_happened = long_text_field(
        _("What happened?"),
        required=True,
        help_text=_("In your own words"),
        error_messages={"required": _("Tell us what happened")},
    )

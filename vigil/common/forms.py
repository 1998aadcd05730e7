"""GOV.UK Frontend rendering for every Django form.

The renderer makes `{{ form }}` produce GOV.UK markup: a form group per field, the hint, an inline
error next to the field, radios and checkboxes in a fieldset, and a three-box date input. The page
layouts put the error summary at the top. Browser validation (`required`) is left off on purpose:
it would show its own bubble in place of our summary and, on some phones, lose focus.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import phonenumbers
from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.functional import cached_property, lazy
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
        # A browser stops typing, and cuts a paste short, at maxlength without a word: the
        # person never learns their words were lost. The server checks the length instead and
        # says so by the field; long answers show a GOV.UK character count.
        attrs.pop("maxlength", None)
        widget = widget or self.field.widget
        widget.attrs.pop("maxlength", None)  # the field's copy for this form, set by CharField
        css = INPUT_CLASSES.get(getattr(widget, "input_type", None) or "", "")
        css = INPUT_CLASSES.get(self.widget_type, css)
        if css:
            if self.errors and css in ERROR_MODIFIERS:
                css = f"{css} {ERROR_MODIFIERS[css]}"
            existing = attrs.get("class", "")
            if self.character_limit:
                existing = f"govuk-js-character-count {existing}"
            attrs["class"] = f"{css} {existing}".strip()
            if self.character_limit:
                described = f"{attrs.get('aria-describedby', '')} {self.auto_id}-info"
                attrs["aria-describedby"] = described.strip()
        elif isinstance(widget, GovukDateWidget) and self.errors:
            # Only the boxes that need changing are marked (GOV.UK date input).
            parts = getattr(self.field, "error_parts", None) or {0, 1, 2}
            attrs["class"] = "vigil-date--error"
            attrs["error_parts"] = "".join(str(part) for part in sorted(parts))
        return attrs

    @property
    def character_limit(self) -> int | None:
        """The limit a GOV.UK character count shows, for answers in the person's own words."""
        if self.widget_type == "textarea":
            limit = getattr(self.field, "max_length", None)
            return int(limit) if limit else None
        return None

    @property
    def character_limit_text(self) -> str:
        return f"{self.character_limit:,}" if self.character_limit else ""

    @cached_property
    def widget_type(self) -> str:
        # Asked several times for each field a page shows; the widget's class never changes.
        # Revealing radios are drawn as the radios they are (Django names the type after the
        # widget's class).
        if isinstance(self.field.widget, RevealingRadioSelect):
            return "radioselect"
        return str(super().widget_type)

    @property
    def choice_kind(self) -> str:
        """GOV.UK's component for a group of options: radios or checkboxes."""
        return "radios" if self.widget_type == "radioselect" else "checkboxes"

    @property
    def is_choice_group(self) -> bool:
        return self.widget_type in {"radioselect", "checkboxselectmultiple"}

    @property
    def options_with_reveals(self) -> list[tuple[Any, list[BoundField]]]:
        """Each radio with the questions it reveals (RevealingRadioSelect), for field.html."""
        reveals = getattr(self.field.widget, "reveals", {})
        return [
            (option, [self.form[name] for name in reveals.get(str(option.data["value"]), ())])
            for option in self
        ]

    @property
    def is_revealed(self) -> bool:
        """Shown under the radio that reveals it, so not again in the form's own order."""
        return any(
            self.name in names
            for field in self.form.fields.values()
            for names in getattr(field.widget, "reveals", {}).values()
        )

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


class RevealingRadioSelect(forms.RadioSelect):
    """Radios whose options reveal more questions under them (GOV.UK conditional reveal),
    hidden by frontend/js/vigil.mjs until the option is chosen. Without JavaScript they are
    always shown, so the form must ignore them unless their option was chosen."""

    def __init__(self, *, reveals: dict[str, tuple[str, ...]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reveals = reveals

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if str(option["value"]) in self.reveals:
            option["attrs"]["data-vigil-reveals"] = f"conditional-{option['attrs']['id']}"
        return option


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


def _name_from_label(label: Any) -> str:
    """What an error message calls a field when it is not told: its label without "(optional)"
    or a question mark, so "What happened?" gives "What happened must be ..."."""
    text = re.sub(r"\s*\((optional|dewisol)\)\s*$", "", str(label or ""), flags=re.IGNORECASE)
    return text.strip().rstrip("?").strip() or str(_("This answer"))


def _named(message: Any, name: Any, **values: Any) -> str:
    """A message template with %(name)s (and others) filled in, looked up in the language of the
    request that shows it."""
    return str(message) % {"name": _name_from_label(name), **values}


_lazy_named = lazy(_named, str)


def _format(message: Any, values: dict[str, Any]) -> str:
    return str(message) % values


_lazy_format = lazy(_format, str)


def lazy_format(message: Any, **values: Any) -> Any:
    """`_("... %(size)s ...") % {...}` for text made when a module loads: formatted when shown, so
    in the language of the page (formatting at once would fix it in English for good)."""
    return _lazy_format(message, values)


_REQUIRED_NAMED = _("Enter an answer for: %(name)s")
_TOO_LONG_NAMED = _("%(name)s must be %(limit)s characters or less")


def _too_long(name: Any, limit: int) -> Any:
    # Filled in before Django's own %-formatting, so nothing is left for it to format.
    return _lazy_named(_TOO_LONG_NAMED, name, limit=f"{limit:,}")


MONTH_NAMES = (
    ("january", "ionawr"),
    ("february", "chwefror"),
    ("march", "mawrth"),
    ("april", "ebrill"),
    ("may", "mai"),
    ("june", "mehefin"),
    ("july", "gorffennaf"),
    ("august", "awst"),
    ("september", "medi"),
    ("october", "hydref"),
    ("november", "tachwedd"),
    ("december", "rhagfyr"),
)


def _month_number(text: str) -> int | None:
    """1-12 from "3", "03", "March", "mar" or the Welsh "Mawrth" (three letters or more)."""
    value = text.strip().lower().rstrip(".")
    if re.fullmatch(r"[0-9]{1,2}", value):
        return int(value)
    if len(value) < 3:
        return None
    matches = {
        number
        for number, names in enumerate(MONTH_NAMES, start=1)
        for name in names
        if name.startswith(value) or (value == "sept" and number == 9)
    }
    return matches.pop() if len(matches) == 1 else None


class GovukDateField(forms.MultiValueField):
    """A date in three boxes. Every message names the field, and only the boxes that need
    changing are marked (`error_parts`, read by GovukBoundField), as GOV.UK's date input asks.
    Each box is checked as text before any number is made, so no input can reach an error page
    (a year of 99999999999999999999 once did)."""

    widget = GovukDateWidget
    default_error_messages = {
        "required": _("Enter the date"),
        "invalid": _("%(name)s must be a real date"),
        "future": _("%(name)s must be today or in the past"),
        "too_early": _("%(name)s must be after 1900"),
    }
    INCOMPLETE = {
        (0,): _("%(name)s must include a day"),
        (1,): _("%(name)s must include a month"),
        (2,): _("%(name)s must include a year"),
        (0, 1): _("%(name)s must include a day and a month"),
        (0, 2): _("%(name)s must include a day and a year"),
        (1, 2): _("%(name)s must include a month and a year"),
    }

    def __init__(self, *, allow_future: bool = True, error_name: Any = None, **kwargs: Any) -> None:
        self.allow_future = allow_future
        self.error_name = error_name
        self.error_parts: set[int] = set()
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields, require_all_fields=False, **kwargs)

    def _fail(self, message: Any, parts: set[int], code: str) -> forms.ValidationError:
        self.error_parts = parts
        return forms.ValidationError(_named(message, self.error_name or self.label), code=code)

    def clean(self, value: Any) -> datetime.date | None:
        self.error_parts = set()
        boxes = list(value) if isinstance(value, list | tuple) else ["", "", ""]
        parts = [str(p).strip() if p is not None else "" for p in [*boxes, "", "", ""][:3]]
        if not any(parts):
            if self.required:
                raise self._fail(self.error_messages["required"], {0, 1, 2}, "required")
            return None
        missing = tuple(index for index, part in enumerate(parts) if not part)
        if missing:
            raise self._fail(self.INCOMPLETE[missing], set(missing), "incomplete")
        day = int(parts[0]) if re.fullmatch(r"[0-9]{1,2}", parts[0]) else None
        month = _month_number(parts[1])
        year = int(parts[2]) if re.fullmatch(r"[0-9]{4}", parts[2]) else None
        wrong = {index for index, number in enumerate((day, month, year)) if number is None}
        if day is None or month is None or year is None:
            raise self._fail(self.error_messages["invalid"], wrong, "invalid")
        try:
            result = datetime.date(year, month, day)
        except ValueError:
            raise self._fail(self.error_messages["invalid"], {0, 1, 2}, "invalid") from None
        if year < 1900:
            raise self._fail(self.error_messages["too_early"], {2}, "too_early")
        if not self.allow_future and result > datetime.date.today():
            raise self._fail(self.error_messages["future"], {0, 1, 2}, "future")
        return result

    def compress(self, data_list: list[Any]) -> Any:  # pragma: no cover - clean() does the work
        return data_list


class GovukTimeField(forms.Field):
    """A time as people write it: 18:30, 1830, 6pm, 6:30pm, 6.30 pm, noon, midnight (and the
    Welsh yb/yh, canol dydd, hanner nos)."""

    widget = forms.TimeInput(
        format="%H:%M", attrs={"class": "govuk-input--width-5", "autocomplete": "off"}
    )
    default_error_messages = {"invalid": _("Enter the time like 18:30 or 6:30pm")}
    WORDS = {
        "noon": datetime.time(12, 0),
        "midday": datetime.time(12, 0),
        "canoldydd": datetime.time(12, 0),
        "hannerdydd": datetime.time(12, 0),
        "midnight": datetime.time(0, 0),
        "hannernos": datetime.time(0, 0),
    }

    def to_python(self, value: Any) -> datetime.time | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.time):
            return value
        text = re.sub(r"\s+", "", str(value).lower()).replace(".", ":")
        if text in self.WORDS:
            return self.WORDS[text]
        match = re.fullmatch(r"([0-9]{1,2})(?::?([0-9]{2}))?(am|pm|yb|yh|a\.?m|p\.?m)?", text)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
        if half:
            if not 1 <= hour <= 12:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            hour = hour % 12 + (12 if half.startswith(("p", "yh")) else 0)
        if hour > 23 or minute > 59:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.time(hour, minute)


class LabelWordedField(forms.Field):
    """A field whose own messages name it by the label the person sees when the error is shown,
    and which shows one error, the first that applies, as GOV.UK asks.

    The messages are written when the form class is made, but a form may change a label for
    one person ("Full name" becomes "Your full name" or "Their full name"): naming the field
    when the error is raised keeps the message and the label the same words. A message a form
    set itself after construction is left as it is."""

    error_name: Any = None
    # code -> (the message made from the label, its template, the other values it fills in)
    label_worded: dict[str, tuple[Any, Any, dict[str, Any]]] = {}

    def clean(self, value: Any) -> Any:
        try:
            return super().clean(value)
        except forms.ValidationError as error:
            # A long address that is not an address would otherwise be told both at once.
            raise self._worded(error.error_list[0]) from None

    def _worded(self, error: forms.ValidationError) -> forms.ValidationError:
        made = self.label_worded.get(error.code or "")
        if made is None or self.error_messages.get(error.code or "") is not made[0]:
            return error
        _made, template, values = made
        message = _lazy_named(template, self.error_name or self.label, **values)
        return forms.ValidationError(message, code=error.code)


class GovukCharField(LabelWordedField, forms.CharField):
    pass


class GovukEmailField(LabelWordedField, forms.EmailField):
    pass


class GovukPhoneField(GovukCharField):
    """A UK or international phone number, checked with `phonenumbers` (Google's libphonenumber)
    and kept in its usual written form: UK numbers as dialled at home (07700 900123), others
    with their country code. It asks only that the number could exist (its length for its
    country), not that the library knows its range: a new range must never stop a victim
    giving the number they can be reached on."""

    default_error_messages = {
        "invalid": _("Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"),
    }

    def clean(self, value: Any) -> str:
        text = str(super().clean(value) or "")
        if not text:
            return text
        if not re.fullmatch(r"\+?[0-9()\-. ]+", text):  # letters would dial as digits
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            number = phonenumbers.parse(text, "GB")
        except phonenumbers.NumberParseException:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not phonenumbers.is_possible_number(number):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        style = (
            phonenumbers.PhoneNumberFormat.NATIONAL
            if number.country_code == 44
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        return str(phonenumbers.format_number(number, style))


# The UK postcode pattern GOV.UK services use (outward code, then inward code), with the space
# optional as typed; stored upper case with one space.
POSTCODE = re.compile(r"([A-Z][A-HJ-Y]?[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})|(GIR) ?(0AA)")


class GovukPostcodeField(GovukCharField):
    default_error_messages = {"invalid": _("Enter a real postcode, like EX1 1AA")}

    def clean(self, value: Any) -> str:
        text = str(super().clean(value) or "")
        if not text:
            return text
        match = POSTCODE.fullmatch(re.sub(r"\s+", " ", text.strip().upper()))
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        outward, inward = (match[1], match[2]) if match[1] else (match[3], match[4])
        return f"{outward} {inward}"


def _label_worded(
    field: LabelWordedField, error_name: Any, given: dict[str, Any] | None
) -> LabelWordedField:
    """Give the field messages that name it (see LabelWordedField), except those given."""
    name = error_name or field.label
    limit = getattr(field, "max_length", None)
    templates: dict[str, tuple[Any, dict[str, Any]]] = {"required": (_REQUIRED_NAMED, {})}
    if limit:
        templates["max_length"] = (_TOO_LONG_NAMED, {"limit": f"{limit:,}"})
    field.error_name = error_name
    field.label_worded = {}
    for code, (template, values) in templates.items():
        if code in (given or {}):
            continue
        message = _lazy_named(template, name, **values)
        field.error_messages[code] = message
        field.label_worded[code] = (message, template, values)
    field.error_messages.update(given or {})
    return field


def text_field(
    label: Any,
    *,
    required: bool = False,
    help_text: Any = "",
    error_name: Any = None,
    **attrs: Any,
) -> Any:
    """A one-line answer; extra keyword arguments become the input's attributes."""
    max_length = attrs.pop("max_length", 200)
    given = attrs.pop("error_messages", None)
    field = GovukCharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.TextInput(attrs=attrs),
    )
    return _label_worded(field, error_name, given)


def long_text_field(
    label: Any,
    *,
    required: bool = False,
    help_text: Any = "",
    rows: int = 5,
    max_length: int = 10000,
    error_name: Any = None,
    error_messages: dict[str, Any] | None = None,
) -> Any:
    """An answer in the person's own words, with a GOV.UK character count (a hint without
    JavaScript, a live count with it)."""
    field = GovukCharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )
    return _label_worded(field, error_name, error_messages)


def email_field(
    label: Any,
    *,
    required: bool = False,
    help_text: Any = "",
    error_messages: dict[str, Any] | None = None,
) -> Any:
    field = GovukEmailField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    given = {"invalid": _("Enter an email address like name@example.com"), **(error_messages or {})}
    return _label_worded(field, None, given)


def phone_field(label: Any, *, required: bool = False, help_text: Any = "") -> Any:
    field = GovukPhoneField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    return _label_worded(field, None, None)


def postcode_field(label: Any, *, required: bool = False) -> Any:
    field = GovukPostcodeField(
        label=label,
        required=required,
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}
        ),
    )
    return _label_worded(field, None, None)


class EventForm(forms.Form):
    """When and where something happened, and what: shared by a reported incident and a diary
    entry, so a victim is asked the same way in both places."""

    date = GovukDateField(
        label=_("When did it happen?"),
        allow_future=False,
        error_name=_("The date it happened"),
        help_text=_("Your best guess is fine. For example, 14 11 2026"),
        error_messages={"required": _("Enter the date it happened, your best guess is fine")},
    )
    time = GovukTimeField(
        label=_("What time? (optional)"),
        required=False,
        help_text=_("For example, 18:30 or 6:30pm"),
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


# Django's own messages do not say which answer is wrong: a form left empty says "This field is
# required." once per field. These name the field, as GOV.UK asks, wherever a form has not
# written its own message.
_CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.Select)
_NAMED_DEFAULTS = {
    "required": _REQUIRED_NAMED,
    "invalid": _("%(name)s is not in the right format"),
}
_NAMED_CHOICE_DEFAULTS = {
    "required": _("Select an answer for: %(name)s"),
    "invalid_choice": _("Select one of the choices given for: %(name)s"),
}


def _default_messages(field: forms.Field) -> dict[str, Any]:
    """The messages Django would give this field if nobody had written one."""
    messages: dict[str, Any] = {}
    for cls in reversed(type(field).__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


def name_every_error(form: forms.BaseForm) -> None:
    """Give each field of the form messages that name it, unless it has its own."""
    for field in form.fields.values():
        if isinstance(field, GovukDateField):
            continue  # its messages name the field already
        defaults = _default_messages(field)
        wording = (
            _NAMED_CHOICE_DEFAULTS if isinstance(field.widget, _CHOICE_WIDGETS) else _NAMED_DEFAULTS
        )
        if not field.label:
            continue
        for code, template in wording.items():
            current = field.error_messages.get(code)
            if current is None or str(current) == str(defaults.get(code)):
                field.error_messages[code] = _lazy_named(template, field.label)
        # Django's "Ensure this value has at most ..." names no field and is not GOV.UK's wording.
        limit = getattr(field, "max_length", None)
        if limit and "max_length" not in field.error_messages:
            field.error_messages["max_length"] = _too_long(_name_from_label(field.label), limit)


class NamedErrorsForm(forms.Form):
    """A form whose messages always say which answer needs changing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name_every_error(self)

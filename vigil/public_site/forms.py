from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.common.behaviours import BEHAVIOURS
from vigil.public_site.consent import optional_categories
from vigil.public_site.models import Rating
from vigil.public_site.selfcheck import NO, ONCE, SOMETHING_ELSE, STEPS, UNSURE, YES


def _yes_no_unsure(label: Any, help_text: Any, required: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=[(YES, _("Yes")), (NO, _("No")), (UNSURE, _("I'm not sure"))],
        widget=forms.RadioSelect,
        error_messages={"required": required},
    )


class SelfCheckForm(forms.Form):
    """All the self-check questions. Each page shows one; earlier answers ride along hidden."""

    behaviours = forms.MultipleChoiceField(
        label=_("What has the person been doing?"),
        help_text=_("Select all that apply. It could be in person, by phone or online."),
        choices=[
            *[(b.code, b.label) for b in BEHAVIOURS],
            (SOMETHING_ELSE, _("Something else that worries you")),
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select what the person has been doing")},
    )
    repeated = forms.ChoiceField(
        label=_("Has it happened more than once?"),
        help_text=_("Think about everything they have done, even if it was different each time."),
        choices=[
            (YES, _("Yes, more than once")),
            (ONCE, _("No, once so far")),
            (UNSURE, _("I'm not sure")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether it has happened more than once")},
    )
    unwanted = _yes_no_unsure(
        _("Do you want it to stop?"),
        _("You do not need to have told them. It is enough that you do not want it."),
        _("Select whether you want it to stop"),
    )
    fixated = _yes_no_unsure(
        _("Does the person seem fixed on you?"),
        _(
            "For example, they keep going even when you avoid them, block them or ask them to "
            "stop, or they seem to think about you all the time."
        ),
        _("Select whether the person seems fixed on you"),
    )
    afraid = _yes_no_unsure(
        _("Has it made you afraid, worried, or change how you live?"),
        _(
            "For example, going a different way home, changing your phone number, or staying in "
            "more than you used to."
        ),
        _("Select whether it has made you afraid or worried"),
    )

    def __init__(self, *args: Any, step: int, **kwargs: Any) -> None:
        """Keep only the questions up to `step`; show question `step`, hide the ones before."""
        super().__init__(*args, **kwargs)
        self.step = step
        for name in STEPS[step + 1 :]:
            del self.fields[name]
        for name in STEPS[:step]:
            widget = self.fields[name].widget
            hidden = (
                forms.MultipleHiddenInput()
                if isinstance(widget, forms.CheckboxSelectMultiple)
                else forms.HiddenInput()
            )
            self.fields[name].widget = hidden

    @property
    def question(self) -> forms.BoundField:
        return self[STEPS[self.step]]

    def option_groups(self) -> list[tuple[str, list[Any]]]:
        """The behaviour options split under "In person" and "By phone or online" headings."""
        if STEPS[self.step] != "behaviours":
            return [("", list(self.question))]
        online = {b.code for b in BEHAVIOURS if b.online}
        options = list(self.question)
        return [
            (
                str(_("In person")),
                [
                    o
                    for o in options
                    if o.data["value"] not in online and o.data["value"] != SOMETHING_ELSE
                ],
            ),
            (str(_("By phone or online")), [o for o in options if o.data["value"] in online]),
            (str(_("Anything else")), [o for o in options if o.data["value"] == SOMETHING_ELSE]),
        ]


class CookieChoicesForm(forms.Form):
    """One yes/no question per optional cookie category, on the cookies page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in optional_categories():
            self.fields[category.name] = forms.ChoiceField(
                label=_("Do you want to accept %(title)s?")
                % {"title": str(category.title).lower()},
                help_text=str(category.description),
                choices=[("yes", _("Yes")), ("no", _("No"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Select yes or no")},
            )

    def allowed(self) -> set[str]:
        return {name for name, answer in self.cleaned_data.items() if answer == "yes"}


class FeedbackForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Overall, how did you feel about this service?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how you feel about this service")},
    )
    comments = forms.CharField(
        label=_("How could we improve this service? (optional)"),
        help_text=_(
            "Do not include personal information, such as your name, or details of what has "
            "happened to you. To report something, use the report form or call 101."
        ),
        required=False,
        max_length=1200,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _("Comments must be 1,200 characters or fewer")},
    )
    # A field people never see: only a robot filling every box in fills this one.
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_from_a_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

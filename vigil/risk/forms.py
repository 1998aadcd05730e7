from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.common.forms import NamedErrorsForm
from vigil.risk.models import Answer, RiskLevel, RiskTool
from vigil.risk.services import GivenAnswer


class RiskAssessmentForm(NamedErrorsForm):
    """One yes / no / not known question per tool question, each with a comment; then the
    officer's own level and reasons, which are required."""

    def __init__(self, *args: Any, tool: RiskTool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tool = tool
        self.questions = list(tool.questions.order_by("number"))
        for question in self.questions:
            self.fields[f"q{question.number}"] = forms.ChoiceField(
                label=f"{question.number}. {question.text}",
                help_text=question.help_text,
                choices=Answer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Answer question %(n)s") % {"n": question.number}},
            )
            self.fields[f"q{question.number}_comment"] = forms.CharField(
                label=_("Comment on question %(n)s (optional)") % {"n": question.number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["level"] = forms.ChoiceField(
            label=_("Your professional judgement of the risk"),
            help_text=_("The number of yes answers informs this but does not decide it."),
            choices=RiskLevel.assessed_choices(),
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose the risk level: standard, medium or high")},
        )
        self.fields["reasons"] = forms.CharField(
            label=_("Reasons for this level"),
            help_text=_("What you took into account, including anything the questions miss."),
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={"required": _("Give the reasons for the risk level you chose")},
        )

    def given_answers(self) -> dict[int, GivenAnswer]:
        return {
            q.number: GivenAnswer(
                answer=self.cleaned_data[f"q{q.number}"],
                comment=self.cleaned_data.get(f"q{q.number}_comment", ""),
            )
            for q in self.questions
        }


class JudgementReviewForm(NamedErrorsForm):
    decision = forms.ChoiceField(
        label=_("Your review"),
        choices=[
            ("agreed", _("I agree with the judgement")),
            ("challenged", _("Look at it again: I do not agree")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you agree with the judgement")},
    )
    note = forms.CharField(
        label=_("Your reasons"),
        help_text=_("The officer sees these on the case timeline."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reasons for your review")},
    )

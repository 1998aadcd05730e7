"""No silent overwrites: an edit form carries the version of the record it was read at.

Two people editing one case is normal (an investigator and a supervisor, a call handler and the
officer in charge). Without this, the later save wins without anyone knowing, and a stalking
classification quietly goes back to harassment. Services lock the row, compare the version the
form was read at, refuse a save over a newer one, and bump the version when they change it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django import forms
from django.core import signing
from django.db.models import F
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.cases.errors import CaseError
from vigil.cases.models import Case, CasePerson
from vigil.common.form_saves import SavedSinceRead
from vigil.common.forms import NamedErrorsForm

READ_SALT = "vigil.cases.versions.read"


class StaleVersion(CaseError, SavedSinceRead):
    """Someone else saved the record after this form was read."""


def _locked(obj: Case | CasePerson, version: int | None) -> None:
    # Lock the row, then read it afresh into the caller's object, so the caller sees what it
    # is about to change and every later line works on the locked state.
    current = (
        type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("version", flat=True)
    )
    if version is not None and current.get() != version:
        raise StaleVersion(
            _("Someone else saved changes here after you opened this page. Nothing was saved.")
        )
    obj.refresh_from_db()


def case_lock(*, case: Case, version: int | None) -> Case:
    """The case, locked for this transaction; refused if saved since `version` was read.

    `version` None is for callers with no form (imports, scheduled work, other services).
    """
    _locked(case, version)
    return case


def version_bump(obj: Case | CasePerson) -> None:
    """Count a change, so that any form read before it is refused."""
    type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1)
    obj.refresh_from_db(fields=["version"])


class VersionedForm(NamedErrorsForm):
    """A form that remembers the version, and the answers shown, when the page was read.

    The answers shown are signed, so that a refused save can say what changed since.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    read = forms.CharField(widget=forms.HiddenInput, required=False)
    _internal = ("version", "read")

    def __init__(self, *args: Any, version: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = version
        self.fields["read"].initial = signing.dumps(self.describe(self.initial), salt=READ_SALT)
        self.fields["version"].error_messages["required"] = gettext_lazy(
            "This page is out of date. Open it again from the case."
        )

    @property
    def read_version(self) -> int:
        return int(self.cleaned_data["version"])

    def describe(self, values: Mapping[str, Any]) -> dict[str, str]:
        """The answers as a person reads them, field by field."""
        described = {}
        for name, field in self.fields.items():
            if name in self._internal or name not in values:
                continue
            described[name] = _describe(field, values[name])
        return described

    def refuse_stale(self, *, current: Mapping[str, Any], version: int) -> None:
        """Show what changed since the page was read; keep the answers; allow a save over
        the version now shown, once the person has seen it."""
        try:
            was = signing.loads(self.data.get(self.add_prefix("read"), ""), salt=READ_SALT)
        except signing.BadSignature:
            was = {}
        now = self.describe(current)
        self.add_error(
            None,
            _(
                "Someone else saved changes after you opened this page, so your changes were "
                "not saved. Your answers are kept below: check them against what changed, then "
                "save again."
            ),
        )
        for name, text in now.items():
            if was.get(name) != text:
                self.add_error(
                    None,
                    _("%(label)s is now: %(now)s (it was %(was)s when you opened the page).")
                    % {
                        "label": self.fields[name].label,
                        "now": text,
                        "was": was.get(name) or _("not known"),
                    },
                )
        data = QueryDict(mutable=True)
        data.update(self.data)
        data[self.add_prefix("version")] = str(version)
        data[self.add_prefix("read")] = signing.dumps(now, salt=READ_SALT)
        self.data = data


def _describe(field: forms.Field, value: Any) -> str:
    if isinstance(field, forms.ModelChoiceField):
        if value in (None, ""):
            return str(field.empty_label or _("none"))
        return str(value)
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(cast(Iterable[tuple[Any, Any]], field.choices))
        chosen = [str(labels.get(v, v)) for v in (value or [])]
        return ", ".join(sorted(chosen)) or _("none")
    if isinstance(field, forms.ChoiceField):
        choices = dict(cast(Iterable[tuple[Any, Any]], field.choices))
        return str(choices.get(value, value)) or _("none")
    if isinstance(field, forms.BooleanField):
        return _("yes") if value else _("no")
    return str(value) if value not in (None, "") else _("none")

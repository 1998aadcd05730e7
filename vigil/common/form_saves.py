"""The one way a staff form page saves: the form's answers go to a service; a refusal lands on
the form with every answer kept; a save over someone else's newer one is refused with what
changed; a save that goes through says so and moves on.

Every app's form pages share this, so a refusal never becomes a 500 or loses what was typed, and
the stale-edit check cannot be forgotten on one page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

NowSaved = Callable[[], tuple[Mapping[str, Any], int]]


class SavedSinceRead(ValidationError):
    """Someone else saved the record after the form was read; each app's stale-edit error is
    one of these, so any form page can show what changed instead of overwriting it."""


def refusal_onto_form(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal, by the field it names when the form has that field, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_save[Saved](
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], Saved],
    *,
    done: str | Callable[[Saved], str],
    to: str | Callable[[Saved], str],
    now_saved: NowSaved | None = None,
) -> HttpResponse | None:
    """On a valid POST, run `save` with the cleaned answers; then say `done` and go to the URL `to`.

    None when there is nothing to redirect to: not a POST, answers to correct, or a refusal the
    form now shows. The view then renders the form page again. `now_saved` gives what is saved now
    and its version, for a versioned form, so a refused stale edit shows what changed since.
    `done` and `to` may be callables of what `save` returned (the referral made, the order).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except SavedSinceRead as stale:
        if now_saved is None or not hasattr(form, "refuse_stale"):
            refusal_onto_form(form, stale)
            return None
        # A versioned form (cases.versions.VersionedForm): what changed since, the new version.
        current, version = now_saved()
        form.refuse_stale(current=current, version=version)
        return None
    except ValidationError as refused:
        refusal_onto_form(form, refused)
        return None
    messages.success(request, done(result) if callable(done) else done)
    return HttpResponseRedirect(to(result) if callable(to) else to)

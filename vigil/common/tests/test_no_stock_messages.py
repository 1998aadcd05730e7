"""No form a victim or reporter sees shows one of Django's stock messages ("This field is
required.", "Ensure this value has at most ..."): each says, GOV.UK style, what to do and where
(issue 16, point 9)."""

from __future__ import annotations

import inspect
from types import ModuleType
from typing import Any

import pytest
from django import forms

from vigil.public_site import forms as public_forms
from vigil.reporting import forms as reporting_forms
from vigil.safety import forms as safety_forms


def _stock_messages() -> set[str]:
    messages: set[str] = set()
    for klass in vars(forms).values():
        if inspect.isclass(klass) and issubclass(klass, forms.Field):
            for parent in klass.__mro__:
                for message in getattr(parent, "default_error_messages", {}).values():
                    messages.add(str(message))
    return messages


def _form_classes(*modules: ModuleType) -> list[type[forms.Form]]:
    return [
        klass
        for module in modules
        for klass in vars(module).values()
        if inspect.isclass(klass)
        and issubclass(klass, forms.BaseForm)
        and klass.__module__ == module.__name__
        and klass.base_fields
    ]


def _codes_that_can_show(field: forms.Field) -> list[str]:
    codes = []
    if field.required and not isinstance(field.widget, forms.HiddenInput):
        codes.append("required")
    if getattr(field, "max_length", None):
        codes.append("max_length")
    if isinstance(field, forms.EmailField | forms.TimeField | forms.IntegerField):
        codes.append("invalid")
    return codes


FORMS = _form_classes(reporting_forms, public_forms, safety_forms)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda klass: klass.__name__)
def test_no_field_falls_back_on_a_stock_message(form_class: Any) -> None:
    stock = _stock_messages()
    try:
        form = form_class()
    except TypeError:
        pytest.skip("needs arguments to build")
    # A code missing from error_messages shows its validator's stock message (max_length).
    problems = [
        f"{name}.{code}: {field.error_messages.get(code, 'stock')}"
        for name, field in form.fields.items()
        for code in _codes_that_can_show(field)
        if code not in field.error_messages or str(field.error_messages[code]) in stock
    ]
    assert problems == []

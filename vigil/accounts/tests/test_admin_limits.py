"""Finding 4: no role is a superuser; the admin is for configuration only; account changes are
audited. Personas: Alex administers; Ivy investigates; Dora is the data protection officer."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.test import Client, RequestFactory
from django.urls import reverse

from vigil.accounts.adminsite import CONFIGURATION_MODELS
from vigil.accounts.demo import load_demo_staff
from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import TEST_PASSWORD, add_totp_device
from vigil.audit.models import AuditEvent
from vigil.cases.tests.factories import make_report
from vigil.common.fields import EncryptedJSONField, EncryptedTextField

pytestmark = pytest.mark.django_db


@pytest.fixture
def alex(staff_client: Callable[..., Client]) -> Client:
    return staff_client(Role.ADMINISTRATOR, is_staff=True)


def test_the_demo_administrator_is_not_a_superuser() -> None:
    load_demo_staff()
    administrator = User.objects.get(role=Role.ADMINISTRATOR)
    assert not administrator.is_superuser
    assert not User.objects.filter(is_superuser=True).exists()


def test_createsuperuser_makes_an_administrator_without_the_superuser_flag() -> None:
    user = User.objects.create_superuser("root@test.police.uk", TEST_PASSWORD, full_name="Root")
    assert user.role == Role.ADMINISTRATOR
    assert not user.is_superuser


def test_no_account_can_be_stored_as_a_superuser(make_staff: Callable[..., User]) -> None:
    user = make_staff(Role.ADMINISTRATOR)
    user.is_superuser = True
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def test_the_administrator_reads_no_report_and_no_audit_log(alex: Client) -> None:
    report = make_report()
    assert alex.get(reverse("reporting_staff:detail", args=[report.pk])).status_code == 404
    assert alex.get(reverse("cases:triage_online", args=[report.pk])).status_code == 404
    assert alex.get(reverse("cases:intake")).status_code == 404
    assert alex.get(reverse("cases:audit_log")).status_code == 404


def test_the_admin_holds_configuration_models_only() -> None:
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered <= CONFIGURATION_MODELS
    for secret_or_victim_data in (
        "otp_totp.totpdevice",
        "audit.auditevent",
        "risk.riskassessment",
        "safety.checkintimer",
        "safety.safetyalert",
        "public_site.feedback",
    ):
        assert secret_or_victim_data not in registered


# A field by one of these names holds a secret, or something to find a person by.
SECRET_FIELD = re.compile(r"secret|token|key|hash|ip_address|session_(key|data)|password")
# Staff accounts are configuration: the admin shows a password only masked, with a link to set
# a new one (and every change is audited).
SHOWN_MASKED = {("accounts.user", "password")}
# Third-party records of what people did, which no field name gives away.
RECORDS_OF_PEOPLE = {"admin.logentry", "django_tasks_database.dbtaskresult"}


def _secret_fields(model: type[Model]) -> list[str]:
    label = model._meta.label_lower
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField | EncryptedJSONField)
        or (SECRET_FIELD.search(field.name) and (label, field.name) not in SHOWN_MASKED)
    ]


def personal_data_models() -> dict[str, str]:
    """Every model that holds victims' data or a secret, with why, derived from the apps so that
    a model added later is counted without anyone listing it: an encrypted field (personal data
    is encrypted at rest), a `visible_to` scope (every model of personal data has one), a field
    named as a secret, or a link to any of these (a case's action, an alert on a person)."""
    why: dict[str, str] = {}
    for model in django_apps.get_models():
        label = model._meta.label_lower
        if hasattr(model._default_manager.all(), "visible_to"):
            why[label] = "scoped by visible_to"
        elif fields := _secret_fields(model):
            why[label] = f"holds {', '.join(fields)}"
        elif label in RECORDS_OF_PEOPLE:
            why[label] = "a record of what people did"
    grown = True
    while grown:
        grown = False
        for model in django_apps.get_models():
            label = model._meta.label_lower
            if label in why:
                continue
            for field in model._meta.concrete_fields:
                target = field.related_model
                if target is not None and target._meta.label_lower in why:
                    why[label] = f"points at {target._meta.label_lower} ({field.name})"
                    grown = True
                    break
    return why


def test_no_model_of_personal_data_or_secrets_is_in_the_admin() -> None:
    personal = personal_data_models()
    # The derivation finds what it must (a guard against it finding nothing).
    for label in ("cases.case", "reporting.report", "safety.diaryentry", "otp_totp.totpdevice"):
        assert label in personal, label
    for label in ("audit.auditevent", "sessions.session", "notifications.outboxmessage"):
        assert label in personal, label
    registered = {model._meta.label_lower for model in admin.site._registry}
    offered = registered | CONFIGURATION_MODELS
    wrong = {label: personal[label] for label in offered if label in personal}
    assert not wrong, f"Personal data or secrets offered in the admin: {wrong}"


def test_no_admin_page_shows_an_encrypted_or_secret_field(alex: Client) -> None:
    request = RequestFactory().get("/staff/admin/")
    request.user = alex.user  # type: ignore[attr-defined]
    for model, model_admin in admin.site._registry.items():
        parts: list[tuple[type[Model], Any]] = [(model, model_admin)]
        parts += [(i.model, i) for i in model_admin.get_inline_instances(request)]
        for part, part_admin in parts:
            shown = {
                *flatten_fieldsets(part_admin.get_fieldsets(request)),  # the add page
                *flatten_fieldsets(part_admin.fieldsets or ()),  # the change page
                *part_admin.get_readonly_fields(request),
                *getattr(part_admin, "list_display", ()),
            }
            secret = shown & set(_secret_fields(part))
            assert not secret, f"{part._meta.label} shows {secret} in the admin"


def test_the_administrator_manages_configuration(alex: Client) -> None:
    assert alex.get(reverse("admin:cases_prioritygrade_changelist")).status_code == 200
    assert alex.get(reverse("admin:accounts_user_add")).status_code == 200


def test_the_administrator_sees_no_totp_key(alex: Client) -> None:
    user = alex.user  # type: ignore[attr-defined]
    device = user.totpdevice_set.get()
    page = alex.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    assert device.key not in page
    assert alex.get("/staff/admin/otp_totp/totpdevice/").status_code == 404


def test_other_roles_cannot_use_the_admin(staff_client: Callable[..., Client]) -> None:
    for role in (Role.DPO, Role.COORDINATOR):
        client = staff_client(role, is_staff=True)
        response = client.get(reverse("admin:cases_prioritygrade_changelist"))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_creating_an_account_in_the_admin_is_audited(alex: Client) -> None:
    response = alex.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new.officer@test.police.uk",
            "full_name": "New Officer",
            "role": Role.INVESTIGATOR,
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = User.objects.get(email="new.officer@test.police.uk")
    created = AuditEvent.objects.get(action="account.create", target_id=str(new.pk))
    assert created.actor_id == alex.user.pk  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action="account.password_set", target_id=str(new.pk)).exists()


def test_changing_a_role_is_audited_with_who_and_what(
    alex: Client, make_staff: Callable[..., User]
) -> None:
    ivy = make_staff(Role.INVESTIGATOR)
    ivy.role = Role.COORDINATOR
    from vigil.accounts.adminsite import admin_actor

    token = admin_actor.set(alex.user)  # type: ignore[attr-defined]
    try:
        ivy.save()
    finally:
        admin_actor.reset(token)
    event = AuditEvent.objects.get(action="account.role_change", target_id=str(ivy.pk))
    assert event.summary["role"] == {"from": Role.INVESTIGATOR, "to": Role.COORDINATOR}
    assert event.actor_id == alex.user.pk  # type: ignore[attr-defined]


def test_setting_a_password_in_the_admin_is_audited(
    alex: Client, make_staff: Callable[..., User]
) -> None:
    ivy = make_staff(Role.INVESTIGATOR)
    new_password = "a different horse battery staple"
    response = alex.post(
        reverse("admin:auth_user_password_change", args=[ivy.pk]),
        {"password1": new_password, "password2": new_password, "usable_password": "true"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="account.password_set", target_id=str(ivy.pk)).last()
    assert event is not None
    assert event.actor_id == alex.user.pk  # type: ignore[attr-defined]
    assert ivy.password not in str(event.summary)


def test_adding_and_removing_a_totp_device_is_audited(make_staff: Callable[..., User]) -> None:
    ivy = make_staff(Role.INVESTIGATOR)
    device = add_totp_device(ivy)
    assert AuditEvent.objects.filter(action="auth.2fa.device_added", target_id=str(ivy.pk))
    device.delete()
    assert AuditEvent.objects.filter(action="auth.2fa.device_removed", target_id=str(ivy.pk))

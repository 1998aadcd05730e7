"""The write-service decorator: one durable transaction that writes its audit row (issue 14)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction

from vigil.accounts.models import User
from vigil.audit.models import AuditEvent
from vigil.audit.services import audit_record
from vigil.audit.write_service import (
    WRITE_SERVICES,
    UnauditedWrite,
    is_write_service,
    write_service,
)


@write_service
def _rename_audited(*, user: User, name: str) -> None:
    user.full_name = name
    user.save(update_fields=["full_name"])
    audit_record(action="test.rename", actor=user, target=user)


@write_service
def _rename_unaudited(*, user: User, name: str) -> None:
    user.full_name = name
    user.save(update_fields=["full_name"])


@write_service
def _change_nothing(*, user: User) -> str:
    return user.full_name


@write_service
def _rename_inside_another(*, user: User) -> None:
    _rename_audited(user=user, name="Nested")
    audit_record(action="test.outer", actor=user)


@pytest.mark.django_db(transaction=True)
def test_a_service_that_audits_commits_its_change_and_its_row(
    make_staff: Callable[..., User],
) -> None:
    user = make_staff(full_name="Alice")
    committed: list[bool] = []

    def after() -> None:
        committed.append(True)

    @write_service
    def rename_and_wait_for_commit() -> None:
        _rename_audited.__wrapped__(user=user, name="Alicia")
        transaction.on_commit(after)

    rename_and_wait_for_commit()

    user.refresh_from_db()
    assert user.full_name == "Alicia"
    assert AuditEvent.objects.filter(action="test.rename", target_id=str(user.pk)).exists()
    assert committed == [True]


@pytest.mark.django_db
def test_a_service_that_writes_without_an_audit_row_rolls_back_and_raises(
    make_staff: Callable[..., User],
) -> None:
    user = make_staff(full_name="Bob")

    with pytest.raises(UnauditedWrite, match="_rename_unaudited changed data"):
        _rename_unaudited(user=user, name="Robert")

    user.refresh_from_db()
    assert user.full_name == "Bob"


@pytest.mark.django_db
def test_a_service_that_changes_nothing_needs_no_audit_row(
    make_staff: Callable[..., User],
) -> None:
    user = make_staff(full_name="Charlie")
    before = AuditEvent.objects.count()

    assert _change_nothing(user=user) == "Charlie"
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_a_write_service_refuses_to_run_inside_another(
    make_staff: Callable[..., User],
) -> None:
    user = make_staff(full_name="Dana")
    before = AuditEvent.objects.count()

    with pytest.raises(RuntimeError, match="inside another write service"):
        _rename_inside_another(user=user)

    user.refresh_from_db()
    assert user.full_name == "Dana"
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_a_write_service_refuses_to_run_inside_an_open_transaction(
    make_staff: Callable[..., User],
) -> None:
    user = make_staff(full_name="Erin")

    with pytest.raises(RuntimeError), transaction.atomic():
        _rename_audited(user=user, name="Erin B")

    user.refresh_from_db()
    assert user.full_name == "Erin"


def test_decorated_services_are_registered_by_their_qualified_name() -> None:
    name = f"{__name__}._rename_audited"
    assert WRITE_SERVICES[name] is _rename_audited
    assert is_write_service(_rename_audited)
    assert not is_write_service(_rename_audited.__wrapped__)


@write_service
def _rename_twice(*, user: User) -> None:
    _rename_audited.as_step(user=user, name="Step one")
    user.is_active = False
    user.save(update_fields=["is_active"])


@pytest.mark.django_db
def test_a_service_run_as_a_step_joins_the_outer_service_and_its_audit_covers_both(
    make_staff: Callable[..., User],
) -> None:
    user = make_staff(full_name="Frankie")

    _rename_twice(user=user)

    user.refresh_from_db()
    assert (user.full_name, user.is_active) == ("Step one", False)
    assert AuditEvent.objects.filter(action="test.rename").count() == 1


@pytest.mark.django_db
def test_a_step_run_with_no_service_open_is_its_own_write_service(
    make_staff: Callable[..., User],
) -> None:
    user = make_staff(full_name="Gale")

    with pytest.raises(UnauditedWrite):
        _rename_unaudited.as_step(user=user, name="Gail")

    user.refresh_from_db()
    assert user.full_name == "Gale"


@write_service
def _rename_nobody(*, name: str) -> int:
    return User.objects.filter(email="nobody@example.invalid").update(full_name=name)


@pytest.mark.django_db
def test_an_update_that_matches_nothing_is_no_change() -> None:
    assert _rename_nobody(name="Nobody") == 0

"""Statements compiled once must write and read exactly what the ORM writes and reads."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from vigil.common import sql
from vigil.common.sessions import SessionStore
from vigil.reporting.models import ReportDraft, ThrottleEvent

pytestmark = pytest.mark.django_db

ANSWERS = {"answers": {"victim-name": {"name": "Jane Doe"}}, "incidents": [{"place": "bus"}]}


def _stored_data(draft_id: uuid.UUID) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM reporting_reportdraft WHERE id = %s", [draft_id.hex])
        return str(cursor.fetchone()[0])


def _run(statement: sql.Statement) -> int:
    with sql.cursor_for(ReportDraft) as cursor:
        cursor.execute(statement.sql, statement.params)
        return cursor.rowcount


def _new_draft() -> ReportDraft:
    return ReportDraft(
        data=ANSWERS,
        submission_key=uuid.uuid4().hex,
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )


def test_an_inserted_row_reads_back_through_the_orm_as_it_was_written() -> None:
    draft = _new_draft()
    _run(sql.insert_statement(draft))

    stored = ReportDraft.objects.get(pk=draft.pk)
    assert stored.data == ANSWERS
    assert stored.submission_key == draft.submission_key
    assert stored.expires_at == draft.expires_at
    # auto_now_add and auto_now are filled in, as save() would
    assert stored.created_at is not None and stored.created_at == draft.created_at
    assert stored.updated_at == draft.updated_at


def test_an_inserted_row_is_encrypted_at_rest() -> None:
    draft = _new_draft()
    _run(sql.insert_statement(draft))
    assert "Jane" not in _stored_data(draft.pk)


def test_an_auto_increment_id_is_left_to_the_database() -> None:
    now = timezone.now()
    _run(sql.insert_statement(ThrottleEvent(kind="submit_address", key="k", created_at=now)))
    _run(sql.insert_statement(ThrottleEvent(kind="submit_address", key="k", created_at=now)))
    assert ThrottleEvent.objects.filter(key="k").count() == 2


def test_a_conditional_insert_writes_only_when_its_condition_holds() -> None:
    now = timezone.now()
    event = ThrottleEvent(kind="submit_address", key="k", created_at=now)
    assert _run(sql.insert_statement(event, only_if=("%s < %s", [1, 2]))) == 1
    event = ThrottleEvent(kind="submit_address", key="k", created_at=now)
    assert _run(sql.insert_statement(event, only_if=("%s < %s", [2, 1]))) == 0
    assert ThrottleEvent.objects.filter(key="k").count() == 1


def test_an_update_changes_only_the_named_fields_and_prepares_their_values() -> None:
    draft = _new_draft()
    draft.save()
    later = draft.expires_at + datetime.timedelta(hours=2)

    _run(
        sql.update_statement(ReportDraft, {"data": {"new": "x"}, "expires_at": later}, pk=draft.pk)
    )

    stored = ReportDraft.objects.get(pk=draft.pk)
    assert stored.data == {"new": "x"}
    assert stored.expires_at == later
    assert stored.submission_key == draft.submission_key
    assert "new" not in _stored_data(draft.pk)


def test_fetch_one_gives_the_instance_a_queryset_would() -> None:
    draft = _new_draft()
    draft.save()

    fetched = sql.fetch_one(
        ReportDraft, "id = %s", [sql.prepare_value(ReportDraft, "id", draft.pk)]
    )

    expected = ReportDraft.objects.get(pk=draft.pk)
    assert fetched is not None
    assert isinstance(fetched.pk, uuid.UUID)
    assert fetched.pk == expected.pk
    assert fetched.data == expected.data == ANSWERS
    assert fetched.expires_at == expected.expires_at
    assert fetched.expires_at.tzinfo is not None
    assert fetched.report_id is None
    assert not fetched._state.adding


def test_fetch_one_gives_none_when_nothing_matches() -> None:
    unknown = sql.prepare_value(ReportDraft, "id", uuid.uuid4())
    assert sql.fetch_one(ReportDraft, "id = %s", [unknown]) is None


def test_writes_run_together_are_all_kept_or_none() -> None:
    kept, clashing = _new_draft(), _new_draft()
    clashing.submission_key = kept.submission_key

    with pytest.raises(IntegrityError), transaction.atomic():
        sql.execute_together(
            ReportDraft, [sql.insert_statement(kept), sql.insert_statement(clashing)]
        )
    assert not ReportDraft.objects.exists()

    first, second = _new_draft(), _new_draft()
    with transaction.atomic():
        sql.execute_together(
            ReportDraft, [sql.insert_statement(first), sql.insert_statement(second)]
        )
    assert ReportDraft.objects.count() == 2


def test_a_session_is_read_back_and_an_expired_one_is_not() -> None:
    store = SessionStore()
    store["answer"] = "abc"
    store.create()
    assert SessionStore(store.session_key).load() == {"answer": "abc"}

    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new key when next saved, as Django's own store does


def _conditional_event(key: str, *, holds: bool) -> sql.Statement:
    event = ThrottleEvent(kind="submit_address", key=key, created_at=timezone.now())
    condition = ("%s < %s", [1, 2] if holds else [2, 1])
    return sql.insert_statement(event, only_if=condition)._replace(must_write=True)


def test_a_write_that_must_write_and_does_not_undoes_the_others() -> None:
    with pytest.raises(sql.NothingWritten), transaction.atomic():
        sql.execute_together(
            ThrottleEvent,
            [_conditional_event("a", holds=True), _conditional_event("b", holds=False)],
        )
    assert not ThrottleEvent.objects.exists()

    with transaction.atomic():
        sql.execute_together(ThrottleEvent, [_conditional_event("a", holds=True)])
    assert list(ThrottleEvent.objects.values_list("key", flat=True)) == ["a"]


def test_writes_run_together_then_give_the_row_the_last_statement_finds() -> None:
    table, key = sql.quoted(ThrottleEvent, "key")
    count_a = sql.Statement(f"SELECT count(*), min({key}) FROM {table} WHERE {key} = %s", ["a"])  # noqa: S608
    nothing = sql.Statement(f"SELECT {key} FROM {table} WHERE {key} = %s", ["none"])  # noqa: S608

    with transaction.atomic():
        row = sql.execute_together(
            ThrottleEvent, [_conditional_event("a", holds=True)], then=count_a
        )
        missing = sql.execute_together(
            ThrottleEvent, [_conditional_event("a", holds=True)], then=nothing
        )

    # On PostgreSQL the writes and the SELECT share one snapshot, so the SELECT does not see
    # the rows written with it; one by one (SQLite) it does.
    assert row == ((0, None) if connection.vendor == "postgresql" else (1, "a"))
    assert missing is None
    assert ThrottleEvent.objects.filter(key="a").count() == 2

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from vigil.accounts.models import User
from vigil.audit.models import AuditEvent
from vigil.audit.services import audit_record, audit_verify, client_hash
from vigil.common import sql
from vigil.common.request_context import RequestContext, reset_request_context, set_request_context
from vigil.reporting.models import ThrottleEvent

pytestmark = pytest.mark.django_db


def write_events(actor: User, count: int = 5) -> list[AuditEvent]:
    return [
        audit_record(action="case.view", actor=actor, target=actor, summary={"n": n})
        for n in range(count)
    ]


def raw_sql(sql: str, params: list[object]) -> None:
    """Change the table behind the application's back, as an attacker with DB access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def test_each_event_links_to_the_one_before(make_staff: Callable[..., User]) -> None:
    events = write_events(make_staff())
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert audit_verify().ok


def test_an_event_records_who_what_and_from_where(make_staff: Callable[..., User]) -> None:
    officer = make_staff()
    token = set_request_context(RequestContext(request_id="req-123", ip_address="192.0.2.1"))
    try:
        event = audit_record(action="case.view", actor=officer, target=officer, summary={"a": 1})
    finally:
        reset_request_context(token)
    event.refresh_from_db()
    assert (event.actor, event.actor_role, event.action) == (officer, officer.role, "case.view")
    assert (event.target_type, event.target_id) == ("accounts.user", str(officer.pk))
    assert (event.request_id, event.summary) == ("req-123", {"a": 1})
    # The address only as a keyed hash (issue 14).
    assert (event.ip_address, event.ip_hash) == (None, client_hash("192.0.2.1"))


def test_a_changed_row_is_detected(make_staff: Callable[..., User]) -> None:
    events = write_events(make_staff())
    raw_sql("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["case.nothing", events[2].id])
    result = audit_verify()
    assert not result.ok
    assert result.broken_at == events[2].id
    assert result.checked == events[2].id - 1  # every row before it verified


def test_a_removed_row_is_detected(make_staff: Callable[..., User]) -> None:
    events = write_events(make_staff())
    raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    result = audit_verify()
    assert not result.ok
    assert result.broken_at == events[2].id


def test_removing_the_newest_rows_is_detected(make_staff: Callable[..., User]) -> None:
    events = write_events(make_staff())
    raw_sql("DELETE FROM audit_auditevent WHERE id >= %s", [events[3].id])
    result = audit_verify()
    assert not result.ok
    assert "removed" in result.reason


def test_a_row_rehashed_without_the_key_is_detected(make_staff: Callable[..., User]) -> None:
    import hashlib

    events = write_events(make_staff())
    forged = hashlib.sha256(b"forged").hexdigest()
    raw_sql("UPDATE audit_auditevent SET hash = %s WHERE id = %s", [forged, events[4].id])
    assert audit_verify().broken_at == events[4].id


def test_audit_verify_command_reports_ok_and_the_first_broken_link(
    make_staff: Callable[..., User], capsys: pytest.CaptureFixture[str]
) -> None:
    events = write_events(make_staff())
    call_command("audit_verify")
    assert (
        f"Audit chain OK: {len(AuditEvent.objects.all())} events verified."
        in capsys.readouterr().out
    )
    raw_sql("UPDATE audit_auditevent SET summary = %s WHERE id = %s", ['{"n": 99}', events[3].id])
    with pytest.raises(CommandError, match=f"BROKEN at event #{events[3].id}"):
        call_command("audit_verify")


def test_an_audit_row_rolls_back_with_the_change_it_records(
    make_staff: Callable[..., User],
) -> None:
    officer = make_staff()
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action="case.assign", actor=officer, target=officer)
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == before
    write_events(officer, 1)
    assert audit_verify().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_to_update_or_delete_audit_rows(
    make_staff: Callable[..., User],
) -> None:
    event = write_events(make_staff(), 1)[0]
    for statement in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.id])


def test_a_change_whose_audit_row_failed_is_not_kept_even_if_the_error_is_swallowed(
    make_staff: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    from vigil.audit import services

    officer = make_staff(full_name="Original Name")

    def broken_hash(event: AuditEvent) -> str:
        raise RuntimeError("hashing failed")

    monkeypatch.setattr(services, "compute_hash", broken_hash)
    with transaction.atomic():
        User.objects.filter(pk=officer.pk).update(full_name="Changed Without Audit")
        # A careless caller swallows the error.
        with contextlib.suppress(RuntimeError):
            audit_record(action="user.rename", actor=officer, target=officer)
    officer.refresh_from_db()
    assert officer.full_name == "Original Name"


def _throttle_row(key: str) -> sql.Statement:
    return sql.insert_statement(
        ThrottleEvent(kind="submit_address", key=key, created_at=timezone.now())
    )


def test_writes_sent_with_the_lock_are_kept_with_their_event(
    make_staff: Callable[..., User],
) -> None:
    staff = make_staff()
    write_events(staff, 2)
    with transaction.atomic():
        event = audit_record(
            action="report.submit",
            target=staff,
            together_with=[_throttle_row("a"), _throttle_row("b")],
        )

    assert set(ThrottleEvent.objects.values_list("key", flat=True)) == {"a", "b"}
    assert event.prev_hash == AuditEvent.objects.order_by("-id")[1].hash
    assert audit_verify().ok


def test_a_write_sent_with_the_lock_that_fails_leaves_no_event(
    make_staff: Callable[..., User],
) -> None:
    staff = make_staff()
    write_events(staff, 1)
    before = AuditEvent.objects.count()
    broken = sql.Statement("INSERT INTO reporting_throttleevent (kind) VALUES (%s)", ["no key"])

    with pytest.raises(DatabaseError), transaction.atomic():
        audit_record(action="report.submit", target=staff, together_with=[broken])

    assert AuditEvent.objects.count() == before
    assert not ThrottleEvent.objects.exists()
    assert audit_verify().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pattern indexes are PostgreSQL's")
def test_busy_tables_keep_no_pattern_matching_indexes() -> None:
    """Every audited action and every report sent writes these tables; an index that nothing
    searches by costs each write (docs/benchmarks.md). Only the DPO's search by the start of an
    action needs one."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexdef LIKE %s AND tablename IN"
            " ('audit_auditevent', 'reporting_report', 'reporting_reportdraft',"
            " 'reporting_throttleevent')",
            ["%pattern_ops%"],
        )
        pattern_indexes = {name for (name,) in cursor.fetchall()}
    assert pattern_indexes == {"audit_auditevent_action_2131bb77_like"}

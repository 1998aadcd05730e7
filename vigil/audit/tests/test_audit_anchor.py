"""Finding 5: truncation with the head moved back, or a wipe of table and head, is detected by
`audit_verify --expect-head` with the value a nightly `audit_anchor` printed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vigil.accounts.models import User
from vigil.audit.tests.test_audit_chain import raw_sql, write_events

pytestmark = pytest.mark.django_db


def _anchor(capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    call_command("audit_anchor")
    return capsys.readouterr().out.strip()


def test_an_untouched_chain_verifies_against_its_anchor(
    make_staff: Callable[..., User], capsys: pytest.CaptureFixture[str]
) -> None:
    write_events(make_staff())
    anchor = _anchor(capsys)
    write_events(make_staff(), count=2)  # the chain may grow after the anchor
    call_command("audit_verify", expect_head=anchor)
    assert "Audit chain OK" in capsys.readouterr().out


def test_removing_the_last_rows_and_moving_the_head_back_is_detected(
    make_staff: Callable[..., User], capsys: pytest.CaptureFixture[str]
) -> None:
    events = write_events(make_staff())
    anchor = _anchor(capsys)
    raw_sql("DELETE FROM audit_auditevent WHERE id >= %s", [events[3].id])
    raw_sql(
        "UPDATE audit_auditchainhead SET last_id = %s, last_hash = %s WHERE id = 1",
        [events[2].id, events[2].hash],
    )
    call_command("audit_verify")  # without the anchor the shortened chain looks whole
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit_verify", expect_head=anchor)


def test_wiping_the_table_and_the_head_is_detected(
    make_staff: Callable[..., User], capsys: pytest.CaptureFixture[str]
) -> None:
    write_events(make_staff())
    anchor = _anchor(capsys)
    raw_sql("DELETE FROM audit_auditevent", [])
    raw_sql("DELETE FROM audit_auditchainhead", [])
    call_command("audit_verify")
    with pytest.raises(CommandError, match="removed"):
        call_command("audit_verify", expect_head=anchor)


def test_an_anchor_not_signed_with_the_audit_key_is_refused(
    make_staff: Callable[..., User], capsys: pytest.CaptureFixture[str]
) -> None:
    events = write_events(make_staff())
    forged = f"{events[1].id}:{events[1].hash}:{'0' * 64}"
    with pytest.raises(CommandError, match="REFUSED"):
        call_command("audit_verify", expect_head=forged)

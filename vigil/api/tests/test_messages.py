"""Messages with the victim: only by a way they marked safe, only on a case in scope."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
import time_machine

from vigil.accounts.models import Agency
from vigil.api.models import ClientKind
from vigil.api.tests.conftest import Caller
from vigil.cases.models import Case, ContactLogEntry
from vigil.cases.tests.factories import victim_of
from vigil.notifications.models import OutboxMessage


def _message(case: Case, channel: str = "email") -> dict[str, str]:
    return {"victim_id": str(victim_of(case).pk), "channel": channel, "body": "We have news."}


def test_a_message_goes_by_a_safe_way_and_is_read_back(
    coordination: Caller, alice: Caller, shared_case: Case
) -> None:
    response = coordination("post", f"/cases/{shared_case.pk}/messages", _message(shared_case))
    assert response.status_code == 201
    assert response.json()["channel"] == "email"
    assert OutboxMessage.objects.filter(purpose="case.victim_message").count() == 1
    listed = coordination("get", f"/cases/{shared_case.pk}/messages").json()["results"]
    assert [m["body"] for m in listed] == ["We have news."]
    # The contact log is never shared with a partner's system, even on a referred case.
    assert alice("get", f"/cases/{shared_case.pk}/messages").status_code == 403


def test_a_message_by_a_way_the_victim_did_not_choose_is_refused(
    coordination: Caller, shared_case: Case
) -> None:
    response = coordination(
        "post", f"/cases/{shared_case.pk}/messages", _message(shared_case, "text")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "channel"
    assert "did not choose" in response.json()["detail"]
    assert not ContactLogEntry.objects.exists()


def test_a_message_to_someone_not_on_the_case_is_a_field_error(
    coordination: Caller, shared_case: Case
) -> None:
    body = {**_message(shared_case), "victim_id": str(uuid.uuid4())}
    response = coordination("post", f"/cases/{shared_case.pk}/messages", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "victim_id"


def test_a_partner_system_cannot_send_messages(alice: Caller, shared_case: Case) -> None:
    response = alice("post", f"/cases/{shared_case.pk}/messages", _message(shared_case))
    assert response.status_code == 403
    assert not ContactLogEntry.objects.exists()


def test_the_same_idempotency_key_twice_sends_one_message(
    coordination: Caller, shared_case: Case
) -> None:
    path = f"/cases/{shared_case.pk}/messages"
    first = coordination("post", path, _message(shared_case), idempotency_key="msg-1")
    second = coordination("post", path, _message(shared_case), idempotency_key="msg-1")
    assert first.json() == second.json()
    assert ContactLogEntry.objects.count() == 1
    assert OutboxMessage.objects.filter(purpose="case.victim_message").count() == 1


@pytest.mark.parametrize("moment", ["2026-12-01 13:59:54Z", "2026-12-01 13:59:54.000500Z"])
def test_a_replay_is_the_first_answer_whatever_the_time_it_was_made(
    coordination: Caller, shared_case: Case, moment: str
) -> None:
    """Times with no milliseconds, or under one, are written the same in both answers."""

    path = f"/cases/{shared_case.pk}/messages"
    with time_machine.travel(moment, tick=False):
        first = coordination("post", path, _message(shared_case), idempotency_key="msg-t")
    second = coordination("post", path, _message(shared_case), idempotency_key="msg-t")
    assert first.content == second.content


def test_messages_on_a_case_out_of_scope_are_404(
    make_caller: Callable[..., Caller], police_agency: Agency, shared_case: Case
) -> None:
    offender_management = make_caller(ClientKind.OFFENDER_MANAGEMENT, police_agency)
    assert offender_management("get", f"/cases/{shared_case.pk}/messages").status_code == 404


def test_a_partners_system_is_never_given_the_messages(bob: Caller, shared_case: Case) -> None:
    assert bob("get", f"/cases/{shared_case.pk}/messages").status_code == 403

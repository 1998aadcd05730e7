"""Every API operation for every kind of client, generated from the spec: an operation added
later is in the matrix without anyone remembering to add it.

A kind without the operation gets 403; with it, a case in its scope answers and a case out of its
scope is 404, as "not there"; no token is 401.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from vigil.accounts.models import Agency, User
from vigil.accounts.tests.factories import TeamFactory
from vigil.api.models import KIND_OPERATIONS, ClientKind
from vigil.api.tests.conftest import Caller
from vigil.api.v1 import api
from vigil.cases import services as case_services
from vigil.cases.models import Case
from vigil.cases.tests.factories import make_case, victim_of

SPEC = api.get_openapi_schema(path_prefix="")
OPERATIONS = [
    (method.upper(), path, operation)
    for path, item in SPEC["paths"].items()
    for method, operation in item.items()
]
# Who sees a case shared with agency A and put with the offender management team, and who sees
# a case that is neither.
SEES_OTHER_CASES = {ClientKind.COORDINATION}
# Police records no referral shares: a partner's system finds nothing there, even on a case
# referred to its agency (vigil.sharing.parts).
NOT_SHARED_WITH_PARTNERS = {"/cases/{case_id}/actions/{action_id}"}


def _call(caller: Caller, method: str, path: str, case: Case, action: str) -> Any:
    url = path.replace("{case_id}", str(case.pk)).replace("{action_id}", action)
    headers = {"if_match": "*"} if method == "PATCH" else {}
    body: Any = None
    if method == "PATCH":
        body = {"status": "done"}
    elif method == "POST" and path.endswith("/messages"):
        body = {"victim_id": str(victim_of(case).pk), "channel": "email", "body": "News"}
    elif method == "POST":
        body = {}  # a report with nothing in it: refused field by field (422)
    return caller(method, url, body, **headers)


def test_every_operation_names_the_operation_it_needs() -> None:
    assert OPERATIONS
    for method, path, operation in OPERATIONS:
        assert operation.get("x-vigil-operation"), f"{method} {path} needs no operation"
        assert operation.get("security"), f"{method} {path} needs no token"


@pytest.fixture
def cases(
    coordinator: User, shared_case: Case, police_agency: Agency
) -> tuple[Case, Case, str, str]:
    """The shared case (in the team's hands) and a case nobody shared, each with an action."""
    team = TeamFactory(agency=police_agency, name="Offender management")
    Case.objects.filter(pk=shared_case.pk).update(team=team)
    other = make_case(by=coordinator)
    due = datetime.date(2026, 12, 5)
    actions = [
        str(
            case_services.action_add(
                case=c, title="Visit", owner=None, due_on=due, by=coordinator
            ).pk
        )
        for c in (shared_case, other)
    ]
    return shared_case, other, actions[0], actions[1]


@pytest.mark.parametrize("kind", ClientKind.values)
@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, _ in OPERATIONS])
def test_the_matrix(
    kind: str,
    method: str,
    path: str,
    make_caller: Callable[..., Caller],
    agency_a: Agency,
    police_agency: Agency,
    cases: tuple[Case, Case, str, str],
) -> None:
    shared, other, shared_action, other_action = cases
    needed = SPEC["paths"][path][method.lower()]["x-vigil-operation"]
    agency = agency_a if kind == ClientKind.PARTNER_SYSTEM else police_agency
    extra: dict[str, Any] = {}
    if kind == ClientKind.OFFENDER_MANAGEMENT:
        extra["team"] = Case.objects.get(pk=shared.pk).team
    caller = make_caller(kind, agency, **extra)

    assert _call(Caller(caller.client, ""), method, path, shared, shared_action).status_code == 401
    in_scope = _call(caller, method, path, shared, shared_action)
    if needed not in KIND_OPERATIONS[kind]:
        assert in_scope.status_code == 403
        return
    if kind == ClientKind.PARTNER_SYSTEM and path in NOT_SHARED_WITH_PARTNERS:
        assert in_scope.status_code == 404, in_scope.content
        return
    assert in_scope.status_code in {200, 201, 422}, in_scope.content
    if "{case_id}" in path:
        out_of_scope = _call(caller, method, path, other, other_action)
        expected = {200, 201, 422} if kind in SEES_OTHER_CASES else {404}
        assert out_of_scope.status_code in expected, out_of_scope.content


def test_the_matrix_covers_every_kind_and_operation() -> None:
    assert len(OPERATIONS) * len(ClientKind.values) >= 40
    assert {op["x-vigil-operation"] for _, _, op in OPERATIONS} == {
        o for ops in KIND_OPERATIONS.values() for o in ops
    }


def test_staff_sign_in_does_not_open_the_api(
    staff_client: Callable[..., Client], shared_case: Case
) -> None:
    """A signed-in member of staff's session cookie is not a token: the API wants its own."""
    coordinator_browser = staff_client("coordinator")
    assert coordinator_browser.get(f"/api/v1/cases/{shared_case.pk}").status_code == 401

"""The linking engine's own tests describe records with made-up owners ("cases.case:1"), so no
case scope can reach them. They run with a stand-in scope instead: police staff see every
record, partners their own agency's. The real scope, through cases, is tested with real cases in
vigil/cases/tests/test_scope.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Q

from vigil.accounts.models import POLICE_ROLES, Role
from vigil.linking import querysets


def engine_test_scope(user: Any, action: str) -> Q:
    if user.role in POLICE_ROLES:
        return Q()
    if user.role == Role.PARTNER and user.agency_id:
        return Q(agency_id=user.agency_id)
    return Q(pk__in=[])


@pytest.fixture(autouse=True)
def _engine_scope() -> Iterator[None]:
    querysets.register_record_scope("engine-test", engine_test_scope)
    yield
    querysets._record_scopes.pop("engine-test", None)

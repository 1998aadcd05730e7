"""Issue 22: after the blind-index key changes, `rotate_keys` re-hashes case identifiers, so
a victim's or suspect's phone and email are found again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from vigil.accounts.models import Role, User
from vigil.audit.models import AuditEvent
from vigil.cases.models import CaseIdentifier, CasePerson
from vigil.cases.policy import identifier_index
from vigil.cases.services import person_identifiers_reindex
from vigil.cases.tests.factories import make_case
from vigil.operations import rotation

pytestmark = pytest.mark.django_db


def _found(email: str) -> bool:
    return CaseIdentifier.objects.filter(blind_index=identifier_index("email", email)).exists()


def test_rotating_the_blind_index_key_keeps_identifiers_findable(
    make_staff: Callable[..., User], settings: Any
) -> None:
    officer = make_staff(Role.INVESTIGATOR)
    make_case(by=officer, officer=officer)
    assert _found("alice@example.com")
    rotation.keys_rotate()  # records the key's fingerprint
    settings.BLIND_INDEX_KEY = "a-new-blind-index-key"
    assert not _found("alice@example.com")
    result = rotation.keys_rotate()
    assert "cases_reindex" in result.reindexed
    assert _found("alice@example.com")
    assert rotation.keys_rotate().reindexed == []


def test_reindexing_a_persons_search_rows_is_audited(make_staff: Callable[..., User]) -> None:
    """Issue 14: the reindex rewrote a person's search rows with no audit row."""
    officer = make_staff(Role.INVESTIGATOR)
    case = make_case(by=officer, officer=officer)
    person = CasePerson.objects.filter(case=case).first()
    assert person is not None

    rows = person_identifiers_reindex(person=person)

    event = AuditEvent.objects.get(action="case.person.reindex", target_id=str(person.pk))
    assert event.summary == {"rows": rows}

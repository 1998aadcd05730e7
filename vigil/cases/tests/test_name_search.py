"""Fuzzy search by name: the dictionary of name words it looks typed words up in first, and
what an officer finds (vigil/cases/name_search.py)."""

from __future__ import annotations

from io import StringIO
from uuid import UUID

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import UserFactory
from vigil.audit.models import AuditEvent
from vigil.cases.models import Case, CasePerson, NameWord
from vigil.cases.name_search import name_matches, name_words_rebuild
from vigil.cases.tests.factories import make_case
from vigil.records.erasure import erasure_execute, erasure_plan

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the word-first search is PostgreSQL's"
)


def _words() -> set[str]:
    return set(NameWord.objects.values_list("word", flat=True))


def _case_named(name: str) -> Case:
    coordinator: User = UserFactory(role=Role.COORDINATOR)
    return make_case(by=coordinator, victim={"name": name}, suspects=[])


def test_the_words_of_a_new_persons_name_join_the_dictionary() -> None:
    _case_named("Siân O'Neil")
    assert {"sian", "oneil"} <= _words()


def test_a_word_leaves_the_dictionary_with_its_last_person() -> None:
    # A rare surname on its own can say someone with it was known to the police.
    rare = _case_named("Amelia Szczepanska")
    _case_named("Amelia Roberts")
    erasure_execute(erasure_plan(rare))  # as the retention erasure deletes a case
    words = _words()
    assert "szczepanska" not in words
    assert {"amelia", "roberts"} <= words  # still someone's


def test_rebuilding_the_dictionary_gives_exactly_todays_words_and_is_audited() -> None:
    _case_named("Dora Pennington")
    NameWord.objects.create(word="leftover")
    NameWord.objects.filter(word="dora").delete()
    out = StringIO()
    call_command("cases_reindex", stdout=out)
    names = CasePerson.objects.values_list("name_search", flat=True)
    assert _words() == {word for name in names for word in name.split()}
    assert "Name search dictionary rebuilt" in out.getvalue()
    assert AuditEvent.objects.filter(action="case.name_words.rebuild").exists()
    assert name_words_rebuild() == len(_words())  # idempotent


def _found(text: str) -> set[UUID]:
    return set(name_matches(text))


@on_postgres
def test_every_word_typed_must_be_like_a_word_of_the_name() -> None:
    wanted = [
        _case_named("Katherine Ball"),
        _case_named("Catherine Ball"),  # spelt differently
        _case_named("Katherine Ball-Hughes"),  # 'ballhughes' has most of 'ball'
    ]
    # The whole-name score alone put these at 0.8: a long first name outweighed the surname.
    noise = [_case_named("Katherine Barnett"), _case_named("Katherine Banks")]
    found = _found("Katherine Ball")
    assert {case.pk for case in wanted} <= found
    assert not {case.pk for case in noise} & found


@on_postgres
def test_a_short_spelling_finds_the_long_one() -> None:
    john = _case_named("John Smith")
    jonathan = _case_named("Jonathan Smith")
    found = _found("Jon Smith")
    assert {john.pk, jonathan.pk} <= found


@on_postgres
def test_with_no_name_like_every_word_the_whole_name_match_still_finds_people() -> None:
    # Nobody has a word like "jane": the search falls back to the whole-name similarity.
    amelia = _case_named("Amelia Roberts")
    other = _case_named("Brian Tate")
    found = _found("Amelia Jane Roberts")
    assert amelia.pk in found
    assert other.pk not in found


@on_postgres
def test_an_initial_is_scored_but_constrains_nothing() -> None:
    amelia = _case_named("Amelia Roberts")
    assert amelia.pk in _found("A Roberts")


@on_postgres
def test_the_search_reads_the_name_words_index() -> None:
    """The query's expression must be the index's (migration 0014), or PostgreSQL reads every
    person: at a national scale, a few milliseconds against a hundred."""
    _case_named("Katherine Ball")
    with CaptureQueriesContext(connection) as queries:
        name_matches("Katherine Ball")
    search = next(q["sql"] for q in queries.captured_queries if "&&" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # one test person is cheaper to scan
        cursor.execute("EXPLAIN " + search)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on cases_person_name_words" in plan

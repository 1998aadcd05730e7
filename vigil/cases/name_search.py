"""Fuzzy search of case people by name, fast at a national scale.

On PostgreSQL a name matches as it always has, by pg_trgm word similarity of the whole name
(at least 0.6, closest first). Run alone over two million names that is a GIN scan of every
name sharing a common trigram ("  j", "son"), some 50 ms a search. So the search first asks a
small question: which *words* of people's names are like each word typed? `NameWord` holds
every distinct word of every name (a few hundred thousand words for a nation; people are
millions), and a GIN index on each name's words finds the people who have, for every typed
word, a word like it. Only those are scored. That is also the better answer for an officer:
"Katherine Ball" no longer lists every Katherine B-, nor every Ball.

When no name is like the search on every word (a missing middle name, a word the record spells
quite differently), the whole-name match runs alone, as before, so nothing findable is lost.

The dictionary is kept by the code that creates people, emptied of a word when its last person
is deleted (a rare surname can identify someone on its own), and rebuilt by `cases_reindex`.
On SQLite (small installations) names are scored in Python and the dictionary is only kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from rapidfuzz import fuzz

from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.models import CasePerson, NameWord
from vigil.cases.policy import normalise_name

NAME_MATCH_THRESHOLD = 80  # rapidfuzz token-set ratio, on SQLite
NAME_MATCH_LIMIT = 500
WHOLE_NAME_SIMILARITY = 0.6  # pg_trgm's default word_similarity_threshold
# A word typed is "like" a dictionary word at trigram similarity 0.25 ("jon" ~ "john", "ball"
# ~ "bsll") or when it is most of it ("rob" in "roberts"): generous, because the whole-name
# similarity decides; this only picks whom to score. The `%` operator (which the dictionary's
# index serves) reads its threshold from pg_trgm.similarity_threshold, so each connection sets
# that to WORD_SIMILARITY (`on_connection`); `<%` keeps pg_trgm's default, 0.6.
WORD_SIMILARITY = 0.25
# Initials ("J Smith") constrain nothing on their own; the whole-name score still counts them.
SHORTEST_WORD = 2
# More words than a name has (pasted text) go straight to the whole-name match.
MOST_WORDS = 5

# The same expression as the index in migration 0014, so PostgreSQL uses it.
_WORDS = "string_to_array(name_search, ' ')"


def name_words(name_search: str) -> set[str]:
    return set(name_search.split())


def name_words_remember(names: Iterable[str]) -> None:
    """Add the words of these normalised names to the dictionary (inside the caller's
    transaction: the person and their words are written together)."""
    words = set().union(*(name_words(name) for name in names))
    if words:
        NameWord.objects.bulk_create(
            [NameWord(word=word) for word in sorted(words)], ignore_conflicts=True, batch_size=500
        )


def _words_in_use(words: set[str]) -> set[str]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT w FROM unnest(%s::text[]) AS w WHERE EXISTS ("  # noqa: S608 - constant
                f"SELECT 1 FROM cases_caseperson WHERE {_WORDS} @> ARRAY[w])",
                [sorted(words)],
            )
            return {row[0] for row in cursor.fetchall()}
    used: set[str] = set()
    for word in words:
        people = CasePerson.objects.filter(name_search__contains=word).values_list(
            "name_search", flat=True
        )
        if any(word in name_words(name) for name in people):
            used.add(word)
    return used


def name_words_forget(names: Iterable[str]) -> None:
    """Remove the words of these names that no remaining person has."""
    words = set().union(*(name_words(name) for name in names))
    if words:
        NameWord.objects.filter(word__in=words - _words_in_use(words)).delete()


def on_connection(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    """connection_created: the `%` operator's threshold for this session. Nothing else in
    Vigil uses `%`. (Behind a pooler that shares sessions, a connection may keep pg_trgm's
    0.3: "jon" then no longer reaches "john" through the dictionary; nothing else changes.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
                [str(WORD_SIMILARITY)],
            )


def on_person_deleted(sender: object, instance: CasePerson, **kwargs: object) -> None:
    """post_delete: inside the deleting transaction, so the word goes with the person."""
    name_words_forget([instance.name_search])


@write_service
def name_words_rebuild() -> int:
    """Make the dictionary exactly the words of today's names (after a restore or a bulk load
    that bypassed the models). Idempotent; returns the number of words."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM cases_nameword")
            cursor.execute(
                f"INSERT INTO cases_nameword (word) SELECT DISTINCT w FROM cases_caseperson, "  # noqa: S608
                f"unnest({_WORDS}) AS w WHERE w <> ''"
            )
    else:
        NameWord.objects.all().delete()
        name_words_remember(
            CasePerson.objects.values_list("name_search", flat=True).distinct().iterator()
        )
    count = NameWord.objects.count()
    audit_record(action="case.name_words.rebuild", summary={"words": count})
    return count


def name_matches(text: str) -> list[UUID]:
    """Ids of cases with a person whose name is like `text`, closest first, at most
    NAME_MATCH_LIMIT (a very common name is cut to the closest matches)."""
    normalised = normalise_name(text)
    if not normalised:
        return []
    if connection.vendor == "postgresql":
        return _postgres_matches(normalised)
    scored = sorted(
        (
            (fuzz.token_set_ratio(normalised, name), case_id)
            for case_id, name in CasePerson.objects.values_list("case_id", "name_search")
        ),
        key=lambda pair: -pair[0],
    )
    matched = [case_id for score, case_id in scored if score >= NAME_MATCH_THRESHOLD]
    return list(dict.fromkeys(matched))[:NAME_MATCH_LIMIT]


def _postgres_matches(normalised: str) -> list[UUID]:
    typed = sorted({word for word in normalised.split() if len(word) >= SHORTEST_WORD})
    ids = _matches_on_every_word(normalised, typed) if 0 < len(typed) <= MOST_WORDS else []
    if not ids:
        ids = _whole_name_matches(normalised)
    return list(dict.fromkeys(ids))


def _matches_on_every_word(normalised: str, typed: list[str]) -> list[UUID]:
    """One query: the dictionary words like each typed word (each an InitPlan, run first),
    then the people whose name has one of each, scored on the whole name."""
    like_word = (
        "ARRAY(SELECT d.word::text FROM cases_nameword d WHERE d.word %% %s OR %s <%% d.word)"
    )
    every_word = " AND ".join([f"{_WORDS} && {like_word}"] * len(typed))
    params: list[str] = []
    for word in typed:
        params += [word, word]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT case_id FROM cases_caseperson "  # noqa: S608 - built from constants
            f"WHERE {every_word} AND word_similarity(%s, name_search) >= %s "
            "ORDER BY word_similarity(%s, name_search) DESC, case_id LIMIT %s",
            [*params, normalised, WHOLE_NAME_SIMILARITY, normalised, NAME_MATCH_LIMIT],
        )
        return [row[0] for row in cursor.fetchall()]


def _whole_name_matches(normalised: str) -> list[UUID]:
    # `%>` at pg_trgm's default threshold uses the GIN index on name_search (migration 0002).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT case_id FROM cases_caseperson WHERE name_search %%> %s "
            "AND word_similarity(%s, name_search) >= %s "
            "ORDER BY word_similarity(%s, name_search) DESC, case_id LIMIT %s",
            [normalised, normalised, WHOLE_NAME_SIMILARITY, normalised, NAME_MATCH_LIMIT],
        )
        return [row[0] for row in cursor.fetchall()]

"""A national force's worth of cases, fast: PostgreSQL COPY, for `bench/case_queries.py`.

`vigil.cases.demo.bulk_cases_create` builds model instances and inserts them with
`bulk_create`: about 18 minutes for 200,000 cases, so 1,000,000 cases and 5,000,000 incidents
would take hours. This writes the same rows (the same tables, the same shapes, the same made-up
names, places and numbers) with COPY, while the tables' secondary indexes are dropped and the
foreign-key triggers are off, then rebuilds the indexes once and checks every foreign key in
one pass per column (a row that breaks one stops the run: nothing is trusted unchecked).

Encrypted columns hold what the service writes: each value goes through the model field's own
`get_db_prep_save` (Fernet under the configured key, so the pages decrypt them as usual). Names
and phone numbers are encrypted one by one; an incident's place and summary, chosen from a few
demo sentences, are drawn from a pool of tokens made the same way (a Fernet token of the same
sentence, only not unique per row) to save 10,000,000 encryptions.
"""

from __future__ import annotations

import datetime
import json
import random
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.cases.demo import PLACES, WHAT_HAPPENED, _faker
from vigil.cases.models import (
    Case,
    CaseIdentifier,
    CasePerson,
    CaseStatus,
    Classification,
    Incident,
    IncidentSource,
    IncludedClassification,
    PersonRole,
    RiskLevel,
)
from vigil.cases.policy import identifier_index, normalise_name
from vigil.common.behaviours import BEHAVIOURS
from vigil.contact.contract import SafeContactPrefs
from vigil.contact.models import SafeContact

TABLES: tuple[type[models.Model], ...] = (
    Case,
    SafeContact,
    CasePerson,
    IncludedClassification,
    CaseIdentifier,
    Incident,
)
TOKEN_POOL = 64  # tokens per demo sentence


class Table:
    """One model's COPY: every concrete column, defaults from a template instance."""

    def __init__(
        self, model: type[models.Model], cursor: Any, counts: dict[str, int], **template: Any
    ) -> None:
        self.model = model
        self.counts = counts
        # A serial key is the database's to number.
        self.fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin)]
        instance = model(**template)
        self.defaults = {
            f.attname: f.get_db_prep_save(getattr(instance, f.attname), connection)
            for f in self.fields
        }
        self.columns = [str(f.column) for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        self.copy = cursor.copy(
            f"COPY {model._meta.db_table} ({', '.join(self.columns)}) FROM STDIN"
        )
        self.rows = 0

    def __enter__(self) -> Table:
        self.writer = self.copy.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.copy.__exit__(*exc)
        self.counts[self.model._meta.label] = self.rows

    def write(self, values: dict[str, Any]) -> None:
        row = [values[name] if name in values else self.defaults[name] for name in self.attnames]
        self.writer.write_row([json.dumps(v) if isinstance(v, dict | list) else v for v in row])
        self.rows += 1


def encrypted(model: type[models.Model], field: str, value: Any) -> Any:
    concrete: Any = model._meta.get_field(field)
    return concrete.get_db_prep_save(value, connection)


def _secondary_indexes(cursor: Any) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the indexes that back no constraint."""
    tables = [model._meta.db_table for model in TABLES]
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = ANY(%s) AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [tables],
    )
    return list(cursor.fetchall())


def _foreign_keys(cursor: Any) -> list[tuple[str, str]]:
    tables = [model._meta.db_table for model in TABLES]
    cursor.execute(
        """
        SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)
        """,
        [tables],
    )
    return list(cursor.fetchall())


def _check_foreign_keys(cursor: Any, log: Callable[[str], None]) -> None:
    """The triggers were off during the load: find any row whose key points nowhere."""
    for table, definition in _foreign_keys(cursor):
        # FOREIGN KEY (case_id) REFERENCES cases_case(id) DEFERRABLE INITIALLY DEFERRED
        column = definition.split("(", 1)[1].split(")", 1)[0]
        target, target_column = definition.split("REFERENCES ", 1)[1].split(")", 1)[0].split("(")
        cursor.execute(
            f"SELECT count(*) FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "  # noqa: S608 - catalogue names
            f"(SELECT 1 FROM {target} r WHERE r.{target_column} = t.{column})"
        )
        broken = cursor.fetchone()[0]
        if broken:
            raise RuntimeError(f"{broken} row(s) of {table}.{column} point nowhere")
        log(f"checked {table}.{column}")


def _sample_tokens(
    model: type[models.Model], field: str, sentences: Sequence[str]
) -> list[list[Any]]:
    return [[encrypted(model, field, s) for _ in range(TOKEN_POOL)] for s in sentences]


def cases_copy(
    *,
    cases: int,
    incidents_per_case: int = 5,
    seed: int = 1,
    log: Callable[[str], None] = print,
) -> dict[str, int]:
    """Add `cases` closed-and-open cases with two people, two phones and their incidents."""
    rng = random.Random(seed)
    fake = _faker(seed)
    creator = User.objects.filter(role=Role.CALL_HANDLER).first()
    officers = list(User.objects.filter(role=Role.INVESTIGATOR))
    if creator is None or not officers:
        raise ValueError("Load demo staff first (manage.py load_demo).")
    first_names = list({fake.first_name() for _ in range(3000)})
    last_names = list({fake.last_name() for _ in range(3000)})
    behaviour_codes = [b.code for b in BEHAVIOURS]
    classifications = Classification.values
    risks = RiskLevel.values[1:]
    places = _sample_tokens(Incident, "place", PLACES)
    summaries = _sample_tokens(Incident, "summary", WHAT_HAPPENED)
    contact_data = SafeContactPrefs(channels=("email",)).to_json()
    now = timezone.now()
    start_number = Case.objects.count()

    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own, for COPY
        indexes = _secondary_indexes(cursor)
        log(f"dropping {len(indexes)} secondary indexes for the load")
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")  # foreign keys checked below
        counts: dict[str, int] = {}
        try:
            counts = _copy_all(
                cursor,
                cases=cases,
                incidents_per_case=incidents_per_case,
                rng=rng,
                start_number=start_number,
                creator=creator,
                officers=officers,
                names=(first_names, last_names),
                behaviour_codes=behaviour_codes,
                classifications=classifications,
                risks=risks,
                places=places,
                summaries=summaries,
                contact_data=contact_data,
                now=now,
                log=log,
            )
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
            for name, definition in indexes:
                log(f"rebuilding {name}")
                cursor.execute(definition)
        _check_foreign_keys(cursor, log)
        log("adding the new names' words to the name search dictionary")
        cursor.execute(
            "INSERT INTO cases_nameword (word) SELECT DISTINCT w FROM cases_caseperson, "
            "unnest(string_to_array(name_search, ' ')) AS w WHERE w <> '' ON CONFLICT DO NOTHING"
        )
        # VACUUM too: a freshly loaded table has no visibility map, so index-only scans would
        # fetch every heap row (autovacuum sets it in service, but only later).
        tables = ", ".join(model._meta.db_table for model in TABLES)
        cursor.execute(f"VACUUM (ANALYZE) {tables}")
    return counts


def _copy_all(
    cursor: Any,
    *,
    cases: int,
    incidents_per_case: int,
    rng: random.Random,
    start_number: int,
    creator: User,
    officers: list[User],
    names: tuple[list[str], list[str]],
    behaviour_codes: list[str],
    classifications: Iterable[str],
    risks: list[str],
    places: list[list[Any]],
    summaries: list[list[Any]],
    contact_data: Any,
    now: datetime.datetime,
    log: Callable[[str], None],
) -> dict[str, int]:
    """Each table in its own COPY, rows made in the same order so their keys line up."""
    classifications = list(classifications)
    first_names, last_names = names
    # Keys and the few per-case choices, made once and shared by the tables below.
    case_ids = [uuid.uuid4() for _ in range(cases)]
    contact_ids = [uuid.uuid4() for _ in range(cases)]
    victim_ids = [uuid.uuid4() for _ in range(cases)]
    suspect_ids = [uuid.uuid4() for _ in range(cases)]
    stamp = {"created_at": now, "updated_at": now}

    counts: dict[str, int] = {}
    with Table(Case, cursor, counts, created_by=creator) as table:
        for i, case_id in enumerate(case_ids):
            officer = officers[(start_number + i) % len(officers)]
            opened = now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 730))
            table.write(
                {
                    "id": case_id,
                    **stamp,
                    "reference": f"BN-{start_number + i:08d}",
                    "principal_classification": rng.choice(classifications),
                    "status": CaseStatus.OPEN if rng.random() < 0.6 else CaseStatus.CLOSED,
                    "officer_id": officer.pk,
                    "team_id": officer.team_id,
                    "created_by_id": creator.pk,
                    "risk_level": rng.choice(risks),
                    "opened_at": opened,
                    "last_activity_at": opened,
                }
            )
            if i % 50_000 == 0:
                log(f"cases {i}")
    with Table(SafeContact, cursor, counts) as table:
        for i, contact_id in enumerate(contact_ids):
            table.write(
                {"id": contact_id, **stamp, "data": encrypted(SafeContact, "data", contact_data)}
            )
            if i % 100_000 == 0:
                log(f"contacts {i}")
    with Table(CasePerson, cursor, counts, case_id=case_ids[0]) as table:
        for i, case_id in enumerate(case_ids):
            people: tuple[tuple[Any, str, Any], ...] = (
                (victim_ids[i], PersonRole.VICTIM, contact_ids[i]),
                (suspect_ids[i], PersonRole.SUSPECT, None),
            )
            for person_id, role, contact_id in people:
                name = f"{rng.choice(first_names)} {rng.choice(last_names)}"
                table.write(
                    {
                        "id": person_id,
                        **stamp,
                        "case_id": case_id,
                        "role": role,
                        "name": encrypted(CasePerson, "name", name),
                        "name_search": normalise_name(name),
                        "contact_id": contact_id,
                    }
                )
            if i % 50_000 == 0:
                log(f"people of {i} cases")
    with Table(IncludedClassification, cursor, counts, case_id=case_ids[0]) as table:
        for case_id in case_ids:
            if rng.random() < 0.2:
                table.write({"case_id": case_id, "classification": Classification.STALKING_S2A})
    with Table(
        CaseIdentifier, cursor, counts, case_id=case_ids[0], person_id=victim_ids[0]
    ) as table:
        for i, case_id in enumerate(case_ids):
            for person_id in (victim_ids[i], suspect_ids[i]):
                phone = f"07{rng.randint(0, 999_999_999):09d}"
                table.write(
                    {
                        "id": uuid.uuid4(),
                        **stamp,
                        "case_id": case_id,
                        "person_id": person_id,
                        "kind": "phone",
                        "value": encrypted(CaseIdentifier, "value", phone),
                        "blind_index": identifier_index("phone", phone),
                    }
                )
            if i % 50_000 == 0:
                log(f"identifiers of {i} cases")
    with Table(Incident, cursor, counts, case_id=case_ids[0], victim_id=victim_ids[0]) as table:
        for i, case_id in enumerate(case_ids):
            for _ in range(incidents_per_case):
                table.write(
                    {
                        "id": uuid.uuid4(),
                        **stamp,
                        "case_id": case_id,
                        "occurred_at": now - datetime.timedelta(minutes=rng.randint(0, 10**6)),
                        "place": rng.choice(rng.choice(places)),
                        "behaviours": rng.sample(behaviour_codes, 2),
                        "summary": rng.choice(rng.choice(summaries)),
                        "source": IncidentSource.VICTIM,
                        "victim_id": victim_ids[i],
                        "suspect_id": suspect_ids[i],
                        "recorded_by_id": creator.pk,
                    }
                )
            if i % 50_000 == 0:
                log(f"incidents of {i} cases")
    return counts

"""Online candidate lookup on PostgreSQL with 1,000,000 person records: p50/p95/p99 and the plan.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linking \\
        .venv/bin/python bench/candidate_lookup.py [--records 1000000] [--lookups 500] [--reload]

Loads synthetic people (no real people; names from Faker's word lists with a skewed surname
distribution, so common names make big blocks as they do in life) straight into the linking
tables with COPY: attributes encrypted and keys hashed exactly as `person_record_upsert` does,
indexes built after the load. A second run reuses the data unless --reload is given.
Then it times `selectors.candidates_for` (key lookup, fetch, decrypt, score) for records that
are noisy copies of loaded people, as an officer adding a suspect would trigger it, and prints
EXPLAIN ANALYZE of the candidate query.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings")
os.environ.setdefault("VIGIL_ENV", "development")


def people(count: int, seed: int) -> list[dict[str, str]]:
    """Fast synthetic people: Faker's word lists sampled directly (Faker itself is too slow)."""
    from faker import Faker
    from faker.providers.person.en_GB import Provider

    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    given = list(Provider.first_names_male) + list(Provider.first_names_female)
    surnames = list(Provider.last_names)
    # Zipf-like: the commonest surname is ~50 times more common than the rarest.
    weights = [1 / (rank + 1) ** 0.65 for rank in range(len(surnames))]
    streets = [fake.street_name() for _ in range(20000)]
    postcodes = [fake.postcode() for _ in range(200000)]
    chosen_surnames = rng.choices(surnames, weights=weights, k=count)
    out = []
    for i in range(count):
        g = rng.choice(given)
        s = chosen_surnames[i]
        out.append(
            {
                "given_name": g,
                "surname": s,
                "date_of_birth": f"{rng.randint(1940, 2007)}-{rng.randint(1, 12):02d}-"
                f"{rng.randint(1, 28):02d}",
                "address": f"{rng.randint(1, 250)} {rng.choice(streets)}",
                "postcode": rng.choice(postcodes),
                "phone": f"077{rng.randrange(10**8):08d}",
                "email": f"{g}.{s}{rng.randint(1, 9999)}@example.org".lower(),
            }
        )
    return out


def attributes_of(person: dict[str, str]) -> dict[str, object]:
    from vigil.linking.services import record_attributes

    return record_attributes(
        names=[f"{person['given_name']} {person['surname']}"],
        date_of_birth=person["date_of_birth"],
        phones=[person["phone"]] if person["phone"] else [],
        emails=[person["email"]] if person["email"] else [],
        addresses=[person["address"]] if person["address"] else [],
        postcodes=[person["postcode"]] if person["postcode"] else [],
    )


def load(count: int, seed: int) -> None:
    from django.db import connection

    from vigil.common.crypto import encrypt_text
    from vigil.linking import indexes

    print(f"generating {count:,} people…", flush=True)
    started = time.perf_counter()
    generated = people(count, seed)
    key_id = indexes.current_key_id()
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute(
            "TRUNCATE linking_recordkey, linking_linkdecision, linking_alert, "
            "linking_personrecord, linking_person CASCADE"
        )
        cursor.execute("DROP INDEX IF EXISTS linking_key_digest_record")
        now = "2026-01-01 00:00:00+00"
        print("encrypting, hashing and copying…", flush=True)
        with (
            cursor.copy("COPY linking_person (id, created_at, updated_at) FROM STDIN") as persons,
        ):
            person_ids = [uuid.uuid4() for _ in range(count)]
            for pid in person_ids:
                persons.write_row((pid, now, now))
        record_ids = [uuid.uuid4() for _ in range(count)]
        columns = (
            "id, created_at, updated_at, source, owner, role, victim_key, agency_id, person_id, "
            "attributes, label, index_key_id, created_by_id"
        )
        keys_file = []
        with cursor.copy(f"COPY linking_personrecord ({columns}) FROM STDIN") as records:
            for i, person in enumerate(generated):
                attrs = attributes_of(person)
                records.write_row(
                    (
                        record_ids[i],
                        now,
                        now,
                        f"bench.record:{i}",
                        f"bench.case:{i}",
                        "suspect",
                        "",
                        None,
                        person_ids[i],
                        encrypt_text(json.dumps(attrs, sort_keys=True)),
                        "",
                        key_id,
                        None,
                    )
                )
                keys_file.append((record_ids[i], indexes.digests(attrs)))
                if i and i % 100000 == 0:
                    print(f"  {i:,} records ({time.perf_counter() - started:.0f} s)", flush=True)
        with cursor.copy("COPY linking_recordkey (record_id, digest) FROM STDIN") as keys:
            for record_id, digests in keys_file:
                for digest in digests:
                    keys.write_row((record_id, digest))
        print("indexing…", flush=True)
        cursor.execute(
            "CREATE INDEX linking_key_digest_record ON linking_recordkey (digest, record_id)"
        )
        cursor.execute("ANALYZE linking_person, linking_personrecord, linking_recordkey")
    print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)


def noisy(person: dict[str, str], rng: random.Random) -> dict[str, str]:
    """What a victim might tell an officer: a nickname, a typo, an old phone, no email."""
    copy = dict(person)
    roll = rng.random()
    if roll < 0.2:
        name = copy["given_name"]
        i = rng.randrange(1, len(name))
        copy["given_name"] = (name[:i] + name[i + 1 :]).upper()
    elif roll < 0.4:
        name = copy["surname"]
        i = rng.randrange(1, len(name))
        copy["surname"] = name[:i] + rng.choice("aeiou") + name[i + 1 :]
    if rng.random() < 0.4:
        copy["phone"] = f"077{rng.randrange(10**8):08d}"
    if rng.random() < 0.5:
        copy["email"] = ""
    if rng.random() < 0.3:
        copy["date_of_birth"] = ""
    return copy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--reload", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from vigil.accounts.models import Role, User
    from vigil.linking.models import PersonRecord
    from vigil.linking.selectors import candidate_pool, candidates_for

    if connection.vendor != "postgresql":
        print("Set DATABASE_URL to a PostgreSQL database.", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0)
    if args.reload or PersonRecord.objects.count() != args.records:
        load(args.records, args.seed)
    officer = User(email="bench@example.org", role=Role.INVESTIGATOR)
    rng = random.Random(args.seed + 1)
    sample = people(args.records, args.seed)  # same seed: the same people as loaded
    queries = []
    for person in rng.sample(sample, args.lookups + 50):
        record = PersonRecord(person_id=uuid.uuid4())
        record.attributes = attributes_of(noisy(person, rng))  # type: ignore[assignment]
        queries.append(record)
    timings = []
    found = 0
    slowest: tuple[float, PersonRecord] = (0.0, queries[0])
    for i, record in enumerate(queries):
        started = time.perf_counter()
        candidates = candidates_for(record=record, user=officer)
        elapsed = (time.perf_counter() - started) * 1000
        if i >= 50:  # the first lookups warm the caches
            timings.append(elapsed)
            found += bool(candidates)
            slowest = max(slowest, (elapsed, record), key=lambda pair: pair[0])
    timings.sort()
    p = statistics.quantiles(timings, n=100)
    load_average = os.getloadavg()
    print(f"records:  {args.records:,}")
    print(f"machine load average during the run: {load_average[0]:.1f} (2 cores, shared)")
    print(f"lookups:  {len(timings)} (after 50 warm-up), with candidates: {found}")
    print(f"p50:      {p[49]:.1f} ms")
    print(f"p95:      {p[94]:.1f} ms")
    print(f"p99:      {p[98]:.1f} ms")
    print(f"max:      {timings[-1]:.1f} ms")
    # The worst block: a common given name with the commonest surname and nothing else known.
    from faker.providers.person.en_GB import Provider

    common = PersonRecord(person_id=uuid.uuid4())
    common.attributes = attributes_of(  # type: ignore[assignment]
        {
            "given_name": next(iter(Provider.first_names_male)),
            "surname": next(iter(Provider.last_names)),
            "date_of_birth": "",
            "address": "",
            "postcode": "",
            "phone": "",
            "email": "",
        }
    )
    heavy = []
    for _ in range(21):
        started = time.perf_counter()
        result = candidates_for(record=common, user=officer)
        heavy.append((time.perf_counter() - started) * 1000)
    heavy_pool = candidate_pool(record=common, user=officer)
    assert heavy_pool is not None
    block = heavy_pool.count()
    print(
        f"name-only lookup for the commonest name: median {statistics.median(heavy[1:]):.1f} ms,"
        f" {block} records in the block, {len(result)} shown"
    )
    print("\nEXPLAIN ANALYZE of the name-only lookup:")
    print(heavy_pool.explain(analyze=True, buffers=True))
    pool = candidate_pool(record=slowest[1], user=officer)
    if pool is not None:
        print("\nEXPLAIN ANALYZE of the candidate query for the slowest lookup:")
        print(pool.explain(analyze=True, buffers=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

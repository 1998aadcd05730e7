"""Case list, search by name, search by phone and case page at scale, through the full stack.

Run on PostgreSQL (the fuzzy name search uses pg_trgm there):

    export VIGIL_ENV=development DATABASE_URL=postgres://postgres@127.0.0.1:5432/cases
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
    .venv/bin/python bench/case_queries.py --cases 200000 --incidents-per-case 5

Missing cases are generated first (PostgreSQL COPY, `bench/case_data.py`: 1,000,000 cases and
5,000,000 incidents in minutes). Each
page is then requested through Django's test client as a signed-in coordinator, so middleware,
sessions, the permission checks, the audit row of each case read and template rendering are all
in the timings. Prints p50 and p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings")
os.environ.setdefault("VIGIL_ENV", "development")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402

from bench.case_data import cases_copy  # noqa: E402
from vigil.accounts.models import Role, User  # noqa: E402
from vigil.cases.models import Case, CaseIdentifier, CasePerson, Incident  # noqa: E402


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    device = user.totpdevice_set.filter(confirmed=True).first()
    assert device is not None
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def measure(label: str, runs: int, request: Callable[[int], int]) -> tuple[float, float]:
    request(0)  # warm caches and templates
    times = []
    for n in range(runs):
        start = time.perf_counter()
        status = request(n)
        times.append((time.perf_counter() - start) * 1000)
        assert status == 200, f"{label}: HTTP {status}"
    times.sort()
    p50 = statistics.median(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"{label:<28} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   ({runs} requests)")
    return p50, p95


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--incidents-per-case", type=int, default=5)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument(
        "--explain", action="store_true", help="print each page's slowest query plans instead"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Run this on PostgreSQL: set DATABASE_URL.", file=sys.stderr)
        sys.exit(2)
    setup_test_environment()  # lets the test client run against this database
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]

    missing = args.cases - Case.objects.count()
    if missing > 0:
        print(f"Generating {missing} cases...")
        start = time.perf_counter()
        cases_copy(
            cases=missing,
            incidents_per_case=args.incidents_per_case,
            seed=Case.objects.count() + 1,
            log=lambda line: print(f"  {time.perf_counter() - start:6.0f} s  {line}", flush=True),
        )
        print(f"generated in {time.perf_counter() - start:.0f} s")
    print(
        f"{Case.objects.count()} cases, {Incident.objects.count()} incidents, "
        f"{CasePerson.objects.count()} people, {CaseIdentifier.objects.count()} identifiers"
    )

    coordinator = User.objects.filter(role=Role.COORDINATOR).first()
    investigator = User.objects.filter(role=Role.INVESTIGATOR).first()
    assert coordinator and investigator, "run manage.py load_demo first"
    as_coordinator = signed_in(coordinator)
    as_investigator = signed_in(investigator)

    rng = random.Random(42)
    sample_ids = list(Case.objects.values_list("id", flat=True).order_by("?")[: args.runs + 1])
    people = list(
        CasePerson.objects.filter(case_id__in=sample_ids).values_list("name", flat=True)[
            : args.runs + 1
        ]
    )
    phones = list(
        CaseIdentifier.objects.filter(case_id__in=sample_ids, kind="phone").values_list(
            "value", flat=True
        )[: args.runs + 1]
    )
    rng.shuffle(people)
    rng.shuffle(phones)
    # As an officer mistypes them: one letter dropped from one word ("Katherine Bll").
    misspelt = [_drop_a_letter(name, rng) for name in people]

    def get(client: Client, url: str, params: dict[str, str] | None = None) -> int:
        return client.get(url, params or {}).status_code

    pages: list[tuple[str, Callable[[int], int]]] = [
        ("case list (coordinator)", lambda n: get(as_coordinator, "/staff/cases/")),
        ("case list (investigator)", lambda n: get(as_investigator, "/staff/cases/")),
        (
            "search by name",
            lambda n: get(as_coordinator, "/staff/cases/", {"q": people[n % len(people)]}),
        ),
        (
            "search by name, misspelt",
            lambda n: get(as_coordinator, "/staff/cases/", {"q": misspelt[n % len(misspelt)]}),
        ),
        (
            "search by phone",
            lambda n: get(as_coordinator, "/staff/cases/", {"q": phones[n % len(phones)]}),
        ),
        (
            "case page",
            lambda n: get(as_coordinator, f"/staff/cases/{sample_ids[n % len(sample_ids)]}/"),
        ),
    ]
    print(f"load average {os.getloadavg()[0]:.1f} at the start of the timings")
    for label, request in pages:
        if args.explain:
            explain_slowest(label, request)
        else:
            measure(label, args.runs, request)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


def _drop_a_letter(name: str, rng: random.Random) -> str:
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) > 3:
        cut = rng.randrange(1, len(word) - 1)
        words[longest] = word[:cut] + word[cut + 1 :]
    return " ".join(words)


def explain_slowest(label: str, request: Callable[[int], int], top: int = 3) -> None:
    """The page's slowest queries, each with its plan (EXPLAIN ANALYZE, BUFFERS)."""
    request(0)  # warm
    with CaptureQueriesContext(connection) as queries:
        request(1)
    print(f"=== {label}: {len(queries)} queries")
    slowest = sorted(queries.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    for query in [q for q in slowest if q["sql"].lstrip().upper().startswith("SELECT")][:top]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(f"    {row[0]}" for row in cursor.fetchall())
        print(f"--- {float(query['time']) * 1000:.1f} ms: {query['sql'][:400]}\n{plan}")


if __name__ == "__main__":
    main()

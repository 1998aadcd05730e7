"""The insights dashboard at a force's scale: 200,000 cases and 1,000,000 incidents.

Run on PostgreSQL (the median uses percentile_cont there):

    export VIGIL_ENV=development DATABASE_URL=postgres://postgres@127.0.0.1:5432/insights
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
    .venv/bin/python bench/insights.py --cases 200000 --incidents-per-case 5

Missing cases are generated first (`vigil.cases.demo.bulk_cases_create`); the bulk cases have no
first contact, response time or closing date, so those are filled in once (on cases that lack
them) so that every figure has work to do. Then it measures, through the full stack as a
signed-in coordinator (middleware, sessions, permission checks, templates):

- working the figures out from scratch (the snapshot refresh `insights_sweep` does hourly);
- the dashboard, whole force and the last 52 weeks, as coordinators get it (from the snapshot);
- the same for one team, the drill-down list behind a figure, and a CSV download.

Prints p50 and p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import os
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
from django.test.utils import setup_test_environment  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402

from vigil.accounts.models import Role, User  # noqa: E402
from vigil.cases.demo import bulk_cases_create  # noqa: E402
from vigil.cases.models import Case, Incident  # noqa: E402
from vigil.insights.forms import FiltersForm  # noqa: E402
from vigil.insights.models import FigureSnapshot  # noqa: E402
from vigil.insights.selectors import snapshot_refresh  # noqa: E402


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    device = user.totpdevice_set.filter(confirmed=True).first()  # type: ignore[attr-defined]
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
    print(f"{label:<44} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   ({runs} runs)")
    return p50, p95


FILL = """
UPDATE cases_case SET
  response_due_at = opened_at + interval '1 hour' * (1 + (abs(hashtext(reference)) % 24)),
  first_contact_at = CASE WHEN abs(hashtext(reference || 'c')) % 10 < 8
    THEN opened_at + interval '1 minute' * (abs(hashtext(reference || 'm')) % 2880) END,
  closed_at = CASE WHEN status = 'closed'
    THEN opened_at + interval '1 day' * (1 + abs(hashtext(reference || 'd')) % 120) END,
  outcome = CASE WHEN status = 'closed'
    THEN (ARRAY['charge','caution','spo','nfa','withdrawn'])[1 + abs(hashtext(reference)) % 5]
    ELSE '' END
WHERE response_due_at IS NULL
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--incidents-per-case", type=int, default=5)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--cold-runs", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Run this on PostgreSQL: set DATABASE_URL.", file=sys.stderr)
        sys.exit(2)
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]

    missing = args.cases - Case.objects.count()
    if missing > 0:
        print(f"Generating {missing} cases...")
        bulk_cases_create(
            cases=missing,
            incidents_per_case=args.incidents_per_case,
            seed=Case.objects.count() + 1,
            log=lambda line: print(line, end="\r", flush=True),
        )
    with connection.cursor() as cursor:
        cursor.execute(FILL)
        if cursor.rowcount:
            print(f"filled first contact, response time and closing on {cursor.rowcount} cases")
            cursor.execute("ANALYZE")
    print(f"{Case.objects.count()} cases, {Incident.objects.count()} incidents")

    coordinator = User.objects.filter(role=Role.COORDINATOR).first()
    assert coordinator, "run manage.py load_demo first"
    client = signed_in(coordinator)
    team = coordinator.team or Case.objects.exclude(team=None).values_list("team", flat=True)[0]
    team_id = getattr(team, "pk", team)

    year = FiltersForm(None).filters()
    FigureSnapshot.objects.all().delete()
    measure(
        "figures from scratch (whole force, 52 weeks)",
        args.cold_runs,
        lambda n: (snapshot_refresh(filters=year, user=coordinator), 200)[1],
    )

    def get(url: str, params: dict[str, str] | None = None) -> int:
        return client.get(url, params or {}).status_code

    measure("dashboard (whole force, 52 weeks)", args.runs, lambda n: get("/staff/insights/"))
    measure(
        "dashboard by month (whole force, 52 weeks)",
        args.runs,
        lambda n: get("/staff/insights/", {"trend": "month"}),
    )
    measure(
        "dashboard (one team, 52 weeks)",
        args.runs,
        lambda n: get("/staff/insights/", {"team": str(team_id)}),
    )
    measure(
        "drill-down: high-risk cases (page 1)",
        args.runs,
        lambda n: get("/staff/insights/cases/cases_by_risk/", {"row": "high"}),
    )
    measure("CSV of one table", args.runs, lambda n: get("/staff/insights/csv/outcomes.csv"))
    measure("public site use", args.runs, lambda n: get("/staff/insights/public-site/"))
    cpu = os.cpu_count()
    print(f"machine: {cpu} CPU cores; PostgreSQL {connection.pg_version}")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()

"""Sending a report under load: reports/s and p95 beside a bare one-row insert, same server.

    .venv/bin/python bench/report_submit.py [--db postgres://postgres@127.0.0.1:5432/reporting]

It migrates the database, makes sure 100,000 reports are already stored (bulk COPY of one
encrypted payload under unique references), prepares one finished draft (and its cookie) per
submission, starts gunicorn on 127.0.0.1 with the real settings, then 16 client threads each
send their share of "Send report" POSTs (the whole submit: draft, rate limit, encryption,
reference, audit row), each thread from its own loopback address. The same server also serves
the yardsticks: a bare Django view that inserts one row with the ORM (the ratio's denominator),
the same with a hand-written INSERT, and a view that only reads the draft, which is the most a
submit could ever reach. They take turns in rounds, and each ratio is the median of the rounds'.
Localhost only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST, PORT = "127.0.0.1", 8102
EXISTING_REPORTS = 100_000
SUBMIT_LIMIT_PER_ADDRESS = 200


def ensure_database(db: str) -> None:
    """Create the benchmark's database on first use (a fresh machine has only `test`)."""
    import psycopg

    name = db.rsplit("/", 1)[1]
    with psycopg.connect(db.rsplit("/", 1)[0] + "/postgres", autocommit=True) as server:
        if not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            create = psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name))
            server.execute(create)


def setup_django(db: str) -> None:
    ensure_database(db)
    os.environ.update(
        {
            "VIGIL_ENV": "development",
            "DATABASE_URL": db,
            "DJANGO_SETTINGS_MODULE": "bench.report_settings",
            # Each client thread sends from its own loopback address (see run_load), well
            # under this limit, so the rate limit is checked as it is for real visitors.
            "VIGIL_REPORT_SUBMIT_PER_ADDRESS_PER_HOUR": str(SUBMIT_LIMIT_PER_ADDRESS),
            "VIGIL_DB_CONN_MAX_AGE": "60",
            "VIGIL_LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def ensure_reports() -> None:
    """Fill up to 100,000 stored reports quickly: one encrypted payload, COPY in one go."""
    from django.db import connection
    from django.utils import timezone

    from vigil.common.crypto import encrypt_text
    from vigil.contact.contract import SafeContactPrefs
    from vigil.contact.services import safe_contact_create
    from vigil.reporting.references import hash_tracking_secret, new_reference

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reporting_report")
        have = cursor.fetchone()[0]
    missing = EXISTING_REPORTS - have
    if missing <= 0:
        print(f"{have} reports already stored")
        return
    started = time.perf_counter()
    victim = encrypt_text('{"name": "Bench Victim"}')
    empty_dict, empty_list = encrypt_text("{}"), encrypt_text("[]")
    secret_hash = hash_tracking_secret("bench")
    # Stored reports only fill the table: one shared "do not contact" record is enough.
    contact_id = safe_contact_create(prefs=SafeContactPrefs()).pk
    now = timezone.now().isoformat()
    references: set[str] = set()
    while len(references) < missing:
        references.add("B" + new_reference()[1:])  # a B never starts a real reference
    raw = connection.connection
    with (
        raw.cursor() as cursor,
        cursor.copy(
            "COPY reporting_report (id, created_at, updated_at, reference, received_at, status,"
            " reporter_type, immediate_danger, victim, reporter, contact_id, suspects, details,"
            " tracking_secret_hash, submission_key, withdrawal_reason) FROM STDIN"
        ) as copy,
    ):
        for reference in references:
            copy.write_row(
                (
                    uuid.uuid4(),
                    now,
                    now,
                    reference,
                    now,
                    "received",
                    "victim",
                    False,
                    victim,
                    empty_dict,
                    contact_id,
                    empty_list,
                    empty_dict,
                    secret_hash,
                    uuid.uuid4().hex,
                    "",
                )
            )
    raw.commit()
    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would give in time
        cursor.execute("ANALYZE")
    print(f"stored {missing} reports in {time.perf_counter() - started:.1f} s")


def prepare_drafts(count: int) -> list[tuple[str, str, str]]:
    """(draft cookie, csrf token, submission key) for `count` finished drafts."""
    from django.conf import settings
    from django.http import HttpResponse

    from vigil.reporting import services
    from vigil.reporting.drafts import remember_draft

    answers = {
        "who": {"reporter_type": "victim"},
        "danger": {"immediate_danger": "no"},
        "victim-name": {"name": "Bench Victim", "date_of_birth": "1990-04-03"},
        "victim-contact": {"email": "", "phone": "07700 900123"},
        "victim-address": {"line_1": "1 High Street", "town": "Exampleton", "postcode": "EX1"},
        "equality": {},
        "contact-channels": {"channels": ["phone"]},
        "contact-safety": {
            "safe_times": "weekdays",
            "voicemail_ok": "no",
            "can_say_police": "no",
            "safe_word": "",
            "others_may_read": "no",
        },
        "suspects": {"count": 1},
        "behaviours": {"behaviours": ["following", "calls_messages"]},
        "when": {"started_on": "2026-06-01", "most_recent_on": "2026-11-20", "frequency": "daily"},
        "incidents": {"count": 1},
        "impact": {"impact": "I cannot sleep.", "changes_made": ""},
        "evidence": {"count": 0},
        "anything-else": {"anything_else": ""},
    }
    prepared = []
    for _ in range(count):
        draft = services.draft_create()
        draft.data = {
            "answers": answers,
            "suspects": [{"relationship": "ex_partner", "names": ["Mallory"], "social": []}],
            "incidents": [{"date": "2026-11-20", "time": "", "place": "", "what_happened": "x"}],
        }
        services.draft_save(draft=draft)
        response = HttpResponse()
        remember_draft(response, draft)
        cookie = response.cookies[settings.REPORT_DRAFT_COOKIE_NAME].value
        prepared.append((cookie, secrets.token_hex(16), draft.submission_key))
    return prepared


def start_server(workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, bound to localhost
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "vigil.wsgi",
            f"--bind={HOST}:{PORT}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    for _ in range(100):  # up to 10 s
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=1)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def run_load(
    requests: list[tuple[str, str, dict[str, str]]], *, clients: int, expect: int
) -> tuple[float, list[float]]:
    """Send (path, body, headers) with `clients` threads; return (seconds, latencies)."""
    latencies: list[float] = []
    lock = threading.Lock()
    failures: list[str] = []

    def worker(share: list[tuple[str, str, dict[str, str]]], address: str) -> None:
        connection = http.client.HTTPConnection(HOST, PORT, timeout=30, source_address=(address, 0))
        mine = []
        for path, body, headers in share:
            started = time.perf_counter()
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            if response.status != expect:
                failures.append(f"{path} -> {response.status}")
        with lock:
            latencies.extend(mine)

    threads = [
        threading.Thread(target=worker, args=(requests[index::clients], f"127.0.0.{index + 2}"))
        for index in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{len(failures)} requests failed, e.g. {failures[:3]}")
    return elapsed, latencies


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/reporting")
    parser.add_argument("--reports", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if "127.0.0.1" not in args.db and "localhost" not in args.db:
        raise SystemExit("This benchmark only runs against a database on localhost.")
    setup_django(args.db)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_bare_insert"
            " (id bigserial PRIMARY KEY, created_at timestamptz DEFAULT now(), body text)"
        )
    ensure_reports()
    with connection.cursor() as cursor:  # earlier runs' sends must not count against this one
        cursor.execute("DELETE FROM reporting_throttleevent WHERE kind = 'submit_address'")
    prepared = prepare_drafts(args.reports + 32)
    connection.close()

    def submit(item: tuple[str, str, str]) -> tuple[str, str, dict[str, str]]:
        draft_cookie, csrf, key = item
        body = f"csrfmiddlewaretoken={csrf}&confirm=on&website=&submission_key={key}"
        return (
            "/report/send/",
            body,
            {
                "Cookie": f"vigil_report={draft_cookie}; csrftoken={csrf}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )

    def read_only(item: tuple[str, str, str]) -> tuple[str, str, dict[str, str]]:
        draft_cookie, _csrf, _key = item
        return ("/bench/draft-read/", "", {"Cookie": f"vigil_report={draft_cookie}"})

    form = {"Content-Type": "application/x-www-form-urlencoded"}
    bare = ("/bench/insert/", "b=hello", form)
    bare_sql = ("/bench/insert-sql/", "b=hello", form)
    # The machine's load drifts; rounds that take turns give each yardstick the same conditions,
    # and the ratio is taken within each round.
    per_round = args.reports // args.rounds
    rounds: list[dict[str, tuple[float, list[float]]]] = []
    server = start_server(args.workers)
    try:
        run_load([submit(item) for item in prepared[:32]], clients=args.clients, expect=302)
        run_load([bare] * 200, clients=args.clients, expect=200)
        for number in range(args.rounds):
            mine = prepared[32 + number * per_round : 32 + (number + 1) * per_round]
            rounds.append(
                {
                    "send report": run_load(
                        [submit(item) for item in mine], clients=args.clients, expect=302
                    ),
                    "bare insert": run_load(
                        [bare] * (per_round * 2), clients=args.clients, expect=200
                    ),
                    "bare insert, SQL": run_load(
                        [bare_sql] * (per_round * 2), clients=args.clients, expect=200
                    ),
                    "read draft only": run_load(
                        [read_only(item) for item in mine] * 2, clients=args.clients, expect=200
                    ),
                }
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    def rate(result: tuple[float, list[float]]) -> float:
        seconds, latencies = result
        return len(latencies) / seconds

    print(f"gunicorn {args.workers} sync workers, {args.clients} clients, PostgreSQL")
    print(f"{'':<22}{'per second':>12}{'p50 ms':>10}{'p95 ms':>10}   rate in each round")
    for label in rounds[0]:
        latencies = [value for one in rounds for value in one[label][1]]
        seconds = sum(one[label][0] for one in rounds)
        each = " / ".join(f"{rate(one[label]):.0f}" for one in rounds)
        p50_ms, p95_ms = statistics.median(latencies) * 1000, p95(latencies) * 1000
        print(
            f"{label:<22}{len(latencies) / seconds:>12.0f}{p50_ms:>10.1f}{p95_ms:>10.1f}   {each}"
        )
    for label in ["bare insert", "bare insert, SQL"]:
        ratios = [rate(one["send report"]) / rate(one[label]) for one in rounds]
        each = " / ".join(f"{ratio:.2f}" for ratio in ratios)
        print(f"ratio send report / {label}: {statistics.median(ratios):.2f} (rounds: {each})")
    # Sending cannot be faster than reading what it sends: the ceiling for the ratio.
    ceiling = [rate(one["read draft only"]) / rate(one["bare insert"]) for one in rounds]
    print(f"ratio read draft only / bare insert: {statistics.median(ceiling):.2f}")


if __name__ == "__main__":
    main()

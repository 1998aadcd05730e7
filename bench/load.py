# ruff: noqa: S603, S310 - our own Python, manage.py and gunicorn; requests go to 127.0.0.1 only
"""A load test of the whole service: public pages, report journeys, tracking and staff case work.

    .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--db postgres://...]

It migrates a PostgreSQL database of its own (created on first use), loads the demo cases,
signs in one supervisor per staff user (a real session with a verified second factor, made
through Django), starts gunicorn with production settings on a free loopback port, then runs
`--users` simulated people for `--seconds` (at most 600). Each person loops: think for about
`--think` seconds, then do one thing, picked at random by the mix below. It prints, per kind of
request, how many were made, the rate, p50/p95/p99 latency and the errors; then, flat out with no
pause, the rate of public pages against a static file (`--capacity-seconds`); then stops gunicorn.

    public   the home page, "Get help", a guidance page (and the stylesheet, as a yardstick)
    report   one whole online report, page by page, each step a GET and a POST (CSRF as a
             browser does it), ending with "Send report"
    track    sign in to "track my report" with a reference and secret code a report gave us,
             then read the report page
    staff    a supervisor's case list, then one case and its timeline

Loopback only, bounded in users and time; no third-party service is contacted. Figures and the
machine they came from: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from base64 import urlsafe_b64encode
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MAX_SECONDS = 600
MIX = {"public": 50, "report": 15, "track": 15, "staff": 20}
PUBLIC_PATHS = ["/", "/get-help/", "/", "/cookies/"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r'data-testid="reference">([^<]+)<')
SECRET = re.compile(r'data-testid="secret">([^<]+)<')
STYLESHEET = re.compile(r'href="(/static/[^"]*vigil[^"]*\.css)"')

# One report, page by page (the same answers as the journey tests).
REPORT_STEPS: list[tuple[str, dict[str, object]]] = [
    ("/report/who/", {"reporter_type": "victim"}),
    ("/report/danger/", {"immediate_danger": "no"}),
    (
        "/report/victim-name/",
        {
            "name": "Alice Example",
            "date_of_birth_0": "3",
            "date_of_birth_1": "4",
            "date_of_birth_2": "1990",
        },
    ),
    ("/report/victim-contact/", {"email": "alice@example.org", "phone": "07700 900123"}),
    (
        "/report/victim-address/",
        {"line_1": "1 High Street", "town": "Exampleton", "postcode": "EX1 1AA"},
    ),
    ("/report/equality/", {}),
    ("/report/contact-channels/", {"channels": ["email", "phone"]}),
    (
        "/report/contact-safety/",
        {
            "safe_times": "weekdays 9 to 3",
            "voicemail_ok": "no",
            "can_say_police": "no",
            "safe_word": "bluebell",
            "others_may_read": "no",
        },
    ),
    (
        "/report/suspects/0/",
        {"relationship": "ex_partner", "names": "Mallory Example", "phones": "07700 900999"},
    ),
    ("/report/suspects/", {"add_another": "no"}),
    ("/report/behaviours/", {"behaviours": ["following", "calls_messages"]}),
    (
        "/report/when/",
        {
            "started_on_0": "1",
            "started_on_1": "6",
            "started_on_2": "2026",
            "most_recent_on_0": "20",
            "most_recent_on_1": "11",
            "most_recent_on_2": "2026",
            "frequency": "daily",
        },
    ),
    (
        "/report/incidents/0/",
        {
            "date_0": "20",
            "date_1": "11",
            "date_2": "2026",
            "time": "18:30",
            "place": "Outside work",
            "what_happened": "He waited by my car and followed me home.",
        },
    ),
    ("/report/incidents/", {"add_another": "no"}),
    ("/report/impact/", {"impact": "I cannot sleep.", "changes_made": "I changed my route."}),
    ("/report/evidence/", {"action": "continue"}),
    ("/report/anything-else/", {"anything_else": ""}),
]

STAFF_SETUP = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from vigil.accounts.models import Role, User
from vigil.cases.models import Case
user = User.objects.filter(role=Role.SUPERVISOR, is_active=True).first()
device = user.totpdevice_set.filter(confirmed=True).first()
sessions = []
for _ in range({count}):
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "vigil.accounts.backends.PasswordBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    sessions.append(store.session_key)
cases = [str(pk) for pk in Case.objects.values_list("pk", flat=True)[:200]]
print(json.dumps({{"sessions": sessions, "cases": cases}}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_database(url: str) -> None:
    """Create the benchmark's own database on first use."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


# Fixed keys, public on purpose: the benchmark's database holds only demo data, and it is kept
# between runs, so set-up and server (and the next run) must read what the last one wrote.
BENCH_KEYS = {
    "VIGIL_SECRET_KEY": "bench-load-secret-key-" + "x" * 40,
    "VIGIL_FIELD_KEYS": "load=" + urlsafe_b64encode(b"bench-load-field-key-32-bytes!!!").decode(),
    "VIGIL_BLIND_INDEX_KEY": "bench-load-blind-index-key-" + "x" * 16,
    "VIGIL_AUDIT_KEY": "bench-load-audit-key-" + "x" * 16,
    "VIGIL_PRIVATE_RECORD_KEY": "bench-load-private-record-key-" + "x" * 16,
}


def environment(var_dir: Path, db: str, production: bool) -> dict[str, str]:
    return {
        **os.environ,
        **BENCH_KEYS,
        "VIGIL_ENV": "production" if production else "development",
        "VIGIL_VAR_DIR": str(var_dir),
        "DATABASE_URL": db,
        "VIGIL_DB_CONN_MAX_AGE": "60",
        "VIGIL_ALLOWED_HOSTS": "127.0.0.1",
        "VIGIL_BASE_URL": "http://127.0.0.1",
        "VIGIL_SSL_REDIRECT": "false",
        "VIGIL_SECURE_COOKIES": "false",  # plain HTTP on loopback: the proxy does TLS
        "VIGIL_LOG_LEVEL": "WARNING",
        # Every simulated person comes from 127.0.0.1: lift the per-address limits.
        "VIGIL_REPORT_SUBMIT_PER_ADDRESS_PER_HOUR": "1000000",
        "VIGIL_REPORT_DRAFTS_PER_ADDRESS_PER_HOUR": "1000000",
        "VIGIL_REPORT_TRACK_FAILURE_LIMIT": "1000000",
        "VIGIL_LOGIN_FAILURE_LIMIT": "1000000",
    }


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors[kind].append(error)


class Person:
    """One simulated browser: its own cookies, following redirects as a browser does."""

    def __init__(self, base: str, results: Results) -> None:
        self.base = base
        self.results = results
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(
        self, kind: str, path: str, data: dict[str, object] | None = None, expect: str = ""
    ) -> str:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        headers = {"Accept-Language": "en-GB"}
        if body is not None:
            headers["Origin"] = self.base  # as a browser sends with a form post
        started = time.perf_counter()
        error = None
        text = ""
        try:
            with self.opener.open(
                urllib.request.Request(self.base + path, data=body, headers=headers), timeout=30
            ) as response:
                text = response.read().decode(errors="replace")
                if expect and expect not in response.geturl():
                    # Sent somewhere else (a sign-in page, the start): a failure a person sees.
                    error = f"ended at {urllib.parse.urlsplit(response.geturl()).path}"
        except urllib.error.HTTPError as failure:
            error = f"{failure.code} {path}"
        except OSError as failure:
            error = f"{type(failure).__name__} {path}"
        self.results.add(kind, time.perf_counter() - started, error)
        if error:
            raise RuntimeError(error)
        return text

    def form(self, kind: str, path: str, data: dict[str, object], expect: str = "") -> str:
        page = self.request(kind, path)
        token = CSRF.search(page)
        return self.request(
            kind, path, {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}, expect
        )


def do_public(person: Person, stylesheet: str) -> None:
    person.request("public page", random.choice(PUBLIC_PATHS))
    person.request("static file", stylesheet)


def do_report(person: Person, credentials: list[tuple[str, str]], lock: threading.Lock) -> None:
    person.form("report step", "/report/", {"action": "start"})
    for path, data in REPORT_STEPS:
        person.form("report step", path, data)
    page = person.request("report step", "/report/send/")
    token = CSRF.search(page)
    key = re.search(r'name="submission_key" value="([^"]+)"', page)
    sent = person.request(
        "report send",
        "/report/send/",
        {
            "confirm": "on",
            "website": "",
            "submission_key": key.group(1) if key else "",
            "csrfmiddlewaretoken": token.group(1) if token else "",
        },
        expect="/report/sent/",
    )
    reference, secret = REFERENCE.search(sent), SECRET.search(sent)
    if reference and secret:
        with lock:
            credentials.append((reference.group(1).strip(), secret.group(1).strip()))


def do_track(person: Person, credentials: list[tuple[str, str]], lock: threading.Lock) -> None:
    with lock:
        if not credentials:
            return
        reference, secret = random.choice(credentials)
    person.form(
        "track", "/report/track/", {"reference": reference, "secret": secret, "website": ""}
    )
    person.request("track", "/report/track/report/")


def do_staff(person: Person, cases: list[str]) -> None:
    person.request("staff case list", "/staff/cases/", expect="/staff/cases/")
    case = random.choice(cases)
    person.request("staff case page", f"/staff/cases/{case}/", expect=f"/staff/cases/{case}/")
    timeline = f"/staff/cases/{case}/timeline/"
    person.request("staff case page", timeline, expect=timeline)


def run(args: argparse.Namespace) -> None:
    seconds = min(args.seconds, MAX_SECONDS)
    ensure_database(args.db)
    with tempfile.TemporaryDirectory(prefix="vigil-load-") as tmp:
        var_dir = Path(tmp)
        setup_env = environment(var_dir, args.db, production=False)
        manage = [PYTHON, str(ROOT / "manage.py")]
        print("Setting up: migrate, demo data, collectstatic, staff sessions...", flush=True)
        server_env = environment(var_dir, args.db, production=True)
        for command, env in (
            (["migrate", "--noinput", "-v0"], setup_env),
            (["load_demo"], setup_env),  # refused in production mode, by design
            (["collectstatic", "--noinput", "-v0"], server_env),  # the manifest production uses
        ):
            subprocess.run(
                [*manage, *command], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
            )
        staff_users = max(1, args.users * MIX["staff"] // 100 + 5)
        setup = subprocess.run(
            [*manage, "shell", "-c", STAFF_SETUP.format(count=staff_users)],
            env=setup_env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        staff = json.loads(setup.stdout.strip().splitlines()[-1])
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "vigil.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--log-level",
                "warning",
            ],
            env=server_env,
            cwd=ROOT,
        )
        try:
            wait_until_up(base, server)
            measure(args, seconds, base, staff)
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it was ready")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start within 60 seconds")


def measure(args: argparse.Namespace, seconds: int, base: str, staff: dict[str, list[str]]) -> None:
    results = Results()
    warm = Person(base, Results())
    home = warm.request("warm", "/")
    found = STYLESHEET.search(home)
    stylesheet = found.group(1) if found else "/static/robots.txt"
    credentials: list[tuple[str, str]] = []
    lock = threading.Lock()
    for _ in range(3):  # warm up, and give "track" people reports to follow
        do_report(Person(base, Results()), credentials, lock)
    sessions = list(staff["sessions"])
    stop_at = time.monotonic() + seconds
    kinds = list(MIX)
    weights = [MIX[k] for k in kinds]

    def person_loop(number: int) -> None:
        rng = random.Random(number)
        person = Person(base, results)
        staff_person = Person(base, results)
        session = sessions[number % len(sessions)]
        staff_person.cookies.set_cookie(
            http.cookiejar.Cookie(
                0, "vigil_session", session, None, False, "127.0.0.1", False, False, "/",
                True, False, None, False, None, None, {},
            )
        )  # fmt: skip
        time.sleep(rng.uniform(0, args.think))  # people do not all arrive at once
        while time.monotonic() < stop_at:
            kind = rng.choices(kinds, weights)[0]
            try:
                if kind == "public":
                    do_public(person, stylesheet)
                elif kind == "report":
                    do_report(Person(base, results), credentials, lock)
                elif kind == "track":
                    do_track(Person(base, results), credentials, lock)
                else:
                    do_staff(staff_person, staff["cases"])
            except RuntimeError:
                pass  # counted already; the person carries on
            time.sleep(rng.expovariate(1 / args.think) if args.think else 0)

    print(
        f"{args.users} people for {seconds} s (think ~{args.think} s), gunicorn "
        f"{args.workers} workers x {args.threads} threads, PostgreSQL; mix {MIX}",
        flush=True,
    )
    started = time.perf_counter()
    threads = [threading.Thread(target=person_loop, args=(n,)) for n in range(args.users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report(results, time.perf_counter() - started)
    if args.capacity_seconds:
        capacity(base, stylesheet, args.capacity_seconds, args.capacity_clients)


def capacity(base: str, stylesheet: str, seconds: int, clients: int) -> None:
    """How many public pages the service gives per second, flat out, against a static file.

    In the mixed run each public action fetches a page and then the stylesheet, so their rates
    are equal by design; this phase asks what each can reach. `clients` threads request one kind
    with no pause for a round, then the other; rounds alternate so the machine's drifting load
    falls on both, and the ratio is taken within each pair of rounds (the median is printed).
    """
    rounds = 6
    per_round = max(1.0, seconds / rounds)
    rates: dict[str, list[float]] = {"public page": [], "static file": []}

    def flat_out(kind: str, paths: list[str]) -> float:
        done = [0]
        failed = [0]
        counter = threading.Lock()
        stop_at = time.monotonic() + per_round

        def client(number: int) -> None:
            person = Person(base, Results())
            rng = random.Random(number)
            while time.monotonic() < stop_at:
                try:
                    person.request(kind, rng.choice(paths))
                except RuntimeError:
                    with counter:
                        failed[0] += 1
                    continue
                with counter:
                    done[0] += 1

        started = time.perf_counter()
        workers = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        if failed[0]:
            print(f"  {kind}: {failed[0]} failed requests in a capacity round")
        return done[0] / (time.perf_counter() - started)

    for number in range(rounds):
        kinds = ["public page", "static file"]
        for kind in kinds if number % 2 == 0 else kinds[::-1]:
            paths = PUBLIC_PATHS if kind == "public page" else [stylesheet]
            rates[kind].append(flat_out(kind, paths))
    pairs = zip(rates["public page"], rates["static file"], strict=True)
    ratios = [page / static for page, static in pairs]
    print(
        f"\nFlat out, {clients} clients, {rounds} rounds of {per_round:.0f} s each kind: "
        f"public page {statistics.median(rates['public page']):.0f}/s, "
        f"static file {statistics.median(rates['static file']):.0f}/s, "
        f"ratio {statistics.median(ratios):.2f} (rounds {min(ratios):.2f} to {max(ratios):.2f})"
    )


def report(results: Results, elapsed: float) -> None:
    print(
        f"\n{'kind':<18} {'count':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} errors"
    )
    total_errors = 0
    for kind in sorted(results.latencies):
        values = sorted(results.latencies[kind])
        cuts = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        errors = len(results.errors[kind])
        total_errors += errors
        print(
            f"{kind:<18} {len(values):7d} {len(values) / elapsed:7.1f} {cuts[49] * 1000:8.0f} "
            f"{cuts[94] * 1000:8.0f} {cuts[98] * 1000:8.0f} {errors:6d}"
        )
    total = sum(len(v) for v in results.latencies.values())
    print(f"\n{total} requests in {elapsed:.0f} s: {total / elapsed:.1f}/s, {total_errors} errors")
    for kind, errors in sorted(results.errors.items()):
        if errors:
            print(f"  {kind}: first errors {sorted(set(errors))[:5]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="simulated people (at most 200)")
    parser.add_argument("--seconds", type=int, default=60, help=f"run time, at most {MAX_SECONDS}")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between actions")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument(
        "--capacity-seconds",
        type=int,
        default=60,
        help="after the mixed run, public pages and a static file flat out (0: skip)",
    )
    parser.add_argument("--capacity-clients", type=int, default=8, help="threads for that phase")
    parser.add_argument(
        "--db",
        default="postgres://postgres@127.0.0.1:5432/vigil_load",
        help="PostgreSQL database of the benchmark's own (created if missing)",
    )
    args = parser.parse_args()
    args.users = max(1, min(args.users, 200))
    run(args)


if __name__ == "__main__":
    main()

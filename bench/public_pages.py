# ruff: noqa: S603 - the commands are our own Python and manage.py, not user input
"""How fast gunicorn serves the public home and help pages, beside a static file.

Starts gunicorn itself (production settings, 2 sync workers, a throwaway SQLite database and
collected static files in a temporary directory) on a free localhost port, sends a bounded
number of requests to each URL from a few client threads, prints requests/s and p95 latency,
and stops the server. The figure that matters is the ratio of a page to the static file: it
shows what Django's rendering costs on this machine, whatever the machine.

    .venv/bin/python bench/public_pages.py [--requests 400] [--clients 4]
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from base64 import urlsafe_b64encode
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "VIGIL_ENV": "production",
        "VIGIL_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'bench.sqlite3'}",
        "VIGIL_SECRET_KEY": secrets.token_urlsafe(50),
        "VIGIL_FIELD_KEYS": "bench=" + urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "VIGIL_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "VIGIL_AUDIT_KEY": secrets.token_urlsafe(32),
        "VIGIL_PRIVATE_RECORD_KEY": secrets.token_urlsafe(32),
        "VIGIL_ALLOWED_HOSTS": "127.0.0.1",
        "VIGIL_SSL_REDIRECT": "false",
        "VIGIL_LOG_LEVEL": "WARNING",
    }


def static_path(port: int) -> str:
    """The fingerprinted URL of the stylesheet, as the home page links it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/")
    html = conn.getresponse().read().decode()
    start = html.index('href="/static/') + len('href="')
    candidates = [
        part.split('"')[0] for part in html[start - 6 :].split('href="') if "vigil." in part
    ]
    return next(c for c in candidates if c.endswith(".css"))


def wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before it was ready")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start within 30 seconds")


def measure(port: int, path: str, total: int, clients: int) -> tuple[float, float, int]:
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = total // clients
    errors = 0

    def client() -> None:
        nonlocal errors
        mine: list[float] = []
        for _ in range(per_client):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            started = time.perf_counter()
            conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            conn.close()
            if response.status != 200:
                with lock:
                    errors += 1
        with lock:
            latencies.extend(mine)

    for _ in range(20):  # warm up: templates compiled, connections opened
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path)
        conn.getresponse().read()
        conn.close()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
    return len(latencies) / elapsed, p95, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per URL")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="vigil-bench-") as tmp:
        env = environment(Path(tmp))
        manage = [PYTHON, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
        )
        port = free_port()
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
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            wait_until_up(port, server)
            urls = {"home /": "/", "get help /get-help/": "/get-help/"}
            urls["static " + static_path(port)] = static_path(port)
            print(
                f"gunicorn, {args.workers} sync workers; {args.requests} requests per URL "
                f"from {args.clients} clients (new connection each)"
            )
            print(f"{'URL':<58} {'req/s':>8} {'p95 ms':>8}")
            results = {}
            for label, path in urls.items():
                rps, p95, errors = measure(port, path, args.requests, args.clients)
                results[label] = rps
                note = f"  ({errors} errors)" if errors else ""
                print(f"{label:<58} {rps:8.0f} {p95:8.1f}{note}")
            static_rps = next(v for k, v in results.items() if k.startswith("static"))
            for label, rps in results.items():
                if not label.startswith("static"):
                    print(f"{label}: {rps / static_rps:.0%} of the static file's rate")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()

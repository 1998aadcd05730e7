"""How fast can the audit log take writes, and how fast can it be verified?

Every audited change takes the chain head's row lock, so audit writes are serialised across the
whole service. This prints single-writer and concurrent-writer rates and verify speed, on the
database in DATABASE_URL (default: a throwaway SQLite file).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/audit_chain.py
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings")
os.environ.setdefault("VIGIL_ENV", "test")
os.environ.setdefault("VIGIL_VAR_DIR", str(VAR))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

WRITES = int(os.environ.get("BENCH_WRITES", "2000"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))


def main() -> None:
    from vigil.audit.models import AuditEvent
    from vigil.audit.services import audit_record, audit_verify

    if connection.vendor == "sqlite":
        # A real file with WAL, as deployed; the in-memory test database locks whole tables.
        connection.settings_dict["TEST"]["NAME"] = str(VAR / "audit-bench.sqlite3")
    config = setup_databases(verbosity=0, interactive=False)
    try:
        call_command("migrate", verbosity=0)
        latencies: list[float] = []
        start = time.perf_counter()
        for n in range(WRITES):
            t0 = time.perf_counter()
            audit_record(action="bench.write", summary={"n": n})
            latencies.append(time.perf_counter() - t0)
        single = WRITES / (time.perf_counter() - start)
        p95 = statistics.quantiles(latencies, n=20)[18] * 1000

        per_thread = WRITES // THREADS

        def writer() -> None:
            for n in range(per_thread):
                audit_record(action="bench.concurrent", summary={"n": n})
            connections.close_all()

        threads = [threading.Thread(target=writer) for _ in range(THREADS)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        concurrent = per_thread * THREADS / (time.perf_counter() - start)

        total = AuditEvent.objects.count()
        start = time.perf_counter()
        result = audit_verify()
        verify_rate = total / (time.perf_counter() - start)
        assert result.ok, result

        print(f"database: {connection.vendor}")
        print(f"single writer: {single:,.0f} audit rows/s, p95 {p95:.2f} ms")
        print(f"{THREADS} concurrent writers: {concurrent:,.0f} audit rows/s in total")
        print(f"verify: {verify_rate:,.0f} rows/s ({total:,} rows, chain intact)")
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()

"""How much memory does storing and reading back a big upload take, and how fast is it?

Stores a generated upload (spooled to a temporary file, as Django does past 2.5 MB) with
vigil.common.stored_files.store_encrypted, then reads it back chunk by chunk, and prints the
peak Python memory of each (tracemalloc) and the rate. No database is used.

    .venv/bin/python bench/stored_files.py [megabytes, default 50]
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings")
os.environ.setdefault("VIGIL_ENV", "test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import TemporaryUploadedFile  # noqa: E402

from vigil.common.stored_files import store_encrypted, stored_chunks  # noqa: E402


def main() -> None:
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    with tempfile.TemporaryDirectory() as media:
        settings.MEDIA_ROOT = Path(media)
        upload = TemporaryUploadedFile("video.mp4", "video/mp4", megabytes << 20, None)
        block = os.urandom(1 << 20)
        for _ in range(megabytes):
            upload.write(block)
        upload.flush()
        upload.seek(0)

        tracemalloc.start()
        started = time.perf_counter()
        stored = store_encrypted(upload)
        store_seconds = time.perf_counter() - started
        _now, store_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        started = time.perf_counter()
        digest = hashlib.sha256()
        for chunk in stored_chunks(stored_path=stored.stored_path):
            digest.update(chunk)
        read_seconds = time.perf_counter() - started
        _now, read_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        upload.close()
        assert digest.hexdigest() == stored.sha256
        print(f"{megabytes} MB upload, load average {os.getloadavg()[0]:.1f}")
        print(f"  store: peak {store_peak / 2**20:.1f} MB, {megabytes / store_seconds:.0f} MB/s")
        print(f"  read:  peak {read_peak / 2**20:.1f} MB, {megabytes / read_seconds:.0f} MB/s")


if __name__ == "__main__":
    main()

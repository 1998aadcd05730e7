"""Stored files are sealed in chunks as they are read and opened chunk by chunk (issue 14): a
changed, moved or cut-off chunk is refused, a big upload is never held whole in memory, and
files written in the older single-token format still read."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile

from vigil.common.crypto import DecryptionError, encrypt_bytes
from vigil.common.sealed_stream import CHUNK_BYTES, MAGIC, TAG_BYTES, open_sealed, seal_to
from vigil.common.stored_files import store_encrypted, stored_chunks, stored_read


def _header_bytes(blob: bytes) -> int:
    return len(MAGIC) + 1 + blob[len(MAGIC)] + 16  # magic, key id's length, key id, salt


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def _sealed(original: bytes) -> bytes:
    out = io.BytesIO()
    seal_to(out, [original])
    return out.getvalue()


def _open(blob: bytes) -> bytes:
    return b"".join(open_sealed(io.BytesIO(blob)))


def test_a_file_of_several_chunks_reads_back_byte_for_byte() -> None:
    original = os.urandom(3 * CHUNK_BYTES + 123)
    blob = _sealed(original)
    assert original[:64] not in blob
    assert _open(blob) == original


@pytest.mark.parametrize("size", [1, CHUNK_BYTES, 2 * CHUNK_BYTES])
def test_a_file_ending_on_a_chunk_boundary_reads_back(size: int) -> None:
    original = os.urandom(size)
    assert _open(_sealed(original)) == original


def test_a_changed_byte_in_a_chunk_is_refused() -> None:
    blob = bytearray(_sealed(os.urandom(2 * CHUNK_BYTES + 10)))
    blob[_header_bytes(blob) + CHUNK_BYTES + TAG_BYTES + 5] ^= 0x01  # inside the second chunk
    with pytest.raises(DecryptionError):
        _open(bytes(blob))


def test_a_file_cut_off_after_a_whole_chunk_is_refused() -> None:
    blob = _sealed(os.urandom(2 * CHUNK_BYTES + 10))
    # Only the first chunk left: it was sealed as "not the last", so the cut is seen.
    with pytest.raises(DecryptionError):
        _open(blob[: _header_bytes(blob) + CHUNK_BYTES + TAG_BYTES])


def test_a_file_cut_off_inside_a_chunk_is_refused() -> None:
    blob = _sealed(os.urandom(2 * CHUNK_BYTES + 10))
    with pytest.raises(DecryptionError):
        _open(blob[:-7])


def test_chunks_swapped_are_refused() -> None:
    blob = _sealed(os.urandom(3 * CHUNK_BYTES))
    block = CHUNK_BYTES + TAG_BYTES
    header, body = blob[: _header_bytes(blob)], blob[_header_bytes(blob) :]
    first, second, rest = body[:block], body[block : 2 * block], body[2 * block :]
    with pytest.raises(DecryptionError):
        _open(header + second + first + rest)


def test_no_bad_chunk_is_handed_out_before_the_refusal() -> None:
    original = os.urandom(2 * CHUNK_BYTES + 10)
    blob = bytearray(_sealed(original))
    blob[-3] ^= 0x01  # in the last chunk
    chunks = open_sealed(io.BytesIO(bytes(blob)))
    assert next(chunks) == original[:CHUNK_BYTES]
    assert next(chunks) == original[CHUNK_BYTES : 2 * CHUNK_BYTES]
    with pytest.raises(DecryptionError):
        next(chunks)


def test_a_file_in_the_older_format_still_reads(media: Path) -> None:
    original = os.urandom(5000)
    old = media / "evidence" / "2026" / "01" / "old.enc"
    old.parent.mkdir(parents=True)
    old.write_bytes(encrypt_bytes(original))
    assert stored_read(stored_path="evidence/2026/01/old.enc") == original


def test_a_50_mb_upload_is_stored_without_being_read_whole(media: Path, tmp_path: Path) -> None:
    size = 50 * 1024 * 1024
    # Django spools an upload this big to a temporary file; so does this test.
    upload = TemporaryUploadedFile("video.mp4", "video/mp4", size, None)
    digest = hashlib.sha256()
    block = os.urandom(1024 * 1024)
    for _ in range(50):
        upload.write(block)
        digest.update(block)
    upload.flush()
    upload.seek(0)

    tracemalloc.start()
    try:
        stored = store_encrypted(upload)
        _current, peak_storing = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        read_digest = hashlib.sha256()
        for chunk in stored_chunks(stored_path=stored.stored_path):
            read_digest.update(chunk)
        _current, peak_reading = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        upload.close()

    assert stored.size == size
    assert stored.sha256 == digest.hexdigest()
    assert read_digest.hexdigest() == digest.hexdigest()
    # A few chunks in memory at a time, never the file: far below its 50 MB.
    assert peak_storing < 2 * 1024 * 1024
    assert peak_reading < 2 * 1024 * 1024

"""What a backup holds and how its manifest is signed and checked.

A backup is a directory (easy to copy off the machine with rsync or an object-store client):

    manifest.json           what is in it, with a SHA-256 per file, signed (HMAC, audit key)
    db/<app>.<model>.jsonl  every row of every table, one JSON object a line, values as stored
    files/<path>            the stored files under MEDIA_ROOT, byte for byte (already encrypted)

Rows and files keep their ciphertext: a backup is no easier to read than the database, and is
useless without the field keys, which are never written into it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

from vigil.common.sealed_stream import blob_key_id

FORMAT = 1
MANIFEST = "manifest.json"
DB_DIR = "db"
FILES_DIR = "files"
CHUNK = 1024 * 1024

# Signed-in sessions are not carried over: after a restore everyone signs in again, so a
# session stolen before the incident cannot outlive it.
EXCLUDED_MODELS = frozenset({"sessions.session"})

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why in plain words."""


def backed_up_models() -> list[type[models.Model]]:
    """Every table Django manages, including many-to-many link tables, in registry order."""
    chosen = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in EXCLUDED_MODELS:
            continue
        chosen.append(model)
    return chosen


def flushed_models() -> list[type[models.Model]]:
    """Tables a restore empties first: the backed-up ones and those left out (sessions)."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed
    ]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _canonical(document: dict[str, Any]) -> bytes:
    body = {key: value for key, value in document.items() if key != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def sign(document: dict[str, Any]) -> str:
    """Keyed with the audit key, so whoever can change the backup files cannot also make their
    hashes in the manifest agree without that key (kept away from database administrators)."""
    return hmac.new(
        settings.AUDIT_HMAC_KEY.encode(), _canonical(document), hashlib.sha256
    ).hexdigest()


def write_manifest(root: Path, document: dict[str, Any]) -> None:
    document = {**document, "signature": sign(document)}
    (root / MANIFEST).write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")


def read_manifest(root: Path) -> dict[str, Any]:
    path = root / MANIFEST
    if not path.is_file():
        raise BackupError(f"{root} is not a backup: it has no {MANIFEST}.")
    try:
        document = json.loads(path.read_text())
    except ValueError:
        raise BackupError(f"{path} is not readable JSON.") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup this version can restore (format {FORMAT}).")
    if not hmac.compare_digest(str(document.get("signature", "")), sign(document)):
        raise BackupError(
            "The manifest's signature does not match: the backup was changed, or it was made "
            "with another VIGIL_AUDIT_KEY."
        )
    return document


def stored_files(media_root: Path) -> Iterator[Path]:
    """Files under MEDIA_ROOT, in a stable order; `.part` files are uploads still being written
    (they are renamed into place when complete), so they are not part of any record yet."""
    if not media_root.is_dir():
        return
    for path in sorted(media_root.rglob("*")):
        if path.is_file() and path.suffix != ".part":
            yield path


def stored_key_id(blob_start: bytes) -> str:
    """The key id of a stored file from its first bytes, in either format, or '' if none."""
    return blob_key_id(blob_start)

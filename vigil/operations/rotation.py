"""Key rotation while the service runs: re-encrypt every encrypted field and stored file under
the first key of VIGIL_FIELD_KEYS, then rebuild blind indexes if their key changed.

Safe to run beside the web servers and workers, and to stop and start again:
- the service already writes new values with the first key and reads all listed keys;
- rows go in small batches, each its own short transaction, and a row is only rewritten if it
  still holds the very ciphertext that was read (a compare-and-set), so a change made by the
  service meanwhile is never overwritten;
- a value already under the current key is left alone, so a second run does nothing more.
Models and files are found generically (app registry, MEDIA_ROOT): no feature app is named.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command, get_commands
from django.db import DEFAULT_DB_ALIAS, models, transaction

from vigil.audit.services import audit_record
from vigil.common.crypto import (
    decrypt_text,
    encrypt_text,
    field_keys,
    key_id_of,
)
from vigil.common.fields import encrypted_fields, stored_values
from vigil.common.models import StoredFile
from vigil.common.sealed_stream import is_sealed
from vigil.common.stored_files import stored_reseal
from vigil.operations.archive import Progress, stored_files, stored_key_id
from vigil.operations.models import KeyState

BATCH = 500
BLIND_INDEX_STATE = "blind_index"
REINDEX_SUFFIX = "_reindex"


def _quiet(message: str) -> None:
    return None


@dataclass
class RotationResult:
    rows_rewritten: int = 0
    rows_skipped_changed: int = 0
    files_rewritten: int = 0
    reindexed: list[str] = field(default_factory=list)


def current_key_id() -> str:
    return field_keys()[0][0]


def encrypted_models() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted columns, and the attnames of those columns."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = [f.attname for f in encrypted_fields(model)]
        if columns:
            found.append((model, columns))
    return found


def key_usage(*, using: str = DEFAULT_DB_ALIAS) -> Counter[str]:
    """How many stored values (fields and files) each key id encrypts: the runbook's check that
    an old key can be removed (its count is 0)."""
    usage: Counter[str] = Counter()
    with stored_values():
        for model, columns in encrypted_models():
            rows = model._base_manager.using(using).values_list(*columns)
            for values in rows.iterator(chunk_size=2000):
                usage.update(key_id_of(str(v)) for v in values if v)
    for path in stored_files(Path(settings.MEDIA_ROOT)):
        with path.open("rb") as handle:
            key_id = stored_key_id(handle.read(300))
        if key_id:
            usage[f"{key_id} (files)"] += 1
    return usage


def _rotate_model(
    model: type[models.Model], columns: list[str], current: str, using: str, result: RotationResult
) -> int:
    manager = model._base_manager.using(using)
    rewritten = 0
    last_pk: Any = None
    while True:
        with stored_values():
            page = manager.order_by("pk")
            if last_pk is not None:
                page = page.filter(pk__gt=last_pk)
            rows = list(page.values_list("pk", *columns)[:BATCH])
        if not rows:
            return rewritten
        last_pk = rows[-1][0]
        with transaction.atomic(using=using), stored_values():
            for pk, *values in rows:
                old = {c: v for c, v in zip(columns, values, strict=True) if v}
                stale = {c: v for c, v in old.items() if key_id_of(str(v)) != current}
                if not stale:
                    continue
                new = {c: encrypt_text(decrypt_text(str(v))) for c, v in stale.items()}
                # Compare-and-set: only if the row still holds what was read.
                if manager.filter(pk=pk, **stale).update(**new):
                    rewritten += 1
                else:
                    result.rows_skipped_changed += 1


def _rotate_files(current: str, progress: Progress) -> int:
    """Every stored file not yet sealed in chunks under the current key is resealed, streaming
    (vigil.common.stored_files.stored_reseal); one already so is left alone, so a stopped run
    starts again where it was."""
    rewritten = 0
    media_root = Path(settings.MEDIA_ROOT)
    for path in stored_files(media_root):
        try:
            with path.open("rb") as handle:
                head = handle.read(300)
        except FileNotFoundError:  # deleted meanwhile (a purged draft)
            continue
        key_id = stored_key_id(head)
        if not key_id or (is_sealed(head) and key_id == current):
            continue
        if not stored_reseal(path):
            continue
        StoredFile.objects.filter(storage_name=path.relative_to(media_root).as_posix()).update(
            key_id=current
        )
        rewritten += 1
        if rewritten % 500 == 0:
            progress(f"files: {rewritten} re-encrypted")
    return rewritten


def blind_index_fingerprint() -> str:
    return hmac.new(
        settings.BLIND_INDEX_KEY.encode(), b"vigil.operations.key-fingerprint", hashlib.sha256
    ).hexdigest()


def reindex_commands() -> list[str]:
    """Each app that keeps blind indexes provides `manage.py <app>_reindex`, which re-hashes
    them with the current key and is safe to run twice; they are found by name."""
    return sorted(name for name in get_commands() if name.endswith(REINDEX_SUFFIX))


def _rebuild_blind_indexes(force: bool, progress: Progress, result: RotationResult) -> None:
    fingerprint = blind_index_fingerprint()
    state = KeyState.objects.filter(name=BLIND_INDEX_STATE).first()
    if state is not None and state.fingerprint == fingerprint and not force:
        progress("blind indexes: key unchanged, nothing to rebuild")
        return
    for name in reindex_commands():
        progress(f"blind indexes: running {name}")
        output = StringIO()
        call_command(name, stdout=output)
        progress(f"blind indexes: {output.getvalue().strip()}")
        result.reindexed.append(name)
    KeyState.objects.update_or_create(name=BLIND_INDEX_STATE, defaults={"fingerprint": fingerprint})


def keys_rotate(
    *, progress: Progress = _quiet, reindex: bool = False, using: str = DEFAULT_DB_ALIAS
) -> RotationResult:
    """Re-encrypt everything under the first field key, then rebuild blind indexes if needed."""
    current = current_key_id()
    result = RotationResult()
    for model, columns in encrypted_models():
        rewritten = _rotate_model(model, columns, current, using, result)
        result.rows_rewritten += rewritten
        progress(f"{model._meta.label_lower}: {rewritten} rows re-encrypted")
    result.files_rewritten = _rotate_files(current, progress)
    progress(f"files: {result.files_rewritten} re-encrypted")
    _rebuild_blind_indexes(reindex, progress, result)
    audit_record(
        action="operations.rotate_keys",
        summary={
            "key_id": current,
            "rows": result.rows_rewritten,
            "files": result.files_rewritten,
            "reindexed": result.reindexed,
        },
    )
    return result

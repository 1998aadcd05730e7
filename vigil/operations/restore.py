"""`backup_restore`: put a backup back, and say "restored" only once it is proved whole.

Order matters for "nothing lost, nothing half-written":
1. every file's hash is checked against the signed manifest before anything is touched;
2. the schema (applied migrations) and the field keys must match, or nothing is touched;
3. stored files are copied into MEDIA_ROOT (each written aside and renamed into place);
4. in ONE transaction the tables are emptied and loaded, the row counts compared, and the
   audit chain walked (vigil.audit's audit_verify) and compared with the head in the manifest.
   Any failure rolls the whole database back to what it was before.
"""

from __future__ import annotations

import hmac
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

from vigil.audit.models import AuditChainHead, AuditEvent
from vigil.audit.services import audit_record, audit_verify
from vigil.common.crypto import field_keys
from vigil.common.fields import stored_values
from vigil.operations.archive import (
    FILES_DIR,
    BackupError,
    Progress,
    backed_up_models,
    flushed_models,
    read_manifest,
    sha256_file,
)
from vigil.operations.backup import applied_migrations

BATCH = 500


@dataclass(frozen=True)
class RestoreResult:
    rows: int
    files: int
    audit_events: int


def _quiet(message: str) -> None:
    return None


def backup_check(*, source: Path, progress: Progress = _quiet) -> dict[str, Any]:
    """Check the manifest's signature and every file's hash; return the manifest."""
    manifest = read_manifest(source)
    entries = [(entry["file"], entry["sha256"]) for entry in manifest["tables"].values()]
    entries += [
        (f"{FILES_DIR}/{name}", entry["sha256"]) for name, entry in manifest["files"].items()
    ]
    for number, (relative, expected) in enumerate(entries, start=1):
        path = source / relative
        if not path.is_file():
            raise BackupError(f"The backup is incomplete: {relative} is missing.")
        if not hmac.compare_digest(sha256_file(path), expected):
            raise BackupError(f"The backup is damaged: {relative} does not match its hash.")
        if number % 500 == 0:
            progress(f"checked {number} of {len(entries)} files")
    progress(f"checked {len(entries)} files: every hash matches")
    return manifest


def _check_compatible(manifest: dict[str, Any], using: str) -> None:
    if manifest["migrations"] != applied_migrations(using):
        raise BackupError(
            "The database's schema is not the backup's: run `manage.py migrate` with the "
            "version of Vigil that made the backup, then restore."
        )
    configured = {key_id for key_id, _fernet in field_keys()}
    missing = sorted(set(manifest["field_key_ids"]) - configured)
    if missing:
        raise BackupError(
            "The backup holds values encrypted with field keys that are not configured: "
            f"{', '.join(missing)}. Add them to VIGIL_FIELD_KEYS first."
        )
    expected = set(manifest["tables"])
    present = {model._meta.label_lower for model in backed_up_models()}
    if expected != present:
        raise BackupError("The backup's tables are not this version's tables.")


def _copy_files_in(source: Path, manifest: dict[str, Any], progress: Progress) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    for number, name in enumerate(manifest["files"], start=1):
        target = media_root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".restoring")
        shutil.copyfile(source / FILES_DIR / name, temporary)
        os.replace(temporary, target)
        if number % 500 == 0:
            progress(f"files: {number} restored")
    progress(f"files: {len(manifest['files'])} restored")


def _objects(path: Path) -> Iterator[models.Model]:
    with path.open(encoding="utf-8") as stream:
        for deserialized in serializers.deserialize("jsonl", stream):
            yield deserialized.object


def _load_table(model: type[models.Model], path: Path, using: str) -> int:
    fields = list(model._meta.local_concrete_fields)
    connection = connections[using]
    batch: list[models.Model] = []
    loaded = 0
    for obj in _objects(path):
        batch.append(obj)
        if len(batch) >= BATCH:
            loaded += _insert(model, batch, fields, connection.alias)
            batch = []
    if batch:
        loaded += _insert(model, batch, fields, connection.alias)
    return loaded


def _insert(
    model: type[models.Model], batch: list[models.Model], fields: list[Any], using: str
) -> int:
    # raw=True: rows go in exactly as they were (timestamps not renewed, no defaults applied),
    # the way loaddata saves, but a batch per statement instead of a row.
    size = connections[using].ops.bulk_batch_size(fields, batch) or len(batch)
    for start in range(0, len(batch), size):
        model._base_manager.using(using)._insert(  # type: ignore[attr-defined]
            batch[start : start + size], fields=fields, raw=True, using=using
        )
    return len(batch)


def _empty_tables(using: str) -> None:
    connection = connections[using]
    tables = [model._meta.db_table for model in flushed_models()]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _reset_sequences(using: str) -> None:
    connection = connections[using]
    # Many-to-many link tables have sequences too: include the auto-created models.
    statements = connection.ops.sequence_reset_sql(no_style(), backed_up_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _verify_audit(manifest: dict[str, Any], using: str) -> int:
    result = audit_verify(AuditEvent.objects.using(using).order_by("id").iterator(chunk_size=2000))
    if not result.ok:
        where = f"at event #{result.broken_at}" if result.broken_at else "at the end"
        raise BackupError(f"The restored audit chain is broken {where}: {result.reason}.")
    expected = manifest["audit"]
    head = AuditChainHead.objects.using(using).filter(id=1).first()
    last_hash = head.last_hash if head else ""
    if result.checked != expected["events"] or last_hash != expected["last_hash"]:
        raise BackupError("The restored audit chain does not end where the backup's ended.")
    return result.checked


def backup_restore(
    *,
    source: Path,
    replace: bool = False,
    progress: Progress = _quiet,
    using: str = DEFAULT_DB_ALIAS,
) -> RestoreResult:
    """Restore `source` into the (migrated) database and MEDIA_ROOT; see the module docstring.

    A database that already has an audit log is a live one: it is replaced only when asked.
    """
    manifest = backup_check(source=source, progress=progress)
    _check_compatible(manifest, using)
    if not replace and AuditEvent.objects.using(using).exists():
        raise BackupError(
            "This database is in use (it has audit events). Restoring replaces everything in "
            "it: run again with --replace if that is what you want."
        )
    _copy_files_in(source, manifest, progress)
    rows = 0
    with transaction.atomic(using=using, durable=True), stored_values():
        _empty_tables(using)
        for model in backed_up_models():
            label = model._meta.label_lower
            entry = manifest["tables"][label]
            loaded = _load_table(model, source / entry["file"], using)
            if loaded != entry["rows"]:
                raise BackupError(
                    f"{label}: {loaded} rows loaded, the backup says {entry['rows']}."
                )
            rows += loaded
            progress(f"{label}: {loaded} rows")
        _reset_sequences(using)
        events = _verify_audit(manifest, using)
        progress(
            f"audit chain verified: {events} events, ending {manifest['audit']['last_hash'][:12]}"
        )
    audit_record(
        action="operations.restore",
        summary={
            "backup_created_at": manifest["created_at"],
            "rows": rows,
            "files": len(manifest["files"]),
        },
    )
    return RestoreResult(rows=rows, files=len(manifest["files"]), audit_events=events)

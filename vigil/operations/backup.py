"""`backup_create`: a consistent copy of the database and the stored files, with a manifest.

Rows are written with Django's serializers (JSON lines), not with pg_dump: one format and one
code path for SQLite and PostgreSQL, tested on both, restorable into either (see
docs/decisions.md). Encrypted fields are read as stored (vigil.common.fields.stored_values),
so no personal data is ever decrypted on the way.
"""

from __future__ import annotations

import datetime
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from vigil.audit.models import AuditChainHead, AuditEvent
from vigil.audit.services import audit_record
from vigil.common.crypto import key_id_of
from vigil.common.fields import encrypted_fields, stored_values
from vigil.operations.archive import (
    DB_DIR,
    FILES_DIR,
    FORMAT,
    BackupError,
    Progress,
    backed_up_models,
    sha256_file,
    stored_files,
    stored_key_id,
    write_manifest,
)


def _quiet(message: str) -> None:
    return None


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps every microsecond (the
    audit chain's hashes cover `created_at` as it was stored)."""

    def default(self, o: object) -> object:
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[list[str]]:
    """The migrations applied, as [app, name] pairs: a restore needs the same schema."""
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _serialized_fields(model: type[models.Model]) -> list[str]:
    # Only the table's own columns: many-to-many links are their own (auto-created) models.
    names: list[str] = []
    for field in model._meta.local_concrete_fields:
        names.extend({field.name, field.attname})
    return names


def _rows(
    model: type[models.Model],
    key_ids: set[str],
    counter: list[int],
    using: str,
    progress: Progress,
) -> Iterator[models.Model]:
    encrypted = [field.attname for field in encrypted_fields(model)]
    queryset = model._base_manager.using(using).order_by("pk")
    for obj in queryset.iterator(chunk_size=2000):
        for attname in encrypted:
            value = getattr(obj, attname)
            if value:
                key_ids.add(key_id_of(str(value)))
        counter[0] += 1
        if counter[0] % 100_000 == 0:
            progress(f"{model._meta.label_lower}: {counter[0]} rows so far")
        yield obj


def _dump_database(root: Path, progress: Progress, using: str) -> dict[str, Any]:
    serializer_class = serializers.get_serializer("jsonl")
    tables: dict[str, Any] = {}
    key_ids: set[str] = set()
    (root / DB_DIR).mkdir()
    connection = connections[using]
    # One snapshot for every table: without it the audit head could be read after events
    # written meanwhile, and the restored chain would not verify.
    with transaction.atomic(using=using), stored_values():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        for model in backed_up_models():
            label = model._meta.label_lower
            relative = f"{DB_DIR}/{label}.jsonl"
            counter = [0]
            with (root / relative).open("w", encoding="utf-8") as stream:
                serializer_class().serialize(
                    _rows(model, key_ids, counter, using, progress),
                    stream=stream,
                    fields=_serialized_fields(model),
                    cls=_ExactEncoder,
                )
            tables[label] = {
                "file": relative,
                "rows": counter[0],
                "sha256": sha256_file(root / relative),
            }
            progress(f"{label}: {counter[0]} rows")
        head = AuditChainHead.objects.using(using).filter(id=1).first()
        audit = {
            "events": AuditEvent.objects.using(using).count(),
            "last_id": head.last_id if head else 0,
            "last_hash": head.last_hash if head else "",
        }
        migrations = applied_migrations(using)
    return {
        "tables": tables,
        "audit": audit,
        "migrations": migrations,
        "field_key_ids": sorted(key_ids),
    }


def _copy_files(root: Path, progress: Progress) -> tuple[dict[str, Any], set[str]]:
    media_root = Path(settings.MEDIA_ROOT)
    files: dict[str, Any] = {}
    key_ids: set[str] = set()
    for number, path in enumerate(stored_files(media_root), start=1):
        relative = path.relative_to(media_root).as_posix()
        target = root / FILES_DIR / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(path, target)
        except FileNotFoundError:
            # Deleted since the listing (a draft purged): no row that the snapshot holds can
            # need it, as rows go before their files.
            continue
        with target.open("rb") as handle:
            start = handle.read(300)
        key_ids.add(stored_key_id(start))
        files[relative] = {"sha256": sha256_file(target), "size": target.stat().st_size}
        if number % 500 == 0:
            progress(f"files: {number} copied")
    progress(f"files: {len(files)} copied")
    key_ids.discard("")
    return files, key_ids


def backup_create(
    *, destination: Path, progress: Progress = _quiet, using: str = DEFAULT_DB_ALIAS
) -> dict[str, Any]:
    """Write a backup into `destination` (a new directory) and return its manifest.

    It is built under `<destination>.partial` and renamed when complete, so a backup cut short
    (disk full, killed) is never mistaken for a whole one.
    """
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose a new directory.")
    partial = destination.with_name(destination.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    try:
        created_at = timezone.now()
        database = _dump_database(partial, progress, using)
        files, file_key_ids = _copy_files(partial, progress)
        manifest = {
            "format": FORMAT,
            "created_at": created_at.isoformat(),
            "vendor": connections[using].vendor,
            "django": django.get_version(),
            **database,
            "field_key_ids": sorted(set(database["field_key_ids"]) | file_key_ids),
            "files": files,
        }
        write_manifest(partial, manifest)
        os.replace(partial, destination)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    audit_record(
        action="operations.backup",
        summary={
            "audit_last_id": manifest["audit"]["last_id"],
            "tables": len(manifest["tables"]),
            "files": len(files),
        },
    )
    progress(f"backup complete: {destination}")
    return manifest

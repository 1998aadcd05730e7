"""Used by the migrations that gave every upload-keeping model one StoredFile row (issue 14)
instead of its own copy of the file's fields. Kept out of the migrations so the four of them
move rows the same way; they run on historical models only.

Rows that kept the same file (a draft's file sent with the report, a report's file taken into a
case) get the same StoredFile: it is found by the file's name under MEDIA_ROOT.
"""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path
from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.migrations.operations.base import Operation

from vigil.common.fields import EncryptedTextField
from vigil.common.sealed_stream import blob_key_id

OLD_FIELDS = ("original_name", "content_type", "size", "sha256", "stored_path")
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _key_id(storage_name: str) -> str:
    try:
        with (Path(settings.MEDIA_ROOT) / storage_name).open("rb") as handle:
            return blob_key_id(handle.read(300))
    except OSError:  # the file is gone (or elsewhere): the row still moves
        return ""


def forwards(apps: Any, schema_editor: Any, *, app_label: str, model_name: str) -> None:
    owner_model = apps.get_model(app_label, model_name)
    stored_file_model = apps.get_model("common", "StoredFile")
    for owner in owner_model._base_manager.exclude(stored_path="").iterator(chunk_size=500):
        stored, _created = stored_file_model.objects.get_or_create(
            storage_name=owner.stored_path,
            defaults={
                "size": owner.size,
                "sha256": owner.sha256,
                "content_type": owner.content_type,
                "original_name": owner.original_name or "",
                "key_id": _key_id(owner.stored_path),
            },
        )
        owner_model._base_manager.filter(pk=owner.pk).update(file=stored)


def backwards(apps: Any, schema_editor: Any, *, app_label: str, model_name: str) -> None:
    owner_model = apps.get_model(app_label, model_name)
    for owner in owner_model._base_manager.select_related("file").iterator(chunk_size=500):
        stored = owner.file
        owner.original_name = stored.original_name if stored else ""
        owner.content_type = stored.content_type if stored else ""
        owner.size = stored.size if stored else 0
        owner.sha256 = stored.sha256 if stored else EMPTY_SHA256
        owner.stored_path = stored.storage_name if stored else ""
        owner.save(update_fields=list(OLD_FIELDS))


def _file_field(*, nullable: bool) -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        blank=nullable,
        null=nullable,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="common.storedfile",
    )


def owner_operations(app_label: str, model_name: str, *, nullable: bool) -> list[Operation]:
    """The operations that move one model's file fields into a StoredFile: add `file`, give
    the old columns defaults (so going back can add them to full tables), move the rows,
    drop the old columns, and make `file` required unless the model may keep no file."""
    old_columns: list[tuple[str, models.Field[Any, Any]]] = [
        ("original_name", EncryptedTextField(blank=True, default="")),
        ("content_type", models.CharField(blank=True, default="", max_length=100)),
        ("size", models.PositiveBigIntegerField(default=0)),
        ("sha256", models.CharField(default="", max_length=64)),
        ("stored_path", models.CharField(blank=True, default="", max_length=300)),
    ]
    operations: list[Operation] = [
        migrations.AddField(model_name=model_name, name="file", field=_file_field(nullable=True)),
        *(
            migrations.AlterField(model_name=model_name, name=name, field=field)
            for name, field in old_columns
        ),
        migrations.RunPython(
            partial(forwards, app_label=app_label, model_name=model_name),
            partial(backwards, app_label=app_label, model_name=model_name),
        ),
        *(migrations.RemoveField(model_name=model_name, name=name) for name, _ in old_columns),
    ]
    if not nullable:
        operations.append(
            migrations.AlterField(
                model_name=model_name, name="file", field=_file_field(nullable=False)
            )
        )
    return operations

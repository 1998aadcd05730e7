from __future__ import annotations

import hashlib
import uuid

from django.db import models

from vigil.common.fields import EncryptedTextField


class UUIDModel(models.Model):
    """Objects appear in URLs by UUID so that no one can guess or count them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class StoredFile(UUIDModel):
    """One kept upload, whatever it came with (a report, a diary entry, a case's evidence): the
    encrypted file under MEDIA_ROOT and what is known of it. Rows that keep a file point here;
    one file may be kept by several rows at once (a report's file becomes the case's evidence),
    and goes when the last of them does (vigil.common.stored_files.stored_file_release)."""

    # Path under MEDIA_ROOT of the sealed file; never served directly.
    storage_name = models.CharField(max_length=300, unique=True)
    size = models.PositiveBigIntegerField()
    # Of the original bytes, worked out as they were stored: the integrity check in court.
    sha256 = models.CharField(max_length=64)
    # From the file's first bytes, never its name or the browser's word.
    content_type = models.CharField(max_length=100)
    original_name = EncryptedTextField(blank=True)
    # The field key the file is sealed with (kept up to date by rotate_keys).
    key_id = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"stored file {self.sha256[:12]}"


class StoredFileOwner:
    """For a model with a `file` pointing at StoredFile: what templates, hashes in bundles and
    audit summaries read, from the one row (no copy of the fields is kept)."""

    file: StoredFile | None

    @property
    def stored_path(self) -> str:
        return self.file.storage_name if self.file else ""

    @property
    def sha256(self) -> str:
        return self.file.sha256 if self.file else EMPTY_SHA256

    @property
    def size(self) -> int:
        return self.file.size if self.file else 0

    @property
    def content_type(self) -> str:
        return self.file.content_type if self.file else ""

    @property
    def original_name(self) -> str:
        return self.file.original_name if self.file else ""


# The SHA-256 of no bytes: the hash an evidence item without a file has always shown.
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

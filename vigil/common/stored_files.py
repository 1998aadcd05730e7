"""The one check and store for every uploaded file: the public report, the safety tools' diary
and staff evidence all go through here, so what a file may be and how it is kept cannot drift.

What a file is comes from its first bytes (never its name or the browser's word); it is kept
encrypted under MEDIA_ROOT, sealed in chunks as it is read (vigil.common.sealed_stream), so no
upload or download is held whole in memory, and a write that fails (a full disk) leaves no half
a file behind. Each kept file is one StoredFile row, shared by the rows that keep it and deleted
with the last of them (stored_file_release).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any, BinaryIO

import puremagic
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from vigil.common.models import StoredFile
from vigil.common.sealed_stream import CHUNK_BYTES, blob_key_id, open_stored, seal_to

# What we accept, by what the file *is* (from its first bytes), never by its name.
EVIDENCE_TYPES: dict[str, str] = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".jfif": "image/jpeg",
    ".jpe": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".heic": "image/heic",
    ".heif": "image/heif",
    ".bmp": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".pdf": "application/pdf",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".aac": "audio/aac",
    ".amr": "audio/amr",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
    ".mkv": "video/x-matroska",
    ".3gp": "video/3gpp",
    ".avi": "video/x-msvideo",
}
SNIFF_BYTES = 8192


class FileRefused(ValidationError):
    """A file we will not keep, with a message the person can act on."""


class FileNotStored(Exception):
    """The file could not be written (a full disk, a quota); nothing of it is left."""


@dataclass(frozen=True)
class StoredBlob:
    stored_path: str  # relative to MEDIA_ROOT
    sha256: str  # of the original bytes
    size: int


def detect_evidence_type(head: bytes) -> str | None:
    """The MIME type of an accepted kind of file, judged from its content; None if refused."""
    if not head:
        return None
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return None
    for match in matches:
        content_type = EVIDENCE_TYPES.get(match.extension.lower())
        if content_type:
            return content_type
    return None


def megabytes(size: int) -> int:
    return size // (1024 * 1024)


def file_size_check(upload: UploadedFile, *, max_bytes: int) -> None:
    """Refuse an empty file, or one of max_bytes or more (FileRefused)."""
    name = upload.name or ""
    size = upload.size or 0
    if size == 0:
        raise FileRefused(_("The file %(name)s is empty") % {"name": name})
    if size > max_bytes:
        raise FileRefused(
            _("The file %(name)s must be smaller than %(size)s MB")
            % {"name": name, "size": megabytes(max_bytes)}
        )


def file_type_check(upload: UploadedFile) -> str:
    """The accepted MIME type of the file, from its first bytes; FileRefused otherwise."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    content_type = detect_evidence_type(head)
    if content_type is None:
        raise FileRefused(
            _("The file %(name)s must be a photo, screenshot, PDF, audio recording or video")
            % {"name": upload.name or ""}
        )
    return content_type


def file_check(upload: UploadedFile, *, max_bytes: int) -> str:
    """Size, then kind: the file's accepted MIME type, or FileRefused."""
    file_size_check(upload, max_bytes=max_bytes)
    return file_type_check(upload)


def new_stored_path(folder: str = "evidence") -> str:
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.enc"


def store_encrypted(upload: UploadedFile, *, stored_path: str | None = None) -> StoredBlob:
    """Write the file encrypted under MEDIA_ROOT (at stored_path, or a new one under evidence/),
    sealing it chunk by chunk as it is read and hashing it on the way, so a big upload (which
    Django has spooled to a temporary file) is never held whole in memory.
    Written to a side file and moved into place, so a failure leaves nothing: FileNotStored."""
    digest = hashlib.sha256()
    size = 0

    def hashed(chunks: Iterator[bytes]) -> Iterator[bytes]:
        nonlocal size
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            yield chunk

    relative = stored_path or new_stored_path()
    path = Path(settings.MEDIA_ROOT) / relative
    temporary = path.with_suffix(".part")
    upload.seek(0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as handle:
            seal_to(handle, hashed(upload.chunks(chunk_size=CHUNK_BYTES)))
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise FileNotStored(str(error)) from None
    return StoredBlob(stored_path=relative, sha256=digest.hexdigest(), size=size)


def stored_chunks(*, stored_path: str) -> Iterator[bytes]:
    """The original bytes of a stored file, chunk by chunk (either format); DecryptionError
    before any chunk that does not verify. The file is open only while this is read."""
    with (Path(settings.MEDIA_ROOT) / stored_path).open("rb") as handle:
        yield from open_stored(handle)


@contextmanager
def blob_open(stored_path: str) -> Iterator[BinaryIO]:
    with (Path(settings.MEDIA_ROOT) / stored_path).open("rb") as handle:
        yield handle


def stored_read(*, stored_path: str) -> bytes:
    """The original bytes of a stored file (for staff, after an audited read), whole: for the
    few callers that need them in memory (a subject access ZIP, a copy into a new record)."""
    return b"".join(stored_chunks(stored_path=stored_path))


def stored_response(
    *, stored_path: str, size: int, content_type: str, filename: str
) -> StreamingHttpResponse:
    """A download of a stored file, decrypted as it is sent. Always an attachment and never
    sniffed: a file is only checked by its first bytes and must not run as a page of this site.
    A chunk that does not verify ends the download early (the length then does not match), so
    no changed byte is ever served."""
    response = StreamingHttpResponse(
        stored_chunks(stored_path=stored_path), content_type=content_type
    )
    response["Content-Length"] = str(size)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def stored_reseal(path: Path) -> bool:
    """Rewrite one stored file (either format) sealed under the current first key, streaming,
    beside it and renamed into place; False if it was gone. For key rotation."""
    temporary = path.with_name(path.name + ".rotating")
    try:
        with path.open("rb") as source, temporary.open("wb") as target:
            seal_to(target, open_stored(source))
    except FileNotFoundError:  # deleted meanwhile (a purged draft)
        temporary.unlink(missing_ok=True)
        return False
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    # Stored files are written once and never changed in place, so the rename cannot lose an
    # update; a reader sees the old file or the new one, both readable.
    os.replace(temporary, path)
    return True


def stored_delete(stored_path: str) -> None:
    (Path(settings.MEDIA_ROOT) / stored_path).unlink(missing_ok=True)


def stored_file_keep(
    upload: UploadedFile, *, content_type: str, stored_path: str | None = None
) -> StoredFile:
    """Store an upload that has passed its checks (content_type is what file_check found) and
    keep its StoredFile row, in the caller's transaction. FileNotStored if it cannot be written:
    nothing is left of it then."""
    blob = store_encrypted(upload, stored_path=stored_path)
    with blob_open(blob.stored_path) as handle:
        key_id = blob_key_id(handle.read(300))
    return StoredFile.objects.create(
        storage_name=blob.stored_path,
        size=blob.size,
        sha256=blob.sha256,
        content_type=content_type,
        original_name=(upload.name or "")[:255],
        key_id=key_id,
    )


def stored_file_response(
    stored: StoredFile, *, filename: str | None = None
) -> StreamingHttpResponse:
    """A download of a kept file (see stored_response), named as it was uploaded unless told."""
    return stored_response(
        stored_path=stored.storage_name,
        size=stored.size,
        content_type=stored.content_type,
        filename=filename or stored.original_name or "file",
    )


@cache
def owner_relations() -> tuple[tuple[type[models.Model], str], ...]:
    """(model, field name) of every foreign key to StoredFile: the rows that keep a file."""
    return tuple(
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is StoredFile
    )


def stored_file_release(file_ids: Iterable[Any]) -> None:
    """Delete each StoredFile that no row keeps any more, and its file once the transaction
    commits (a rollback keeps both). Called whenever a row that keeps a file is deleted, so
    deleting the owner deletes the file, by whatever path (a draft purged, an erasure)."""
    wanted = {pk for pk in file_ids if pk is not None}
    if not wanted:
        return
    for model, name in owner_relations():
        wanted -= set(
            model._base_manager.filter(**{f"{name}__in": wanted}).values_list(name, flat=True)
        )
        if not wanted:
            return
    for stored in StoredFile.objects.filter(pk__in=wanted):
        storage_name = stored.storage_name
        stored.delete()
        transaction.on_commit(partial(stored_delete, storage_name))


def _owner_deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    stored_file_release(
        getattr(instance, f"{name}_id") for model, name in owner_relations() if model is sender
    )


def connect_owner_signals() -> None:
    """From CommonConfig.ready(): every model that keeps a file releases it when deleted."""
    for model in {model for model, _name in owner_relations()}:
        post_delete.connect(
            _owner_deleted, sender=model, dispatch_uid=f"stored-file:{model._meta.label}"
        )

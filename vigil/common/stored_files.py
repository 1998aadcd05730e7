"""The one check and store for every uploaded file: the public report, the safety tools' diary
and staff evidence all go through here, so what a file may be and how it is kept cannot drift.

What a file is comes from its first bytes (never its name or the browser's word); it is kept
encrypted under MEDIA_ROOT, and a write that fails (a full disk) leaves no half a file behind.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.common.crypto import decrypt_bytes, encrypt_bytes

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
class StoredFile:
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


def store_encrypted(upload: UploadedFile, *, stored_path: str | None = None) -> StoredFile:
    """Write the file encrypted under MEDIA_ROOT (at stored_path, or a new one under evidence/).
    Written to a side file and moved into place, so a failure leaves nothing: FileNotStored."""
    digest = hashlib.sha256()
    chunks = []
    for chunk in upload.chunks():
        digest.update(chunk)
        chunks.append(chunk)
    original = b"".join(chunks)
    relative = stored_path or new_stored_path()
    path = Path(settings.MEDIA_ROOT) / relative
    temporary = path.with_suffix(".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(encrypt_bytes(original))
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise FileNotStored(str(error)) from None
    return StoredFile(stored_path=relative, sha256=digest.hexdigest(), size=len(original))


def stored_read(*, stored_path: str) -> bytes:
    """The original bytes of a stored file (for staff, after an audited read)."""
    return decrypt_bytes((Path(settings.MEDIA_ROOT) / stored_path).read_bytes())


def stored_delete(stored_path: str) -> None:
    (Path(settings.MEDIA_ROOT) / stored_path).unlink(missing_ok=True)

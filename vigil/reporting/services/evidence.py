"""Files sent with a report: the report's own limits (all files together, per address), around
the one check and encrypted store every upload goes through (vigil.common.stored_files)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.common import stored_files
from vigil.common.models import StoredFile
from vigil.common.stored_files import (
    EVIDENCE_TYPES,
    SNIFF_BYTES,
    FileNotStored,
    FileRefused,
    detect_evidence_type,
    stored_read,
)
from vigil.reporting.drafts import upload_allowance_take
from vigil.reporting.services.errors import EvidenceRejected, UploadLimited
from vigil.reporting.services.throttles import client_address_key

__all__ = ["EVIDENCE_TYPES", "SNIFF_BYTES", "detect_evidence_type"]


def _store_encrypted(upload: UploadedFile, *, content_type: str) -> StoredFile:
    try:
        return stored_files.stored_file_keep(upload, content_type=content_type)
    except FileNotStored:
        # A full disk (or quota) mid-write: no half a file is left; tell the person plainly,
        # their answers are in the database and stay.
        raise EvidenceRejected(
            _(
                "We could not save this file just now. Your answers are saved. Try again "
                "later, or send your report without it and tell the officer you have it."
            )
        ) from None


def evidence_read(*, stored_path: str) -> bytes:
    """The original bytes of a stored file (for staff, after an audited read)."""
    return stored_read(stored_path=stored_path)


def _check_evidence(
    upload: UploadedFile, *, already_stored: int, address: str | None = None
) -> str:
    size = upload.size or 0
    try:
        stored_files.file_size_check(upload, max_bytes=settings.REPORT_EVIDENCE_MAX_FILE_BYTES)
        total_limit = settings.REPORT_EVIDENCE_MAX_TOTAL_BYTES
        if already_stored + size > total_limit:
            raise FileRefused(
                _("All your files together must be smaller than %(size)s MB")
                % {"size": stored_files.megabytes(total_limit)}
            )
        content_type = stored_files.file_type_check(upload)
    except FileRefused as refused:
        raise EvidenceRejected(refused.messages[0]) from None
    if address is not None and not upload_allowance_take(
        address_key=client_address_key(address), size=size
    ):
        raise UploadLimited(
            _(
                "You have added a lot of files from this connection in the last hour. Please "
                "wait an hour before you add more. You can still send your report, and tell us "
                "about the other files when we contact you."
            )
        )
    return content_type


def upload_accept(
    upload: UploadedFile, *, already_stored: int, address: str | None
) -> dict[str, Any]:
    """For other apps' uploads (the safety tools' diary): the report's checks on a file (size,
    everything stored, what it is) and the same hourly limit per client address, then the file
    kept encrypted. Returns the fields of its row (file: the StoredFile, uploaded_at); raises
    EvidenceRejected (UploadLimited past the limit). Call it inside the transaction that keeps
    the row, so a file refused later is not counted."""
    return _accept_evidence(upload, already_stored=already_stored, address=address)


def evidence_check(upload: UploadedFile, *, already_stored: int = 0) -> str:
    """The web form's checks on a file (size, total size, kind), for other ways a report comes
    in (the API), so a file can be refused before anything is stored: its type, or
    EvidenceRejected."""
    return _check_evidence(upload, already_stored=already_stored)


def _accept_evidence(
    upload: UploadedFile, *, already_stored: int, address: str | None
) -> dict[str, Any]:
    """Check the file, then keep it encrypted; the fields of its evidence row."""
    content_type = _check_evidence(upload, already_stored=already_stored, address=address)
    return {
        "file": _store_encrypted(upload, content_type=content_type),
        "uploaded_at": timezone.now(),
    }

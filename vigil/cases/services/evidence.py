"""Evidence added to a case by staff.

Each write is one transaction that records its audit row and timeline line.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.models import (
    Case,
    Evidence,
    Incident,
    TimelineKind,
)
from vigil.cases.services.timeline import timeline_add
from vigil.common import stored_files


@write_service
def evidence_add(
    *,
    case: Case,
    description: str,
    by: User,
    upload: UploadedFile | None = None,
    incident: Incident | None = None,
) -> Evidence:
    """Keep the file encrypted, byte for byte, with the SHA-256 of the original for integrity.

    The file goes through the one upload check every upload has (vigil.common.stored_files):
    an accepted kind of file judged from its content, not empty, under the staff size limit.
    Raises FileRefused (a ValidationError) before anything is kept, also when it cannot be
    written (a full disk leaves no half a file)."""
    evidence = Evidence(case=case, incident=incident, description=description, added_by=by)
    if upload is not None:
        content_type = stored_files.file_check(
            upload, max_bytes=settings.CASE_EVIDENCE_MAX_FILE_BYTES
        )
        try:
            evidence.file = stored_files.stored_file_keep(
                upload, content_type=content_type, stored_path=f"cases/{case.pk}/{evidence.pk}.bin"
            )
        except stored_files.FileNotStored:
            raise stored_files.FileRefused(
                _("We could not save the file %(name)s just now. Try again later.")
                % {"name": upload.name or ""}
            ) from None
    evidence.save(force_insert=True)
    timeline_add(
        case=case,
        kind=TimelineKind.EVIDENCE,
        title=_("Evidence added (SHA-256 %(hash)s…)") % {"hash": evidence.sha256[:12]},
        detail=description,
        actor=by,
    )
    audit_record(
        action="case.evidence.add", actor=by, target=case, summary={"sha256": evidence.sha256}
    )
    return evidence

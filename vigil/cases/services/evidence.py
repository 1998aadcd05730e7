"""Evidence added to a case by staff.

Each write is one transaction that records its audit row and timeline line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.cases.models import (
    Case,
    Evidence,
    Incident,
    TimelineKind,
)
from vigil.cases.services.timeline import timeline_add
from vigil.common.crypto import encrypt_bytes


@transaction.atomic
def evidence_add(
    *,
    case: Case,
    description: str,
    by: User,
    upload: UploadedFile | None = None,
    incident: Incident | None = None,
) -> Evidence:
    """Keep the file encrypted, byte for byte, with the SHA-256 of the original for integrity."""
    sha256 = hashlib.sha256()
    data = b""
    name = ""
    stored = ""
    if upload is not None:
        data = b"".join(upload.chunks())
        sha256.update(data)
        name = upload.name or ""
    evidence = Evidence(
        case=case,
        incident=incident,
        description=description,
        original_name=name,
        content_type=(upload.content_type or "") if upload else "",
        size=len(data),
        sha256=sha256.hexdigest(),
        added_by=by,
    )
    if upload is not None:
        relative = Path("cases") / str(case.pk) / f"{evidence.pk}.bin"
        path = Path(settings.MEDIA_ROOT) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encrypt_bytes(data))
        stored = str(relative)
    evidence.stored_path = stored
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

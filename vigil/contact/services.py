"""Writes on the safe-contact record. Callers (reporting, cases) hold the transaction and write
their own timeline or follow-up; these only keep the record and its audit row."""

from __future__ import annotations

from django.db.models import F

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.contact.contract import SafeContactPrefs
from vigil.contact.models import SafeContact


def safe_contact_create(*, prefs: SafeContactPrefs) -> SafeContact:
    record = SafeContact(version=1)
    record.data = prefs.to_json()
    record.save()
    return record


def safe_contact_update(
    *, record: SafeContact, prefs: SafeContactPrefs, by: User | None, source: str
) -> tuple[SafeContactPrefs, SafeContactPrefs]:
    """Replace the victim's wishes; return (before, after). Enforced from this moment: every
    sender reads the record again when it sends."""
    locked = SafeContact.objects.select_for_update().get(pk=record.pk)
    before = locked.prefs
    locked.data = prefs.to_json()
    locked.version = F("version") + 1
    locked.save(update_fields=["data", "version", "updated_at"])
    locked.refresh_from_db(fields=["version"])
    record.data, record.version = locked.data, locked.version
    audit_record(
        action="contact.update",
        actor=by,
        target=locked,
        # Which answers changed, never their values.
        summary={"source": source, "changed": sorted(_changed_keys(before, prefs))},
    )
    return before, prefs


def _changed_keys(before: SafeContactPrefs, after: SafeContactPrefs) -> set[str]:
    old, new = before.to_json(), after.to_json()
    return {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}

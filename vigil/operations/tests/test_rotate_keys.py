"""Key rotation: every encrypted value and stored file moves to the new key, resumably."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError

from vigil.audit.models import AuditEvent
from vigil.common.crypto import encrypt_bytes
from vigil.common.fields import stored_values
from vigil.common.models import StoredFile
from vigil.common.sealed_stream import is_sealed
from vigil.common.stored_files import stored_read
from vigil.notifications.models import OutboxMessage
from vigil.notifications.services import outbox_enqueue
from vigil.operations import rotation
from vigil.operations.archive import stored_key_id

pytestmark = pytest.mark.django_db

OLD = f"old={Fernet.generate_key().decode()}"
NEW = f"new={Fernet.generate_key().decode()}"


@pytest.fixture
def old_data(settings: Any, tmp_path: Path) -> Path:
    settings.FIELD_ENCRYPTION_KEYS = OLD
    settings.MEDIA_ROOT = tmp_path / "media"
    for n in range(3):
        outbox_enqueue(
            channel="email",
            recipient=f"person{n}@example.org",
            subject="",
            body=f"Message {n}",
            purpose="test",
            idempotency_key=f"rotate-{n}",
        )
    stored = tmp_path / "media" / "evidence" / "one.enc"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(encrypt_bytes(b"file contents"))
    settings.FIELD_ENCRYPTION_KEYS = f"{NEW},{OLD}"
    return stored


def stored_key_ids() -> set[str]:
    with stored_values():
        rows = OutboxMessage.objects.values_list("recipient", "body")
        return {value.split("$")[0] for row in rows for value in row}


def rotate() -> str:
    out = StringIO()
    call_command("rotate_keys", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_every_value_and_file_moves_to_the_new_key(old_data: Path, settings: Any) -> None:
    StoredFile.objects.create(
        storage_name="evidence/one.enc",
        size=13,
        sha256="0" * 64,
        content_type="application/pdf",
        key_id="old",
    )
    updated_before = set(OutboxMessage.objects.values_list("updated_at", flat=True))

    output = rotate()

    assert "older keys can be removed" in output
    assert stored_key_ids() == {"new"}
    # Rewritten in the chunked format (the old file was one Fernet token), under the new key.
    assert is_sealed(old_data.read_bytes())
    assert stored_key_id(old_data.read_bytes()[:300]) == "new"
    # Re-encrypting is not a change to the record.
    assert set(OutboxMessage.objects.values_list("updated_at", flat=True)) == updated_before
    settings.FIELD_ENCRYPTION_KEYS = NEW  # the old key removed: everything still reads
    assert sorted(OutboxMessage.objects.values_list("body", flat=True)) == [
        "Message 0",
        "Message 1",
        "Message 2",
    ]
    assert stored_read(stored_path="evidence/one.enc") == b"file contents"
    assert StoredFile.objects.get().key_id == "new"
    assert AuditEvent.objects.filter(action="operations.rotate_keys").count() == 1


def test_a_second_run_changes_nothing(old_data: Path) -> None:
    rotate()
    result = rotation.keys_rotate()
    assert (result.rows_rewritten, result.files_rewritten) == (0, 0)


def test_a_rotation_stopped_half_way_finishes_when_run_again(
    old_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rotation, "BATCH", 1)
    real = rotation.encrypt_text
    calls = {"n": 0}

    def fail_on_the_third(value: str) -> str:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(value)

    monkeypatch.setattr(rotation, "encrypt_text", fail_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        rotate()
    assert stored_key_ids() == {"new", "old"}  # the first row is done, the rest not yet

    monkeypatch.setattr(rotation, "encrypt_text", real)
    assert "older keys can be removed" in rotate()
    assert stored_key_ids() == {"new"}


def test_a_value_changed_meanwhile_is_not_overwritten(
    old_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service saves a row between the read and the rewrite: its new value wins."""
    real = rotation.encrypt_text
    message = OutboxMessage.objects.get(idempotency_key="rotate-0")

    def service_saves_first(value: str) -> str:
        if value == "Message 0":
            # (rotation reads and writes stored values here, so the service's write is
            # encrypted by hand, as the field would)
            OutboxMessage.objects.filter(pk=message.pk).update(body=real("Changed by the service"))
        return real(value)

    monkeypatch.setattr(rotation, "encrypt_text", service_saves_first)
    result = rotation.keys_rotate()

    assert result.rows_skipped_changed == 1
    message.refresh_from_db()
    assert message.body == "Changed by the service"


def test_a_value_under_a_missing_key_is_reported(old_data: Path, settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = NEW
    with pytest.raises(CommandError, match="cannot be read"):
        rotate()


def test_blind_indexes_are_rebuilt_when_their_key_changes(old_data: Path, settings: Any) -> None:
    first = rotation.keys_rotate()
    assert "linking_reindex" in first.reindexed  # no fingerprint yet: rebuilt to be sure
    assert rotation.keys_rotate().reindexed == []

    settings.BLIND_INDEX_KEY = "a-new-blind-index-key"
    assert "linking_reindex" in rotation.keys_rotate().reindexed


def test_status_only_counts(old_data: Path) -> None:
    out = StringIO()
    call_command("rotate_keys", "--status", stdout=out, stderr=StringIO())
    assert "old: 6" in out.getvalue()
    assert "Still in use: old" in out.getvalue()
    assert stored_key_ids() == {"old"}

"""Backup -> wipe -> restore, on whichever database the run uses (make test runs SQLite and
PostgreSQL), with the audit chain verified after the restore."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from vigil.accounts.models import User
from vigil.audit.models import AuditEvent
from vigil.audit.services import audit_record, audit_verify
from vigil.common.crypto import decrypt_bytes, encrypt_bytes
from vigil.notifications.models import OutboxMessage
from vigil.notifications.services import outbox_enqueue
from vigil.operations.archive import sign
from vigil.reporting.models import ReportDraft

pytestmark = pytest.mark.django_db(transaction=True)

FILE_BYTES = b"a photo of the car parked outside, again"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def service_data(make_staff: Callable[..., User], media: Path) -> dict[str, object]:
    """A little of everything a backup must carry: users and a many-to-many link, encrypted
    fields, an encrypted stored file, and an audit chain."""
    officer = make_staff()
    group = Group.objects.create(name="Night shift")
    officer.groups.add(group)
    message = outbox_enqueue(
        channel="email",
        recipient="victim@example.org",
        subject="Your report",
        body="We have your report.",
        purpose="report.received",
        idempotency_key="backup-test-1",
    )
    stored = media / "evidence" / "2026" / "12" / "photo.enc"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(encrypt_bytes(FILE_BYTES))
    draft = ReportDraft.objects.create(
        submission_key="backup-test", expires_at=timezone.now(), data={"answers": {"n": 1}}
    )
    for n in range(3):
        audit_record(action="case.view", actor=officer, target=officer, summary={"n": n})
    return {"officer": officer, "message": message, "file": stored, "draft": draft}


def wipe(media: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)


def run_backup(tmp_path: Path) -> tuple[Path, str]:
    destination = tmp_path / "backup"
    err = StringIO()
    call_command("backup", "--output", str(destination), stdout=StringIO(), stderr=err)
    return destination, err.getvalue()


def test_backup_wipe_restore_brings_everything_back(
    service_data: dict[str, object], media: Path, tmp_path: Path
) -> None:
    officer = service_data["officer"]
    assert isinstance(officer, User)
    events_before = AuditEvent.objects.count()
    backup, progress = run_backup(tmp_path)
    assert "audit chain head" in progress
    wipe(media)
    assert not User.objects.exists()

    out = StringIO()
    call_command("restore", str(backup), stdout=out, stderr=StringIO())

    assert "audit chain verified" in out.getvalue()
    restored = User.objects.get(pk=officer.pk)
    assert restored.email == officer.email
    assert list(restored.groups.values_list("name", flat=True)) == ["Night shift"]
    message = OutboxMessage.objects.get(idempotency_key="backup-test-1")
    assert message.body == "We have your report."
    assert message.recipient == "victim@example.org"
    # An encrypted JSON document comes back as the document, not as a string of it.
    assert ReportDraft.objects.get(submission_key="backup-test").data == {"answers": {"n": 1}}
    stored = service_data["file"]
    assert isinstance(stored, Path)
    assert decrypt_bytes(stored.read_bytes()) == FILE_BYTES
    result = audit_verify()
    assert result.ok
    # The backup's own event is after its snapshot; the restore adds one more.
    assert result.checked == events_before + 1
    assert AuditEvent.objects.order_by("-id").first().action == "operations.restore"  # type: ignore[union-attr]
    # Sequences carry on after the restored rows (PostgreSQL): new rows and links still insert.
    links = User.groups.through.objects
    restored_link = links.get().pk
    restored.groups.add(Group.objects.create(name="Day shift"))
    assert links.order_by("-pk").first().pk > restored_link  # type: ignore[union-attr]


def test_backup_holds_no_personal_data_in_clear(
    service_data: dict[str, object], tmp_path: Path
) -> None:
    backup, _progress = run_backup(tmp_path)
    everything = b"".join(path.read_bytes() for path in backup.rglob("*") if path.is_file())
    assert b"victim@example.org" not in everything
    assert b"We have your report." not in everything
    assert FILE_BYTES not in everything


def test_a_damaged_file_is_refused_and_nothing_changes(
    service_data: dict[str, object], media: Path, tmp_path: Path
) -> None:
    backup, _progress = run_backup(tmp_path)
    damaged = next((backup / "files").rglob("*.enc"))
    data = damaged.read_bytes()
    # Flip a bit of the last byte: always a change (writing a fixed byte is none when the
    # ciphertext already ends with it, one time in 256).
    damaged.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    wipe(media)

    with pytest.raises(CommandError, match="does not match its hash"):
        call_command("restore", str(backup), stdout=StringIO(), stderr=StringIO())

    assert not User.objects.exists()
    assert not media.exists()


def test_a_changed_manifest_is_refused(service_data: dict[str, object], tmp_path: Path) -> None:
    backup, _progress = run_backup(tmp_path)
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["audit"]["events"] += 1
    (backup / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match="signature does not match"):
        call_command("restore", str(backup), "--check", stdout=StringIO(), stderr=StringIO())


def test_a_broken_audit_chain_rolls_the_whole_restore_back(
    service_data: dict[str, object], media: Path, tmp_path: Path
) -> None:
    """Someone with the key re-signed a backup with an audit row changed: the rows load, the
    chain check fails, and the database is left as it was before the restore."""
    backup, _progress = run_backup(tmp_path)
    events = backup / "db" / "audit.auditevent.jsonl"
    lines = events.read_text().splitlines()
    row = json.loads(lines[1])
    row["fields"]["action"] = "case.nothing_to_see"
    lines[1] = json.dumps(row)
    events.write_text("\n".join(lines) + "\n")
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["tables"]["audit.auditevent"]["sha256"] = (
        __import__("hashlib").sha256(events.read_bytes()).hexdigest()
    )
    manifest["signature"] = sign(manifest)
    (backup / "manifest.json").write_text(json.dumps(manifest))
    wipe(media)
    # Creating an account is audited, so the database is in use: --replace, as a force would.
    User.objects.create(email="still-here@test.police.uk", full_name="Still Here")

    with pytest.raises(CommandError, match="audit chain is broken"):
        call_command("restore", str(backup), "--replace", stdout=StringIO(), stderr=StringIO())

    assert list(User.objects.values_list("email", flat=True)) == ["still-here@test.police.uk"]


def test_a_database_in_use_is_replaced_only_when_asked(
    service_data: dict[str, object], tmp_path: Path
) -> None:
    backup, _progress = run_backup(tmp_path)
    with pytest.raises(CommandError, match="--replace"):
        call_command("restore", str(backup), stdout=StringIO(), stderr=StringIO())

    call_command("restore", str(backup), "--replace", stdout=StringIO(), stderr=StringIO())
    assert audit_verify().ok


def test_a_backup_needs_a_new_directory(service_data: dict[str, object], tmp_path: Path) -> None:
    backup, _progress = run_backup(tmp_path)
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", "--output", str(backup), stdout=StringIO(), stderr=StringIO())
    assert connection.vendor in {"sqlite", "postgresql"}

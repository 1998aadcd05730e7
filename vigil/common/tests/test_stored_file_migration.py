"""The migrations of issue 14 move each kept file's fields into one StoredFile row, one row per
file even when several rows kept it, and going back puts the fields back as they were."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from vigil.common.crypto import encrypt_bytes

BEFORE = [
    ("common", None),
    ("reporting", "0009_report_reporter_own_contact"),
    ("cases", "0011_duty_told_how_and_when"),
    ("safety", "0003_victim_may_undo_a_delete"),
]
BEFORE_STATE = BEFORE[1:]  # a state is named by the migrations applied, not by those undone
AFTER = [("reporting", "0010_evidence_in_stored_files")]


@pytest.fixture
def migrator() -> Iterator[MigrationExecutor]:
    """Leaves the database at the latest migrations for the tests that follow."""
    yield MigrationExecutor(connection)
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_draft_files_move_into_one_stored_file_each_and_back(
    migrator: MigrationExecutor, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    stored = tmp_path / "media" / "evidence" / "shared.enc"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(encrypt_bytes(b"photo"))
    migrator.migrate(BEFORE)
    old = migrator.loader.project_state(BEFORE_STATE).apps
    draft_model = old.get_model("reporting", "ReportDraft")
    file_model = old.get_model("reporting", "DraftEvidence")
    expires = timezone.now() + datetime.timedelta(hours=1)
    rows = []
    # Two rows keeping the same file (as a draft's file and its report's do), and one other.
    for key, name, path in [
        ("a", "photo.png", "evidence/shared.enc"),
        ("b", "photo.png", "evidence/shared.enc"),
        ("c", "letter.pdf", "evidence/other.enc"),
    ]:
        draft = draft_model.objects.create(submission_key=key, expires_at=expires, data="")
        rows.append(
            file_model.objects.create(
                draft=draft,
                original_name=name,
                content_type="image/png" if name.endswith("png") else "application/pdf",
                size=5,
                sha256=key * 64,
                stored_path=path,
                uploaded_at=timezone.now(),
            )
        )

    forwards = _executor()
    forwards.migrate(AFTER)
    new = forwards.loader.project_state(AFTER).apps
    stored_file_model = new.get_model("common", "StoredFile")
    moved = new.get_model("reporting", "DraftEvidence")
    assert stored_file_model.objects.count() == 2
    shared = stored_file_model.objects.get(storage_name="evidence/shared.enc")
    assert shared.original_name == "photo.png"
    assert shared.content_type == "image/png"
    assert shared.size == 5
    assert shared.key_id == encrypt_bytes(b"").split(b"$")[0].decode()
    assert {moved.objects.get(pk=rows[0].pk).file_id, moved.objects.get(pk=rows[1].pk).file_id} == {
        shared.pk
    }
    other = moved.objects.get(pk=rows[2].pk).file
    assert (other.storage_name, other.original_name) == ("evidence/other.enc", "letter.pdf")
    assert other.key_id == ""  # its file is not on this disk: the row still moves

    backwards = _executor()
    backwards.migrate(BEFORE)
    back = backwards.loader.project_state(BEFORE_STATE).apps.get_model("reporting", "DraftEvidence")
    restored = back.objects.get(pk=rows[2].pk)
    assert (restored.original_name, restored.content_type, restored.size) == (
        "letter.pdf",
        "application/pdf",
        5,
    )
    assert (restored.sha256, restored.stored_path) == ("c" * 64, "evidence/other.enc")

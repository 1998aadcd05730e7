from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("reporting", "0002_drafts_evidence_throttle_withdrawal")]
AFTER = [("reporting", "0003_draft_file_count")]


@pytest.fixture
def migrator() -> Iterator[MigrationExecutor]:
    """Leaves the database at the latest migrations for the tests that follow."""
    yield MigrationExecutor(connection)
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_drafts_in_progress_keep_their_files_when_the_file_count_arrives(
    migrator: MigrationExecutor,
) -> None:
    executor = migrator
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    draft_model = old.get_model("reporting", "ReportDraft")
    file_model = old.get_model("reporting", "DraftEvidence")
    expires = timezone.now() + datetime.timedelta(hours=1)
    with_files = draft_model.objects.create(submission_key="with", expires_at=expires, data="")
    without = draft_model.objects.create(submission_key="without", expires_at=expires, data="")
    for name in ("a", "b"):
        file_model.objects.create(
            draft=with_files,
            original_name="",
            content_type="image/png",
            size=1,
            sha256=name * 64,
            stored_path=name,
            uploaded_at=timezone.now(),
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("reporting", "ReportDraft")
    assert new.objects.get(pk=with_files.pk).file_count == 2
    assert new.objects.get(pk=without.pk).file_count == 0

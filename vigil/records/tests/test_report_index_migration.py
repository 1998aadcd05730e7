"""The data migration that indexes the reports sent before subject access searched them
(records 0003): the victim's email and phone, and a reporter's, as case search hashes them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from vigil.cases.policy import identifier_index

BEFORE = [("records", "0002_retention_for_every_record")]
AFTER = [("records", "0003_report_identifiers")]


@pytest.fixture
def migrator() -> Iterator[MigrationExecutor]:
    """Leaves the database at the latest migrations for the tests that follow."""
    yield MigrationExecutor(connection)
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_reports_sent_before_are_indexed(migrator: MigrationExecutor) -> None:
    migrator.migrate(BEFORE)
    old = migrator.loader.project_state(BEFORE).apps
    contact = old.get_model("contact", "SafeContact").objects.create(data={})
    report = old.get_model("reporting", "Report").objects.create(
        reference="VG-TEST-0001",
        received_at=timezone.now(),
        reporter_type="on_behalf",
        victim={"name": "Alice", "email": "Alice@Example.com"},
        reporter={"name": "Bea", "email": "bea@example.org", "phone": "07700 900456"},
        suspects=[{"names": ["Mallory"], "phones": ["07700 900999"]}],
        contact=contact,
        tracking_secret_hash="x",
        submission_key="k",
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = new.get_model("records", "ReportIdentifier").objects.filter(report_id=report.pk)
    assert sorted(rows.values_list("role", "kind", "blind_index")) == sorted(
        [
            ("victim", "email", identifier_index("email", "alice@example.com")),
            ("reporter", "email", identifier_index("email", "bea@example.org")),
            ("reporter", "phone", identifier_index("phone", "+447700900456")),
        ]
    )

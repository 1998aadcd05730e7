"""The data migration that indexes the reports sent before subject access searched them
(records 0003): the victim's email and phone, and a reporter's, as case search hashes them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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


@pytest.mark.django_db(transaction=True)
def test_phone_reports_taken_before_are_indexed_and_linked_to_their_victims(
    migrator: MigrationExecutor, make_staff: Any
) -> None:
    """Records 0004 indexes phone reports' victims; cases 0013 links a phone report's victim
    record on the case it opened (the two are exported once, together)."""
    from vigil.accounts.models import Role
    from vigil.cases.models import CasePerson, PriorityGrade
    from vigil.cases.services import phone_report_create, triage_record
    from vigil.cases.tests.factories import THRIVE
    from vigil.records.models import ReportIdentifier

    handler = make_staff(Role.CALL_HANDLER)
    phone_report = phone_report_create(
        by=handler,
        summary="Calls every night.",
        victim={"name": "Alice", "phone": "07700 900123", "email": "Alice@Example.com"},
        safe_contact={},
        suspects=[{"names": ["Mallory"], "phones": ["07700 900999"]}],
        behaviours=[],
    )
    case = triage_record(
        by=handler,
        thrive=THRIVE,
        # A transactional test's database has lost the grades the migrations seed.
        grade=PriorityGrade.objects.get_or_create(
            code="priority", defaults={"label": "Priority", "response_minutes": 60}
        )[0],
        phone_report=phone_report,
        principal_classification="harassment_s2",
    ).case
    victim = CasePerson.objects.get(case=case, role="victim")
    migrator.migrate([("cases", "0012_evidence_in_stored_files")])  # and records 0004 back

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert CasePerson.objects.get(pk=victim.pk).phone_report_id == phone_report.pk
    rows = ReportIdentifier.objects.filter(phone_report_id=phone_report.pk)
    assert sorted(rows.values_list("role", "kind", "blind_index")) == sorted(
        [
            ("victim", "email", identifier_index("email", "alice@example.com")),
            ("victim", "phone", identifier_index("phone", "+447700900123")),
        ]
    )

"""The data migration that moves each victim's two copies of their safe-contact answers onto one
live record (reporting 0006, cases 0003)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("reporting", "0005_plain_indexes"), ("cases", "0002_defaults_and_search")]
AFTER = [("reporting", "0006_report_contact_record"), ("cases", "0003_caseperson_contact_record")]


@pytest.fixture
def migrator() -> Iterator[MigrationExecutor]:
    """Leaves the database at the latest migrations for the tests that follow."""
    yield MigrationExecutor(connection)
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_both_copies_become_one_record_merged_the_safe_way(migrator: MigrationExecutor) -> None:
    executor = migrator
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("accounts", "User").objects.create(
        email="o@example.org", full_name="Officer", role="investigator"
    )
    report = old.get_model("reporting", "Report").objects.create(
        reference="VG-TEST-0001",
        received_at=timezone.now(),
        reporter_type="victim",
        # The victim has since said, on "track my report", that others may read her messages.
        safe_contact={
            "channels": ["email", "phone"],
            "can_say_police": True,
            "others_may_read": True,
        },
        tracking_secret_hash="x",
        submission_key="k",
    )
    case_model = old.get_model("cases", "Case")
    person_model = old.get_model("cases", "CasePerson")
    case = case_model.objects.create(
        reference="CS-TEST0001", principal_classification="harassment_s2", created_by=user
    )
    from_report = person_model.objects.create(
        case=case,
        role="victim",
        name="Alice",
        report=report,
        safe_contact={
            "channels": ["phone", "email"],
            "safe_from": "09:00",
            "safe_until": "15:00",
            "can_say_police": True,
            "voicemail_ok": True,
        },
    )
    by_phone = person_model.objects.create(
        case=case, role="victim", name="Bea", safe_contact={"channels": ["letter"]}
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    person_model = new.get_model("cases", "CasePerson")
    report = new.get_model("reporting", "Report").objects.get(pk=report.pk)
    alice = person_model.objects.get(pk=from_report.pk)
    assert alice.contact_id == report.contact_id
    data = alice.contact.data
    assert sorted(data["channels"]) == ["email", "phone"]
    assert data["others_may_read"] is True
    assert data["safe_from"] == "09:00" and data["safe_until"] == "15:00"
    assert data["voicemail_ok"] is False  # the report's copy did not allow it
    bea = person_model.objects.get(pk=by_phone.pk)
    assert bea.contact.data["channels"] == ["letter"]

    # And back again: each copy gets the record's answers.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    restored = old.get_model("cases", "CasePerson").objects.get(pk=from_report.pk)
    assert restored.safe_contact["others_may_read"] is True
    assert old.get_model("reporting", "Report").objects.get().safe_contact["channels"]

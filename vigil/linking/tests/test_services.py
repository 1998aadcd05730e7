from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test import override_settings

from vigil.accounts.models import Agency, Role, User
from vigil.accounts.tests.factories import AgencyFactory
from vigil.audit.models import AuditEvent
from vigil.linking import indexes, querysets
from vigil.linking.models import Alert, AlertStatus, LinkDecision, RecordKey, Verdict
from vigil.linking.querysets import register_record_scope
from vigil.linking.selectors import alert_list, candidates_for
from vigil.linking.services import (
    LinkError,
    alert_acknowledge,
    link_confirm,
    link_reject,
    link_undo,
)
from vigil.linking.tests.factories import add_record
from vigil.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

BILL = {"names": ["Bill Smith"], "date_of_birth": "12/03/1985", "phones": ["07700 900123"]}
WILLIAM = {"names": ["William Smith"], "date_of_birth": "1985-03-12", "phones": ["07700 900999"]}


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.INVESTIGATOR)


@pytest.fixture
def coordinator(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.COORDINATOR, email="coordinator@test.police.uk")


def test_identifiers_are_stored_encrypted_and_found_by_keyed_hash(officer: User) -> None:
    record = add_record(by=officer, **BILL)
    with connection.cursor() as cursor:
        cursor.execute("SELECT attributes FROM linking_personrecord WHERE id = %s", [record.pk.hex])
        row = cursor.fetchone()
    if row is None:  # PostgreSQL stores UUIDs natively
        with connection.cursor() as cursor:
            cursor.execute("SELECT attributes FROM linking_personrecord WHERE id = %s", [record.pk])
            row = cursor.fetchone()
    assert "447700900123" not in row[0]
    phone_key = indexes.digest("+447700900123", purpose="linking.phones")
    assert RecordKey.objects.filter(record=record, digest=phone_key).exists()


def test_a_record_is_its_own_person_until_linked(officer: User) -> None:
    first, second = add_record(by=officer, **BILL), add_record(by=officer, **WILLIAM)
    assert first.person_id != second.person_id


def test_candidates_come_with_a_score_and_the_reasons(officer: User) -> None:
    record = add_record(by=officer, **BILL)
    other = add_record(by=officer, **WILLIAM)
    add_record(by=officer, names=["Jane Doe"], date_of_birth="1990-01-01")
    [candidate] = candidates_for(record=record, user=officer)
    assert candidate.record == other
    assert candidate.probability > 0.9
    assert candidate.score.reasons() == {
        "agreed": ["name", "dob"],
        "similar": [],
        "differed": ["phone"],
    }


def test_swapped_given_name_and_surname_still_match(officer: User) -> None:
    record = add_record(by=officer, names=["SMITH Bill"], date_of_birth="1985-03-12")
    other = add_record(by=officer, **WILLIAM)
    [candidate] = candidates_for(record=record, user=officer)
    assert candidate.record == other
    assert candidate.score.reasons()["agreed"] == ["name", "dob"]


def test_a_shared_phone_number_alone_makes_a_candidate(officer: User) -> None:
    record = add_record(by=officer, names=["Sam Jones"], phones=["07700 900123"])
    other = add_record(by=officer, names=["S Jonze"], phones=["+44 7700 900123"])
    assert [c.record for c in candidates_for(record=record, user=officer)] == [other]


def test_confirming_makes_one_person_and_is_audited(officer: User) -> None:
    record, other = add_record(by=officer, **BILL), add_record(by=officer, **WILLIAM)
    decision = link_confirm(record=record, other=other, by=officer, note="Same car seen")
    record.refresh_from_db()
    other.refresh_from_db()
    assert record.person_id == other.person_id
    event = AuditEvent.objects.get(action="linking.link_confirm")
    assert event.target_id == str(decision.pk)
    assert event.summary["reasons"]["agreed"] == ["name", "dob"]
    assert candidates_for(record=record, user=officer) == []


def test_undoing_a_confirmation_splits_the_person_again(officer: User) -> None:
    record, other = add_record(by=officer, **BILL), add_record(by=officer, **WILLIAM)
    decision = link_confirm(record=record, other=other, by=officer)
    link_undo(decision=decision, by=officer)
    record.refresh_from_db()
    other.refresh_from_db()
    assert record.person_id != other.person_id
    assert AuditEvent.objects.filter(action="linking.link_undo").count() == 1
    assert [c.record for c in candidates_for(record=record, user=officer)] == [other]


def test_undoing_one_link_in_a_chain_keeps_the_other_link(officer: User) -> None:
    a, b = add_record(by=officer, **BILL), add_record(by=officer, **WILLIAM)
    c = add_record(by=officer, names=["Will Smith"], phones=["07700 900999"])
    link_confirm(record=a, other=b, by=officer)
    second = link_confirm(record=b, other=c, by=officer)
    link_undo(decision=second, by=officer)
    a.refresh_from_db()
    b.refresh_from_db()
    c.refresh_from_db()
    assert a.person_id == b.person_id != c.person_id


def test_a_rejected_candidate_is_not_proposed_again(officer: User) -> None:
    record, other = add_record(by=officer, **BILL), add_record(by=officer, **WILLIAM)
    link_reject(record=record, other=other, by=officer, note="Different middle name")
    assert candidates_for(record=record, user=officer) == []
    assert candidates_for(record=other, user=officer) == []
    assert LinkDecision.objects.get().verdict == Verdict.REJECTED


def test_an_undone_rejection_lets_the_candidate_back(officer: User) -> None:
    record, other = add_record(by=officer, **BILL), add_record(by=officer, **WILLIAM)
    decision = link_reject(record=record, other=other, by=officer)
    link_undo(decision=decision, by=officer)
    assert [c.record for c in candidates_for(record=record, user=officer)] == [other]


def test_a_decision_cannot_be_contradicted_without_undoing_it(officer: User) -> None:
    record, other = add_record(by=officer, **BILL), add_record(by=officer, **WILLIAM)
    link_reject(record=record, other=other, by=officer)
    with pytest.raises(LinkError):
        link_confirm(record=record, other=other, by=officer)


def test_serial_perpetrator_alert_fires_once_when_the_second_victims_record_is_linked(
    officer: User, coordinator: User
) -> None:
    first = add_record(by=officer, victim="victim-1", **BILL)
    again = add_record(by=officer, victim="victim-1", names=["Bill Smith"], phones=["07700900123"])
    link_confirm(record=first, other=again, by=officer)
    assert Alert.objects.count() == 0
    second = add_record(by=officer, victim="victim-2", **WILLIAM)
    assert Alert.objects.count() == 0
    link_confirm(record=first, other=second, by=officer)
    alert = Alert.objects.get()
    assert alert.victim_count == 2
    # Linking or saving more records about the same two victims does not alert again.
    more = add_record(by=officer, victim="victim-2", names=["W Smith"], phones=["07700 900999"])
    link_confirm(record=second, other=more, by=officer)
    add_record(by=officer, victim="victim-2", source=second.source, owner=second.owner, **WILLIAM)
    assert Alert.objects.count() == 1
    message = OutboxMessage.objects.get(purpose="linking.alert")
    assert message.recipient == coordinator.email
    assert "Smith" not in message.body and "07700" not in message.body
    assert str(alert.pk) in message.body
    assert AuditEvent.objects.filter(action="linking.alert_raise").count() == 1


def test_a_third_victim_updates_the_one_alert_and_asks_for_review_again(
    officer: User, coordinator: User
) -> None:
    a = add_record(by=officer, victim="victim-1", **BILL)
    b = add_record(by=officer, victim="victim-2", **WILLIAM)
    c = add_record(by=officer, victim="victim-3", names=["Will Smith"], phones=["07700 900999"])
    link_confirm(record=a, other=b, by=officer)
    alert_acknowledge(alert=Alert.objects.get(), by=coordinator)
    link_confirm(record=b, other=c, by=officer)
    alert = Alert.objects.get()
    assert alert.victim_count == 3
    assert alert.status == AlertStatus.OPEN
    assert OutboxMessage.objects.filter(purpose="linking.alert").count() == 2


def test_victims_of_records_that_are_not_suspects_do_not_count(officer: User) -> None:
    a = add_record(by=officer, victim="victim-1", **BILL)
    b = add_record(by=officer, victim="victim-2", role="victim", **WILLIAM)
    link_confirm(record=a, other=b, by=officer)
    assert not Alert.objects.exists()


def test_undoing_the_link_withdraws_the_alert(officer: User, coordinator: User) -> None:
    a = add_record(by=officer, victim="victim-1", **BILL)
    b = add_record(by=officer, victim="victim-2", **WILLIAM)
    decision = link_confirm(record=a, other=b, by=officer)
    link_undo(decision=decision, by=officer)
    assert Alert.objects.get().status == AlertStatus.WITHDRAWN
    assert list(alert_list(user=coordinator)) == []


def test_both_officers_see_the_alert(officer: User, make_staff: Callable[..., User]) -> None:
    other_officer = make_staff(Role.INVESTIGATOR)
    a = add_record(by=officer, victim="victim-1", **BILL)
    b = add_record(by=other_officer, victim="victim-2", **WILLIAM)
    link_confirm(record=a, other=b, by=officer)
    assert alert_list(user=officer).count() == alert_list(user=other_officer).count() == 1


def _partner_world(
    make_staff: Callable[..., User],
) -> tuple[User, User, Agency, Agency]:
    advocacy = AgencyFactory(name="Advocacy Service", kind=Agency.Kind.PARTNER)
    police = AgencyFactory(name="Test Police", kind=Agency.Kind.POLICE)
    partner = make_staff(Role.PARTNER, agency=advocacy)
    officer = make_staff(Role.INVESTIGATOR, agency=police)
    return partner, officer, advocacy, police


def test_a_partner_never_sees_candidates_from_records_not_shared_with_them(
    make_staff: Callable[..., User],
) -> None:
    partner, officer, advocacy, police = _partner_world(make_staff)
    own = add_record(by=partner, agency=advocacy, **BILL)
    shared = add_record(by=partner, agency=advocacy, names=["Bill Smith"], phones=["07700900123"])
    hidden = add_record(by=officer, agency=police, **WILLIAM)
    assert [c.record for c in candidates_for(record=own, user=partner)] == [shared]
    assert {c.record for c in candidates_for(record=own, user=officer)} == {shared, hidden}


def test_case_management_can_plug_in_its_own_visibility(
    make_staff: Callable[..., User],
) -> None:
    partner, officer, _advocacy, _police = _partner_world(make_staff)
    own = add_record(by=officer, owner="cases.case:1", **BILL)
    add_record(by=officer, owner="cases.case:2", **WILLIAM)
    shared_case = add_record(by=officer, owner="cases.case:3", names=["Bill Smith"])

    def shared_with(user: User, action: str) -> Q:
        if user.role != Role.PARTNER:
            return Q(pk__in=[])
        return Q(owner__in=["cases.case:1", "cases.case:3"])

    register_record_scope("shared-with-partner", shared_with)
    try:
        found = candidates_for(record=own, user=partner)
    finally:
        querysets._record_scopes.pop("shared-with-partner")
    assert [c.record for c in found] == [shared_case]


def test_a_caller_can_narrow_the_scope_but_never_widen_it(
    make_staff: Callable[..., User],
) -> None:
    partner, officer, advocacy, police = _partner_world(make_staff)
    own = add_record(by=partner, agency=advocacy, **BILL)
    add_record(by=officer, agency=police, **WILLIAM)
    found = candidates_for(record=own, user=partner, visible=Q())
    assert found == []


def test_a_partner_cannot_decide_about_links(make_staff: Callable[..., User]) -> None:
    partner, _officer, advocacy, _police = _partner_world(make_staff)
    a = add_record(by=partner, agency=advocacy, **BILL)
    b = add_record(by=partner, agency=advocacy, **WILLIAM)
    with pytest.raises(LinkError):
        link_confirm(record=a, other=b, by=partner)


def test_old_blind_index_keys_still_find_records_until_reindexed(officer: User) -> None:
    record = add_record(by=officer, **BILL)
    other = add_record(by=officer, **WILLIAM)
    assert record.index_key_id == "base"
    rotated = f"k2=new-secret,base={settings.BLIND_INDEX_KEY}"
    with override_settings(LINKING_INDEX_KEYS=rotated):
        fresh = add_record(by=officer, names=["Bill Smith"], date_of_birth="1985-03-12")
        assert fresh.index_key_id == "k2"
        assert {c.record for c in candidates_for(record=fresh, user=officer)} == {record, other}
        call_command("linking_reindex", verbosity=0)
        record.refresh_from_db()
        assert record.index_key_id == "k2"
    with override_settings(LINKING_INDEX_KEYS="k2=new-secret"):
        assert {c.record for c in candidates_for(record=fresh, user=officer)} == {record, other}

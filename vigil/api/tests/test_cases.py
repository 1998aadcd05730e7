"""Cases through the API: only what is in the client's scope, only the fields shared with it."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from vigil.accounts.models import Agency, Role, User
from vigil.accounts.tests.factories import TeamFactory, UserFactory
from vigil.api.models import ClientKind
from vigil.api.tests.conftest import Caller
from vigil.cases import services as case_services
from vigil.cases.models import ActionStatus, Case, TimelineKind
from vigil.cases.tests.factories import make_case


def test_a_partner_reads_a_case_shared_with_its_agency(alice: Caller, shared_case: Case) -> None:
    response = alice("get", f"/cases/{shared_case.pk}")
    assert response.status_code == 200
    assert response.json()["reference"] == shared_case.reference
    assert response.json()["id"] == str(shared_case.pk)
    # Personal data: no proxy or client cache may keep a copy.
    assert "no-store" in response["Cache-Control"]


def test_agency_bs_token_cannot_read_agency_as_case(bob: Caller, shared_case: Case) -> None:
    for path in ("", "/timeline", "/risk"):
        response = bob("get", f"/cases/{shared_case.pk}{path}")
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
    # No partner's system is ever given the messages (the contact log is never shared).
    assert bob("get", f"/cases/{shared_case.pk}/messages").status_code == 403


def test_agency_bs_list_leaves_out_agency_as_case(
    alice: Caller, bob: Caller, shared_case: Case
) -> None:
    assert [c["id"] for c in alice("get", "/cases").json()["results"]] == [str(shared_case.pk)]
    assert bob("get", "/cases").json()["results"] == []


def test_a_field_not_shared_with_the_partner_is_absent(
    alice: Caller, shared_case: Case, coordination: Caller
) -> None:
    partner_view = alice("get", f"/cases/{shared_case.pk}").json()
    police_view = coordination("get", f"/cases/{shared_case.pk}").json()
    for field in ("title", "officer", "team", "outcome_reason"):
        assert field not in partner_view
        assert field in police_view
    assert police_view["title"] == "Ex-partner"
    listed = alice("get", "/cases").json()["results"][0]
    assert "title" not in listed


def test_a_case_read_is_audited_as_a_case_view(alice: Caller, shared_case: Case) -> None:
    from vigil.audit.models import AuditEvent

    alice("get", f"/cases/{shared_case.pk}")
    event = AuditEvent.objects.filter(action="case.view", target_id=str(shared_case.pk)).latest(
        "id"
    )
    assert event.summary == {"page": "api.case"}
    assert alice.client.name in event.actor_label


def test_a_partner_never_sees_staff_notes_on_the_timeline(
    alice: Caller, coordination: Caller, shared_case: Case, coordinator: User
) -> None:
    case_services.note_add(case=shared_case, body="Private police note", by=coordinator)
    partner = alice("get", f"/cases/{shared_case.pk}/timeline").json()["results"]
    police = coordination("get", f"/cases/{shared_case.pk}/timeline").json()["results"]
    assert TimelineKind.NOTE not in {e["kind"] for e in partner}
    assert TimelineKind.NOTE in {e["kind"] for e in police}


def test_lists_are_paged_by_cursor(coordination: Caller, coordinator: User) -> None:
    made = {str(make_case(by=coordinator).pk) for _ in range(3)}
    seen: list[str] = []
    response = coordination("get", "/cases?page_size=2").json()
    seen += [c["id"] for c in response["results"]]
    assert len(response["results"]) == 2
    assert response["next"]
    following = coordination("get", response["next"].split("/api/v1", 1)[1]).json()
    seen += [c["id"] for c in following["results"]]
    assert set(seen) == made
    assert len(seen) == 3
    assert following["next"] is None


def test_a_cursor_we_did_not_give_is_a_field_error(coordination: Caller) -> None:
    response = coordination("get", "/cases?cursor=bm90LWEtY3Vyc29y%21")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"


def test_a_case_id_that_is_not_a_uuid_is_a_field_error(coordination: Caller) -> None:
    response = coordination("get", "/cases/42")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_the_risk_level_is_read(alice: Caller, shared_case: Case) -> None:
    Case.objects.filter(pk=shared_case.pk).update(risk_level="high")
    response = alice("get", f"/cases/{shared_case.pk}/risk")
    assert response.status_code == 200
    assert response.json()["level"] == "high"


def test_an_offender_management_system_sees_only_its_teams_cases(
    make_caller: Callable[..., Caller], police_agency: Agency, coordinator: User
) -> None:
    team = TeamFactory(agency=police_agency, name="Offender management")
    other = TeamFactory(agency=police_agency, name="Elsewhere")
    manager = UserFactory(role=Role.OFFENDER_MANAGER, agency=police_agency, team=team)
    stranger = UserFactory(role=Role.OFFENDER_MANAGER, agency=police_agency, team=other)
    ours = make_case(by=coordinator, officer=manager)
    theirs = make_case(by=coordinator, officer=stranger)
    oms = make_caller(ClientKind.OFFENDER_MANAGEMENT, police_agency, team=team)
    assert oms("get", f"/cases/{ours.pk}").status_code == 200
    assert oms("get", f"/cases/{theirs.pk}").status_code == 404


# --- ETag / If-Match ----------------------------------------------------------------------------


def _action(case: Case, by: User) -> str:
    action = case_services.action_add(
        case=case, title="Visit the victim", owner=None, due_on=datetime.date(2026, 12, 5), by=by
    )
    return str(action.pk)


def test_an_update_with_the_etag_read_is_made(
    coordination: Caller, shared_case: Case, coordinator: User
) -> None:
    path = f"/cases/{shared_case.pk}/actions/{_action(shared_case, coordinator)}"
    etag = coordination("get", path)["ETag"]
    response = coordination("patch", path, {"status": "done"}, if_match=etag)
    assert response.status_code == 200
    assert response.json()["status"] == ActionStatus.DONE
    assert response["ETag"] != etag


def test_an_update_with_a_stale_etag_is_refused_with_412(
    coordination: Caller, shared_case: Case, coordinator: User
) -> None:
    path = f"/cases/{shared_case.pk}/actions/{_action(shared_case, coordinator)}"
    etag = coordination("get", path)["ETag"]
    assert coordination("patch", path, {"status": "done"}, if_match=etag).status_code == 200
    second = coordination("patch", path, {"status": "cancelled"}, if_match=etag)
    assert second.status_code == 412
    assert second["Content-Type"] == "application/problem+json"
    assert coordination("get", path).json()["status"] == ActionStatus.DONE


def test_an_update_without_if_match_is_refused_with_428(
    coordination: Caller, shared_case: Case, coordinator: User
) -> None:
    path = f"/cases/{shared_case.pk}/actions/{_action(shared_case, coordinator)}"
    assert coordination("patch", path, {"status": "done"}).status_code == 428
    assert coordination("get", path).json()["status"] == ActionStatus.OPEN


# --- link candidates ----------------------------------------------------------------------------


def test_link_candidates_are_for_the_coordination_system(
    coordination: Caller, alice: Caller, shared_case: Case
) -> None:
    assert coordination("get", f"/cases/{shared_case.pk}/link-candidates").status_code == 200
    refused = alice("get", f"/cases/{shared_case.pk}/link-candidates")
    assert refused.status_code == 403


def test_link_candidates_find_the_same_suspect_on_another_case(
    coordination: Caller, shared_case: Case, coordinator: User
) -> None:
    make_case(by=coordinator)  # the same suspect's phone number, reported again
    response = coordination("get", f"/cases/{shared_case.pk}/link-candidates")
    results = response.json()["results"]
    assert results
    assert all(r["percent"] < 100 for r in results)
    assert any(r["shares_an_identifier"] for r in results)


def test_a_part_not_shared_is_absent_from_the_api_and_comes_when_shared(
    alice: Caller, shared_case: Case, coordinator: User
) -> None:
    from vigil.sharing import services as sharing_services
    from vigil.sharing.parts import SUMMARY
    from vigil.sharing.tests.factories import refer_and_accept

    assert "risk_level" in alice("get", f"/cases/{shared_case.pk}").json()
    assert alice("get", f"/cases/{shared_case.pk}/risk").status_code == 200
    referral = shared_case.referrals.get()
    sharing_services.referral_end(referral=referral, status="closed", reason="Done", by=coordinator)
    # Ended: the case is gone from the partner's system on the next request.
    assert alice("get", f"/cases/{shared_case.pk}").status_code == 404
    refer_and_accept(case=shared_case, agency=referral.agency, by=coordinator, parts=[SUMMARY])
    answer = alice("get", f"/cases/{shared_case.pk}").json()
    assert "risk_level" not in answer and answer["status"] == "open"
    assert alice("get", f"/cases/{shared_case.pk}/risk").status_code == 404


def test_a_partners_timeline_holds_only_what_its_agency_added(
    alice: Caller, shared_case: Case
) -> None:
    from vigil.sharing import services as sharing_services

    referral = shared_case.referrals.get()
    partner = referral.acknowledged_by
    assert partner is not None
    sharing_services.partner_update_add(
        referral=referral, kind="update", body="Met her today", by=partner
    )
    entries = alice("get", f"/cases/{shared_case.pk}/timeline").json()["results"]
    assert [e["detail"] for e in entries] == ["Met her today"]

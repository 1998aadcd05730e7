from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from vigil.accounts.models import Role
from vigil.cases import closing, services
from vigil.cases.models import ActionStatus, DutyKind, VictimsCodeDuty
from vigil.cases.tests.factories import close_case, form_state, make_case
from vigil.sharing.tests.factories import refer_and_accept

pytestmark = pytest.mark.django_db

THURSDAY_BEFORE_EASTER = datetime.datetime(2026, 4, 2, 10, 0, tzinfo=datetime.UTC)


@time_machine.travel(THURSDAY_BEFORE_EASTER)
def test_a_key_decision_must_be_told_in_one_working_day_with_enhanced_rights(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    close_case(case, by=client.user)  # type: ignore[attr-defined]
    duty = case.duties.get(kind=DutyKind.KEY_DECISION)
    assert duty.due_on == datetime.date(2026, 4, 7)  # Friday and Monday are bank holidays


@time_machine.travel(THURSDAY_BEFORE_EASTER)
def test_a_key_decision_without_enhanced_rights_has_five_working_days(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    services.case_enhanced_rights_set(case=case, enhanced=False, by=client.user)  # type: ignore[attr-defined]
    close_case(case, by=client.user)  # type: ignore[attr-defined]
    assert case.duties.get(kind=DutyKind.KEY_DECISION).due_on == datetime.date(2026, 4, 13)


def test_an_overdue_duty_shows_on_the_overdue_list(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.SUPERVISOR)
    with time_machine.travel(THURSDAY_BEFORE_EASTER):
        case = make_case(by=client.user)  # type: ignore[attr-defined]
    with time_machine.travel(datetime.datetime(2026, 4, 9, 10, 0, tzinfo=datetime.UTC)):
        page = client.get(reverse("cases:overdue")).content.decode()
        duties = client.get(reverse("cases:duties", args=[case.pk])).content.decode()
    assert case.reference in page
    assert "Offer a referral to support services" in page
    assert "Overdue" in duties


def test_marking_an_update_done_schedules_the_next_in_28_days(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    update = case.duties.get(kind=DutyKind.UPDATE)
    client.post(
        reverse("cases:duty_done", args=[case.pk, update.pk]),
        {
            "told_how": "phone",
            "told_on_0": str(timezone.localdate().day),
            "told_on_1": str(timezone.localdate().month),
            "told_on_2": str(timezone.localdate().year),
        },
    )
    update.refresh_from_db()
    assert update.done_at is not None
    upcoming = VictimsCodeDuty.objects.get(case=case, kind=DutyKind.UPDATE, done_at__isnull=True)
    assert (upcoming.due_on - update.done_at.date()).days == 28


def test_a_victim_told_this_morning_with_no_time_given_is_recorded_as_told(
    staff_client: Callable[..., Client],
) -> None:
    """A date alone is stored at midday; before midday that moment has not come yet, and the
    officer was refused with 'must be now or in the past'."""
    morning = datetime.datetime(2026, 12, 2, 0, 30, tzinfo=datetime.UTC)
    with time_machine.travel(morning, tick=False):
        client = staff_client(Role.COORDINATOR)
        case = make_case(by=client.user)  # type: ignore[attr-defined]
        update = case.duties.get(kind=DutyKind.UPDATE)
        response = client.post(
            reverse("cases:duty_done", args=[case.pk, update.pk]),
            {"told_how": "phone", "told_on_0": "2", "told_on_1": "12", "told_on_2": "2026"},
        )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.done_at is not None
    assert update.told_at == morning and update.told_time_known is False


def test_the_stalking_checklist_adds_its_actions_once(staff_client: Callable[..., Client]) -> None:
    from vigil.cases.models import ChecklistTemplate

    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    template = ChecklistTemplate.objects.get(code="stalking")
    url = reverse("cases:actions", args=[case.pk])
    client.post(url, {"template": str(template.pk)})
    client.post(url, {"template": str(template.pk)})
    titles = list(case.actions.values_list("title", flat=True))
    assert len(titles) == template.items.count()
    assert any("Stalking Protection Order" in t for t in titles)


def test_overdue_actions_are_counted_per_officer_and_team(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.SUPERVISOR)
    officer = client.user  # type: ignore[attr-defined]
    case = make_case(by=officer)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    services.action_add(case=case, title="Get CCTV", owner=officer, due_on=yesterday, by=officer)
    page = client.get(reverse("cases:overdue")).content.decode()
    assert "Get CCTV" in page
    # Generated names can hold an apostrophe ("O'Sullivan"), which the page escapes.
    assert escape(officer.full_name) in page
    assert escape(officer.team.name) in page


def test_marking_an_action_done_removes_it_from_open_actions(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    action = services.action_add(
        case=case,
        title="Interview",
        owner=None,
        due_on=None,
        by=client.user,  # type: ignore[attr-defined]
    )
    client.post(reverse("cases:action_status", args=[case.pk, action.pk]), {"status": "done"})
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_closing_needs_a_reason_and_reopening_records_one(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    response = client.post(reverse("cases:close", args=[case.pk]), {"outcome": "nfa"})
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == "open"
    carry = {
        item.field_name: "Carried over: the victim is still being supported by advocacy."
        for item in closing.open_items(case=case)
    }
    client.post(
        reverse("cases:close", args=[case.pk]),
        {
            "outcome": "nfa",
            "reason": "No evidence",
            **carry,
            **form_state(client, reverse("cases:close", args=[case.pk])),
        },
    )
    case.refresh_from_db()
    assert case.status == "closed"
    assert case.outcome_reason == "No evidence"
    client.post(
        reverse("cases:reopen", args=[case.pk]),
        {
            "reason": "New incident reported",
            **form_state(client, reverse("cases:reopen", args=[case.pk])),
        },
    )
    case.refresh_from_db()
    assert case.status == "open"
    timeline = client.get(reverse("cases:timeline", args=[case.pk])).content.decode()
    assert "New incident reported" in timeline
    assert "Case closed: No further action" in timeline


def test_staff_notes_are_not_shown_to_a_partner(
    staff_client: Callable[..., Client],
) -> None:
    coordinator = staff_client(Role.COORDINATOR)
    partner = staff_client(Role.PARTNER)
    case = make_case(by=coordinator.user)  # type: ignore[attr-defined]
    refer_and_accept(
        case=case,
        agency=partner.user.agency,  # type: ignore[attr-defined]
        by=coordinator.user,  # type: ignore[attr-defined]
        partner=partner.user,  # type: ignore[attr-defined]
    )
    services.note_add(case=case, body="Private thought", by=coordinator.user)  # type: ignore[attr-defined]
    assert partner.get(reverse("cases:notes", args=[case.pk])).status_code == 404
    timeline = partner.get(reverse("cases:timeline", args=[case.pk])).content.decode()
    assert "Private thought" not in timeline

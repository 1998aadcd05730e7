"""The Stalking Protection Order's life, with frozen time: notification deadlines, the full
order's minimum term, the interim order's end, breaches and who is told."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in_verified
from vigil.accounts.models import Role, User
from vigil.audit.models import AuditEvent
from vigil.cases.models import (
    ActionStatus,
    AttentionItem,
    AttentionKind,
    Case,
    CaseAction,
    CasePerson,
    ContactChannel,
    DutyKind,
    Incident,
    TimelineEntry,
    VictimsCodeDuty,
)
from vigil.cases.services import duty_complete
from vigil.cases.tests.factories import suspect_of, victim_of
from vigil.contact.services import safe_contact_update
from vigil.notifications.models import OutboxMessage, OutboxStatus
from vigil.notifications.services import outbox_deliver, outbox_retry
from vigil.notifications.tests.test_outbox import BROKEN
from vigil.offenders import services
from vigil.offenders.deadlines import notification_due_on
from vigil.offenders.models import (
    MarkerKind,
    NotificationDue,
    NotificationKind,
    Stage,
    StalkingProtectionOrder,
    StepKind,
    WarningMarker,
)
from vigil.offenders.tests.helpers import Pair, applied_order, linked_cases
from vigil.reporting.models import Report, ReporterType, ReportMessage

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def people(make_staff: Callable[..., User]) -> dict[str, User]:
    return {
        "handler": make_staff(Role.CALL_HANDLER),
        "ivy": make_staff(Role.INVESTIGATOR, team=None),
        "oscar": make_staff(Role.INVESTIGATOR, team=None),
        "om": make_staff(Role.OFFENDER_MANAGER, team=None, email="om@police.example"),
        "coord": make_staff(Role.COORDINATOR),
    }


@pytest.fixture
def pair(people: dict[str, User]) -> Pair:
    """Two cases whose suspects are one person, each with its own officer."""
    return linked_cases(
        handler=people["handler"],
        officer=people["ivy"],
        other_officer=people["oscar"],
        by=people["coord"],
    )


@pytest.fixture
def order(people: dict[str, User], pair: Pair) -> StalkingProtectionOrder:
    """An order the coordinator applied for, so it protects both cases."""
    return applied_order(case=pair.first, by=people["coord"])


def _interim(order: StalkingProtectionOrder, by: User) -> None:
    """The court makes an interim order today: a decision the victim is told of."""
    services.spo_interim(order=order, made_on=datetime.date.today(), by=by)


def _served(order: StalkingProtectionOrder, by: User, on: datetime.date) -> NotificationDue:
    """An interim order made and served on the day `on`: the notification is due from then."""
    services.spo_interim(order=order, made_on=on, by=by)
    return services.spo_serve(order=order, served_on=on, by=by)


def _full(
    order: StalkingProtectionOrder,
    by: User,
    made_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> None:
    """A full order made on `made_on`, to its end date or (none given) until further order."""
    services.spo_full(
        order=order,
        made_on=made_on,
        ends_on=ends_on,
        until_further_order=ends_on is None,
        by=by,
    )


# --- deadlines ------------------------------------------------------------------------------


def test_notification_is_due_on_the_third_day_counting_the_day_of_service() -> None:
    assert notification_due_on(datetime.date(2026, 12, 1)) == datetime.date(2026, 12, 3)


def test_service_on_a_friday_before_a_bank_holiday_monday_is_due_by_the_end_of_sunday() -> None:
    # Friday 22 May 2026; Monday 25 May is the spring bank holiday: calendar days, not working.
    assert notification_due_on(datetime.date(2026, 5, 22)) == datetime.date(2026, 5, 24)


def test_a_notification_on_sunday_after_friday_service_is_in_time_and_monday_is_late(
    people: dict[str, User], order: StalkingProtectionOrder
) -> None:
    with time_machine.travel(datetime.datetime(2026, 5, 22, 10, tzinfo=LONDON), tick=False):
        due = _served(order, people["coord"], datetime.date(2026, 5, 22))
    assert due.due_on == datetime.date(2026, 5, 24)
    assert not due.is_overdue(datetime.date(2026, 5, 24))
    assert due.is_overdue(datetime.date(2026, 5, 25))


# --- overdue alert, once ------------------------------------------------------------------


def test_an_overdue_notification_alerts_the_offender_manager_once_and_marks_the_cases(
    people: dict[str, User], order: StalkingProtectionOrder
) -> None:
    with time_machine.travel(datetime.datetime(2026, 5, 22, 10, tzinfo=LONDON), tick=False):
        services.offender_update(
            offender=order.offender,
            by=people["coord"],
            manager=people["om"],
            plan="",
            bail_conditions="",
        )
        _served(order, people["coord"], datetime.date(2026, 5, 22))
    with time_machine.travel(datetime.datetime(2026, 5, 24, 23, 30, tzinfo=LONDON), tick=False):
        assert services.offenders_sweep()["alerted"] == 0  # Sunday night: still in time
    with time_machine.travel(datetime.datetime(2026, 5, 25, 0, 5, tzinfo=LONDON), tick=False):
        assert services.offenders_sweep()["alerted"] == 1
        assert services.offenders_sweep()["alerted"] == 0
    with time_machine.travel(datetime.datetime(2026, 5, 26, 9, tzinfo=LONDON), tick=False):
        assert services.offenders_sweep()["alerted"] == 0
    alerts = OutboxMessage.objects.filter(purpose="offenders.notification_overdue")
    assert [m.recipient for m in alerts] == ["om@police.example"]
    assert order.steps.filter(kind=StepKind.NOTIFY_OVERDUE).count() == 1
    for case in order.protected_cases.all():
        assert (
            TimelineEntry.objects.filter(
                case=case, title__contains="Notification overdue: possible offence"
            ).count()
            == 1
        )


def test_a_notification_received_in_time_raises_no_alert(
    people: dict[str, User], order: StalkingProtectionOrder
) -> None:
    with time_machine.travel(datetime.datetime(2026, 5, 22, 10, tzinfo=LONDON), tick=False):
        _served(order, people["coord"], datetime.date(2026, 5, 22))
    with time_machine.travel(datetime.datetime(2026, 5, 24, 12, tzinfo=LONDON), tick=False):
        services.notification_record(
            order=order,
            kind=NotificationKind.FIRST,
            received_on=datetime.date(2026, 5, 24),
            details="Mallory Sample, 1 High Street",
            by=people["coord"],
        )
    with time_machine.travel(datetime.datetime(2026, 5, 26, 9, tzinfo=LONDON), tick=False):
        assert services.offenders_sweep()["alerted"] == 0


def test_a_change_notified_after_three_days_is_recorded_as_late(
    people: dict[str, User], order: StalkingProtectionOrder
) -> None:
    today = datetime.date.today()
    _served(order, people["coord"], today)
    due = services.notification_record(
        order=order,
        kind=NotificationKind.CHANGE,
        changed_on=today - datetime.timedelta(days=5),
        received_on=today,
        details="New address: 2 Low Road",
        by=people["coord"],
    )
    assert due.due_on == today - datetime.timedelta(days=3)
    assert "Late" in order.steps.filter(kind=StepKind.NOTIFIED).get().note


# --- the full order's term, and the interim order's end --------------------------------------


def test_a_full_order_shorter_than_two_years_is_refused(
    people: dict[str, User], order: StalkingProtectionOrder
) -> None:
    made = datetime.date(2026, 6, 1)
    with pytest.raises(services.OrderError, match="at least 2 years"):
        _full(order, people["coord"], made, datetime.date(2028, 5, 31))
    order.refresh_from_db()
    assert order.stage == Stage.APPLIED


def test_a_full_order_of_exactly_two_years_or_until_further_order_is_made(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder
) -> None:
    _full(order, people["coord"], datetime.date(2026, 6, 1), datetime.date(2028, 6, 1))
    assert order.stage == Stage.FULL
    other = applied_order(case=pair.second, by=people["coord"])
    _full(other, people["coord"], datetime.date(2026, 6, 1))
    other.refresh_from_db()
    assert other.until_further_order and other.ends_on is None


def test_the_interim_order_ends_when_the_full_order_is_decided(
    people: dict[str, User], order: StalkingProtectionOrder
) -> None:
    services.spo_interim(order=order, made_on=datetime.date(2026, 6, 1), by=people["coord"])
    _full(order, people["coord"], datetime.date(2026, 7, 1))
    order.refresh_from_db()
    assert order.interim_ended_on == datetime.date(2026, 7, 1)
    assert order.steps.filter(kind=StepKind.INTERIM_ENDED, on=datetime.date(2026, 7, 1)).exists()


def test_the_interim_order_ends_when_the_application_is_refused(
    people: dict[str, User], order: StalkingProtectionOrder
) -> None:
    services.spo_interim(order=order, made_on=datetime.date(2026, 6, 1), by=people["coord"])
    services.spo_refuse(order=order, on=datetime.date(2026, 7, 1), note="", by=people["coord"])
    order.refresh_from_db()
    assert order.stage == Stage.REFUSED
    assert order.interim_ended_on == datetime.date(2026, 7, 1)


def test_a_step_out_of_turn_is_refused(people: dict[str, User], pair: Pair) -> None:
    order = services.spo_consider(
        case=pair.first, suspect=suspect_of(pair.first), pursue=True, reasons="", by=people["coord"]
    )
    with pytest.raises(services.OrderError):
        services.spo_interim(order=order, made_on=datetime.date(2026, 6, 1), by=people["coord"])


def test_a_full_order_past_its_end_expires_in_the_sweep(
    people: dict[str, User], order: StalkingProtectionOrder
) -> None:
    _full(order, people["coord"], datetime.date(2026, 6, 1), datetime.date(2028, 6, 1))
    with time_machine.travel(datetime.datetime(2028, 6, 2, 9, tzinfo=LONDON), tick=False):
        assert services.offenders_sweep()["expired"] == 1
        assert services.offenders_sweep()["expired"] == 0
    order.refresh_from_db()
    assert order.stage == Stage.EXPIRED


# --- considered, not pursued ----------------------------------------------------------------


def test_not_pursuing_an_order_needs_reasons_and_they_show_on_the_order(
    people: dict[str, User], pair: Pair
) -> None:
    with pytest.raises(services.OrderError):
        services.spo_consider(
            case=pair.first,
            suspect=suspect_of(pair.first),
            pursue=False,
            reasons=" ",
            by=people["ivy"],
        )
    order = services.spo_consider(
        case=pair.first,
        suspect=suspect_of(pair.first),
        pursue=False,
        reasons="Victim asked us not to.",
        by=people["ivy"],
    )
    assert order.stage == Stage.NOT_PURSUED
    assert order.not_pursued_reason == "Victim asked us not to."


def test_an_order_protects_every_case_of_the_person_the_officer_reaches(
    people: dict[str, User], pair: Pair
) -> None:
    by_coordinator = applied_order(case=pair.first, by=people["coord"])
    assert set(by_coordinator.protected_cases.all()) == {pair.first, pair.second}
    by_ivy = services.spo_consider(
        case=pair.first, suspect=suspect_of(pair.first), pursue=True, reasons="", by=people["ivy"]
    )
    assert list(by_ivy.protected_cases.all()) == [pair.first]
    assert by_ivy.offender == by_coordinator.offender  # one person, one offender record


# --- breach ---------------------------------------------------------------------------------


def test_a_breach_is_an_incident_on_each_protected_case_with_an_arrest_action(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder
) -> None:
    _interim(order, people["coord"])
    condition = order.conditions.get()
    breach = services.breach_record(
        order=order,
        occurred_at=datetime.datetime.now(tz=LONDON) - datetime.timedelta(hours=2),
        condition=condition,
        summary="Phoned her twice.",
        evidence="Call log screenshot",
        by=people["coord"],
    )
    for case in (pair.first, pair.second):
        incident = Incident.objects.get(case=case, pk__in=breach.incidents.all())
        assert "Phoned her twice." in incident.summary
        assert incident.suspect is not None and incident.suspect.name == "Mallory Sample"
        assert CaseAction.objects.filter(
            case=case, title__startswith="Consider arrest and charge", owner=case.officer
        ).exists()
    assert WarningMarker.objects.filter(
        offender=order.offender, kind=MarkerKind.BREACH_HISTORY
    ).exists()
    assert AuditEvent.objects.filter(action="offenders.order.breach").exists()


def test_a_breach_needs_an_order_in_force(
    people: dict[str, User], order: StalkingProtectionOrder
) -> None:
    with pytest.raises(services.OrderError):
        services.breach_record(
            order=order,
            occurred_at=datetime.datetime.now(tz=LONDON),
            condition=None,
            summary="Phoned her.",
            evidence="",
            by=people["coord"],
        )
    assert not Incident.objects.filter(summary__contains="Phoned her.").exists()


# --- the victim is told --------------------------------------------------------------------


def test_an_order_decision_is_a_victims_code_duty_and_a_message_on_track_my_report(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder
) -> None:
    _interim(order, people["coord"])
    for case in (pair.first, pair.second):
        duty = VictimsCodeDuty.objects.filter(
            case=case, kind=DutyKind.KEY_DECISION, description__contains="Stalking Protection"
        ).get()
        assert duty.done_at is not None  # told on "track my report" at once
        message = ReportMessage.objects.filter(report=case.triages.get().report).last()
        assert message is not None and "interim order to protect you" in message.body
        assert "Mallory" not in message.body


def _as_if_reported_by_phone(case: Case) -> CasePerson:
    """The victim of a case that came from a phone call: no online report to message her on."""
    victim = victim_of(case)
    CasePerson.objects.filter(pk=victim.pk).update(report=None)
    victim.refresh_from_db()
    return victim


def _wishes(victim: CasePerson, **changes: object) -> None:
    """The victim changes how we may contact her (as on "track my report")."""
    assert victim.contact is not None
    safe_contact_update(
        record=victim.contact, prefs=victim.contact_prefs.but(**changes), by=None, source="test"
    )


def _messages_to(victim: CasePerson) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(purpose="case.victim_message", contact=victim.contact))


def _order_duty(case: Case) -> VictimsCodeDuty:
    return VictimsCodeDuty.objects.get(
        case=case, kind=DutyKind.KEY_DECISION, description__contains="Stalking Protection"
    )


def _texted_victim(pair: Pair, **wishes: object) -> CasePerson:
    """The first case's victim, reported by phone, who may be texted and told it is us."""
    victim = _as_if_reported_by_phone(pair.first)
    _wishes(victim, channels=("text",), can_say_police=True, **wishes)
    return victim


def test_a_victim_who_did_not_report_online_is_told_by_the_safe_channel_she_chose(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder
) -> None:
    victim = _as_if_reported_by_phone(pair.first)
    _wishes(victim, can_say_police=True)
    _interim(order, people["coord"])
    [email] = _messages_to(victim)
    assert email.channel == "email" and email.recipient == "ann@example.com"
    assert "interim order to protect you" in email.body
    assert "Mallory" not in email.body and "Mallory" not in email.subject
    assert _order_duty(pair.first).done_at is None  # queued is not told
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=7), tick=False):
        outbox_deliver(message_id=email.pk)
    email.refresh_from_db()
    duty = _order_duty(pair.first)
    assert duty.done_at is not None and duty.told_how == ContactChannel.EMAIL
    assert duty.told_at == email.sent_at  # when it was delivered, not when it was queued
    assert duty.told_at is not None and duty.told_at > email.created_at
    assert AuditEvent.objects.filter(action="case.duty.done", target_id=str(pair.first.pk))


def test_a_victim_whose_friend_reported_online_is_told_by_email_not_on_the_friends_report(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder
) -> None:
    report = pair.first.triages.get().report
    assert report is not None
    Report.objects.filter(pk=report.pk).update(reporter_type=ReporterType.ON_BEHALF)
    _wishes(victim_of(pair.first), can_say_police=True)
    _interim(order, people["coord"])
    # The friend reads that report, not the victim: nothing about the order goes there.
    assert not [m for m in ReportMessage.objects.filter(report=report) if "interim" in m.body]
    [email] = _messages_to(victim_of(pair.first))
    assert email.recipient == "ann@example.com"
    outbox_deliver(message_id=email.pk)
    assert _order_duty(pair.first).told_how == ContactChannel.EMAIL


def test_a_victim_whose_only_safe_way_is_text_is_told_by_text(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder
) -> None:
    victim = _texted_victim(pair)
    _interim(order, people["coord"])
    [text] = _messages_to(victim)
    assert text.channel == "sms"
    assert text.recipient.replace(" ", "").endswith("7700900123")
    assert "interim order to protect you" in text.body and "Mallory" not in text.body
    outbox_deliver(message_id=text.pk)
    duty = _order_duty(pair.first)
    assert duty.done_at is not None and duty.told_how == ContactChannel.TEXT


def test_a_victim_who_said_email_is_not_safe_is_texted_and_never_emailed(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder
) -> None:
    victim = _as_if_reported_by_phone(pair.first)
    _wishes(victim, channels=("phone", "text"), can_say_police=True)
    _interim(order, people["coord"])
    assert [m.channel for m in _messages_to(victim)] == ["sms"]


def test_a_text_waits_for_a_safe_hour_and_goes_then(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder
) -> None:
    victim = _texted_victim(pair, safe_from=datetime.time(9), safe_until=datetime.time(15))
    # A Monday evening, outside the hours she gave.
    with time_machine.travel(datetime.datetime(2026, 11, 23, 19, tzinfo=LONDON), tick=False):
        services.spo_interim(order=order, made_on=datetime.date(2026, 11, 23), by=people["coord"])
        [text] = _messages_to(victim)
        assert outbox_deliver(message_id=text.pk) is None  # not sent now
        assert _order_duty(pair.first).done_at is None  # waiting for her safe time
    sent_at = datetime.datetime(2026, 11, 24, 9, 5, tzinfo=LONDON)
    with time_machine.travel(sent_at, tick=False):
        outbox_deliver(message_id=text.pk)
    text.refresh_from_db()
    assert text.status == OutboxStatus.SENT
    # Told when the text went, the next morning, not the evening it was queued.
    duty = _order_duty(pair.first)
    assert duty.told_at == sent_at and duty.done_at == sent_at
    assert duty.told_how == ContactChannel.TEXT


def test_the_duties_page_says_a_message_is_waiting_to_be_sent_then_when_it_was_sent(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder
) -> None:
    victim = _texted_victim(pair, safe_from=datetime.time(9), safe_until=datetime.time(15))
    client = sign_in_verified(Client(), people["ivy"])
    page = reverse("cases:duties", args=[pair.first.pk])
    with time_machine.travel(datetime.datetime(2026, 11, 23, 19, tzinfo=LONDON), tick=False):
        services.spo_interim(order=order, made_on=datetime.date(2026, 11, 23), by=people["coord"])
        waiting = client.get(page).content.decode()
    assert "Waiting to be sent (text message), queued 23 Nov 2026 19:00" in waiting
    assert "To do" in waiting
    [text] = _messages_to(victim)
    with time_machine.travel(datetime.datetime(2026, 11, 24, 9, 5, tzinfo=LONDON), tick=False):
        outbox_deliver(message_id=text.pk)
        # Signed in afresh: a staff session does not last overnight.
        sent = sign_in_verified(Client(), people["ivy"]).get(page).content.decode()
    assert "Victim told by text message, 24 Nov 2026 09:05" in sent
    assert "Waiting to be sent" not in sent


def test_a_text_she_withdraws_before_it_goes_is_not_sent_and_the_officer_is_told(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder
) -> None:
    victim = _texted_victim(pair)
    _interim(order, people["coord"])
    [text] = _messages_to(victim)
    _wishes(victim, channels=("phone",))
    outbox_deliver(message_id=text.pk)
    text.refresh_from_db()
    assert text.status == OutboxStatus.WITHHELD
    assert AttentionItem.objects.filter(case=pair.first, kind=AttentionKind.WITHHELD).exists()
    # She was never told: the duty stays open, with the reason and a task to tell her.
    assert _order_duty(pair.first).done_at is None
    task = CaseAction.objects.get(case=pair.first, title__contains="did not reach the victim")
    assert task.owner == people["ivy"] and "Mallory" not in task.title and "Ann" not in task.title
    assert _order_duty(pair.first).task == task
    assert TimelineEntry.objects.filter(
        case=pair.first, title__contains="not done: the victim was not told"
    ).exists()


def _order_email_fails(
    people: dict[str, User],
    pair: Pair,
    order: StalkingProtectionOrder,
    settings: object,
    channels: tuple[str, ...] = ("email",),
) -> OutboxMessage:
    """The victim's only message about the interim order, by email, fails for good."""
    settings.MAILERS = BROKEN  # type: ignore[attr-defined]
    settings.OUTBOX_MAX_ATTEMPTS = 1  # type: ignore[attr-defined]
    victim = _as_if_reported_by_phone(pair.first)
    _wishes(victim, channels=channels, can_say_police=True)
    _interim(order, people["coord"])
    [email] = _messages_to(victim)
    outbox_deliver(message_id=email.pk)
    email.refresh_from_db()
    return email


def test_a_message_that_never_gets_through_keeps_the_duty_open_with_a_task(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder, settings: object
) -> None:
    email = _order_email_fails(people, pair, order, settings)
    assert email.status == OutboxStatus.FAILED
    duty = _order_duty(pair.first)
    assert duty.done_at is None
    assert duty.task is not None and duty.task.owner == people["ivy"]
    assert "did not reach the victim" in duty.task.title
    assert TimelineEntry.objects.filter(
        case=pair.first, title__contains="could not be delivered"
    ).exists()
    assert AuditEvent.objects.filter(action="case.duty.not_told").exists()
    client = sign_in_verified(Client(), people["ivy"])
    page = client.get(reverse("cases:duties", args=[pair.first.pk])).content.decode()
    assert "Not sent (email): The message could not be delivered." in page
    assert "There is a task to tell the victim another way" in page


def test_a_failed_message_sent_again_and_delivered_closes_the_task_to_tell_her_another_way(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder, settings: object
) -> None:
    working_mailers = settings.MAILERS  # type: ignore[attr-defined]
    email = _order_email_fails(people, pair, order, settings)
    task = _order_duty(pair.first).task
    assert task is not None and task.status == ActionStatus.OPEN
    # An administrator mends the mail server and sends it again; this time it reaches her.
    settings.MAILERS = working_mailers  # type: ignore[attr-defined]
    outbox_retry(message=email, by=people["coord"])
    outbox_deliver(message_id=email.pk)
    duty = _order_duty(pair.first)
    assert duty.done_at is not None and duty.told_how == ContactChannel.EMAIL
    task.refresh_from_db()
    # Told after all: the officer is not left a task to phone her about news she has.
    assert task.status == ActionStatus.CANCELLED
    assert TimelineEntry.objects.filter(
        case=pair.first, title__contains="not needed", title__endswith=task.title
    ).exists()


def test_an_officer_who_tells_her_by_phone_and_marks_the_duty_done_has_done_the_task(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder, settings: object
) -> None:
    _order_email_fails(people, pair, order, settings, channels=("email", "phone"))
    duty = _order_duty(pair.first)
    assert duty.task is not None
    duty_complete(
        duty=duty, by=people["ivy"], told_how=ContactChannel.PHONE, told_at=timezone.now()
    )
    duty.task.refresh_from_db()
    assert duty.task.status == ActionStatus.DONE


def test_a_message_to_a_victim_who_did_not_say_we_may_name_ourselves_gives_nothing_away(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder
) -> None:
    victim = _as_if_reported_by_phone(pair.first)
    _wishes(victim, channels=("email", "text"), can_say_police=False)
    _interim(order, people["coord"])
    messages = _messages_to(victim)
    assert sorted(m.channel for m in messages) == ["email", "sms"]
    for message in messages:
        words = f"{message.subject} {message.body}".lower()
        for telling in ("order", "court", "police", "protect", "stalking", "mallory"):
            assert telling not in words
    # Nothing in them tells her the decision: the officer still has to.
    assert _order_duty(pair.first).done_at is None
    assert CaseAction.objects.filter(
        case=pair.first, title__contains="in a way they marked safe", owner=people["ivy"]
    ).exists()


def test_a_victim_on_her_report_is_told_there_and_only_asked_to_sign_in_by_email(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder
) -> None:
    victim = victim_of(pair.first)
    _interim(order, people["coord"])
    [email] = _messages_to(victim)
    assert "Sign in to your report" in email.body and "order" not in email.body
    assert _order_duty(pair.first).told_how == ContactChannel.ONLINE_REPORT


def test_a_victim_with_no_safe_way_to_be_messaged_keeps_the_duty_open_with_a_task_to_phone(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder
) -> None:
    victim = _as_if_reported_by_phone(pair.first)
    _wishes(victim, channels=("phone",))
    _interim(order, people["coord"])
    assert not _messages_to(victim)
    assert _order_duty(pair.first).done_at is None
    entry = TimelineEntry.objects.filter(
        case=pair.first, title__contains="could not be told of the order decision"
    ).get()
    assert "did not choose this way to be contacted" in entry.detail
    task = CaseAction.objects.get(case=pair.first, title__contains="Stalking Protection Order")
    assert "by phone" in task.title and task.owner == people["ivy"]


# --- Right to Know --------------------------------------------------------------------------


def test_right_to_know_needs_reasons_and_an_approver_other_than_the_officer(
    people: dict[str, User], pair: Pair, make_staff: Callable[..., User]
) -> None:
    order = applied_order(case=pair.first, by=people["ivy"])
    with pytest.raises(services.OrderError):
        services.right_to_know_record(
            offender=order.offender,
            case=pair.first,
            decision="tell",
            reasons="Safe to tell.",
            approved_by=people["ivy"],
            by=people["ivy"],
        )
    record = services.right_to_know_record(
        offender=order.offender,
        case=pair.first,
        decision="tell",
        reasons="Safe to tell.",
        approved_by=make_staff(Role.SUPERVISOR),
        by=people["ivy"],
    )
    assert record.reasons == "Safe to tell."
    assert AuditEvent.objects.filter(action="offenders.right_to_know").exists()


def test_a_variation_ends_the_conditions_the_court_removed(
    people: dict[str, User], order: StalkingProtectionOrder
) -> None:
    services.spo_interim(order=order, made_on=datetime.date(2026, 6, 1), by=people["coord"])
    condition = order.conditions.get()
    services.spo_change(
        order=order,
        kind=StepKind.VARIED,
        on=datetime.date(2026, 6, 10),
        note="Contact through solicitors allowed.",
        ended_conditions=[condition],
        by=people["coord"],
    )
    condition.refresh_from_db()
    assert condition.ended_on == datetime.date(2026, 6, 10)
    assert order.steps.filter(kind=StepKind.VARIED).exists()


def test_a_court_document_is_kept_encrypted_with_the_lead_cases_evidence(
    people: dict[str, User], pair: Pair, order: StalkingProtectionOrder
) -> None:
    import hashlib
    from pathlib import Path

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = b"%PDF-1.4 interim order sealed by the court"
    services.spo_interim(
        order=order,
        made_on=datetime.date(2026, 6, 1),
        by=people["coord"],
        document=SimpleUploadedFile("order.pdf", content, content_type="application/pdf"),
    )
    step = order.steps.get(kind=StepKind.INTERIM)
    assert step.document is not None
    assert step.document.case == pair.first
    assert step.document.sha256 == hashlib.sha256(content).hexdigest()
    stored = (Path(settings.MEDIA_ROOT) / step.document.stored_path).read_bytes()
    assert content not in stored


def test_the_sweep_command_runs_once_and_says_what_it_did(
    people: dict[str, User], order: StalkingProtectionOrder
) -> None:
    from io import StringIO

    from django.core.management import call_command

    with time_machine.travel(datetime.datetime(2026, 5, 22, 10, tzinfo=LONDON), tick=False):
        _served(order, people["coord"], datetime.date(2026, 5, 22))
    with time_machine.travel(datetime.datetime(2026, 5, 25, 9, tzinfo=LONDON), tick=False):
        out = StringIO()
        call_command("offenders_sweep", stdout=out)
        assert "alerted: 1" in out.getvalue()
        out = StringIO()
        call_command("offenders_sweep", stdout=out)
        assert out.getvalue() == ""

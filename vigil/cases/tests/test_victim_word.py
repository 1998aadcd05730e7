"""Issue 15, points 1-3: the victim's word reaches the case.

Each test drives both sides as people do: the victim on "track my report", staff on the case.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role
from vigil.cases.models import (
    AttentionItem,
    Case,
    Evidence,
    Incident,
    IncidentSource,
    RiskLevel,
    TimelineEntry,
)
from vigil.cases.tests.factories import form_state, make_case, victim_of
from vigil.notifications.models import OutboxMessage
from vigil.reporting.references import hash_tracking_secret, new_reference
from vigil.reporting.tests.journey import named, png_bytes, post

pytestmark = pytest.mark.django_db

SECRET = "ACDE-FGHJ-KMNP-QRTU"
PLAIN = {"voicemail_ok": "no", "can_say_police": "no", "others_may_read": "no"}


def _case(officer_client: Client, channels: list[str], **prefs: object) -> Case:
    return make_case(
        by=officer_client.user,  # type: ignore[attr-defined]
        officer=officer_client.user,  # type: ignore[attr-defined]
        safe_contact={"channels": channels, **prefs},
        tracking_secret_hash=hash_tracking_secret(SECRET),
        reference=new_reference(),
    )


def _victim(case: Case) -> Client:
    """The victim, signed in to "track my report" for the case's online report."""
    client = Client()
    report = victim_of(case).report
    assert report is not None
    post(client, "/report/track/", {"reference": report.reference, "secret": SECRET})
    return client


def _message_by(officer: Client, case: Case, channel: str, body: str = "Update") -> str:
    response = officer.post(
        reverse("cases:contact", args=[case.pk]),
        {
            "form": "message",
            "message-victim": str(victim_of(case).pk),
            "message-channel": channel,
            "message-body": body,
        },
    )
    return response.content.decode()


# --- 1. one live record ---------------------------------------------------------------------


def test_email_removed_on_track_my_report_is_refused_on_the_case_naming_her_wishes(
    staff_client: Callable[..., Client],
) -> None:
    officer = staff_client(Role.INVESTIGATOR)
    case = _case(officer, ["phone", "email"])
    post(_victim(case), "/report/track/contact/", {"channels": ["phone"], **PLAIN})

    page = _message_by(officer, case, "email")

    assert "The victim did not choose this way to be contacted." in page
    assert "Their wishes now: only by phone call." in page
    assert not OutboxMessage.objects.filter(purpose="case.victim_message").exists()
    banner = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "only by phone call." in banner


def test_the_report_and_the_case_read_one_record(staff_client: Callable[..., Client]) -> None:
    officer = staff_client(Role.INVESTIGATOR)
    case = _case(officer, ["email"])
    victim = victim_of(case)
    assert victim.report is not None
    assert victim.contact_id == victim.report.contact_id


def test_a_change_by_the_victim_is_a_timeline_entry_saying_what_changed(
    staff_client: Callable[..., Client],
) -> None:
    officer = staff_client(Role.INVESTIGATOR)
    case = _case(officer, ["phone", "email"])
    post(_victim(case), "/report/track/contact/", {"channels": ["phone"], **PLAIN})
    entry = TimelineEntry.objects.get(case=case, title__startswith="The victim changed how")
    assert "safe ways" in entry.title
    assert "only by phone call" in entry.detail


def test_a_victim_writing_in_welsh_lands_on_the_case_in_the_forces_language(
    staff_client: Callable[..., Client],
) -> None:
    """Her pages are in Welsh; the officer's timeline, list and email are not."""
    officer = staff_client(Role.INVESTIGATOR)
    case = _case(officer, ["phone", "email"])
    victim = _victim(case)
    victim.cookies["vigil_language"] = "cy"
    post(victim, "/report/track/contact/", {"channels": ["phone"], **PLAIN})
    post(victim, "/report/track/report/", {"body": "Roedd e tu allan i'r gwaith"})

    contact = TimelineEntry.objects.get(case=case, title__startswith="The victim changed how")
    assert "safe ways" in contact.title
    assert "only by phone call" in contact.detail
    assert TimelineEntry.objects.filter(case=case, title__contains="sent a message").exists()
    prompts = set(AttentionItem.objects.filter(case=case).values_list("prompt", flat=True))
    assert "Check the new safe-contact wishes before any contact" in prompts
    email = OutboxMessage.objects.filter(purpose="case.needs_attention").first()
    assert email is not None and email.subject.startswith("Case ")


def test_a_change_by_staff_shows_on_track_my_report(staff_client: Callable[..., Client]) -> None:
    officer = staff_client(Role.INVESTIGATOR)
    case = _case(officer, ["email"])
    url = reverse("cases:safe_contact", args=[case.pk, victim_of(case).pk])
    officer.post(
        url,
        {
            **form_state(officer, url),
            "channels": ["letter"],
            "others_may_read": "no",
            "can_say_police": "no",
        },
    )
    page = _victim(case).get("/report/track/contact/").content.decode()
    checked = re.findall(r'<input[^>]*value="(\w+)"[^>]*checked', page)
    assert "letter" in checked and "email" not in checked
    assert TimelineEntry.objects.filter(
        case=case, title__startswith="Safe contact changed"
    ).exists()


# --- 2. the staff form keeps every answer ---------------------------------------------------


def test_the_staff_form_shows_and_keeps_others_may_read_and_may_say_police(
    staff_client: Callable[..., Client],
) -> None:
    officer = staff_client(Role.INVESTIGATOR)
    case = _case(officer, ["email"], can_say_police=True, others_may_read=True)
    url = reverse("cases:safe_contact", args=[case.pk, victim_of(case).pk])
    form = officer.get(url).content.decode()
    assert 'name="others_may_read"' in form
    assert 'name="can_say_police"' in form

    officer.post(
        url,
        {
            **form_state(officer, url),
            "channels": ["email"],
            "others_may_read": "yes",
            "can_say_police": "yes",
        },
    )
    _message_by(officer, case, "email")

    # Someone else may read her email: it must not be signed with the force's name.
    assert OutboxMessage.objects.get(purpose="case.victim_message").subject == (
        "A message from The support team"
    )


def test_the_staff_form_refuses_a_save_without_the_two_answers(
    staff_client: Callable[..., Client],
) -> None:
    officer = staff_client(Role.INVESTIGATOR)
    case = _case(officer, ["email"], can_say_police=True, others_may_read=True)
    url = reverse("cases:safe_contact", args=[case.pk, victim_of(case).pk])
    page = officer.post(url, {"channels": ["email"]}).content.decode()
    assert "Select yes if someone else might read their messages" in page
    assert victim_of(case).contact_prefs.others_may_read is True


def test_free_text_safe_times_are_shown_beside_the_structured_answers(
    staff_client: Callable[..., Client],
) -> None:
    officer = staff_client(Role.INVESTIGATOR)
    case = _case(
        officer, ["phone"], safe_times="not when he is home", safe_from="09:00", safe_until="15:00"
    )
    page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "between 09:00 and 15:00" in page
    assert "In their words, not checked by the system:" in page
    assert "not when he is home" in page


# --- 3. the victim's follow-ups land on the case --------------------------------------------


def test_a_message_from_the_victim_is_on_the_timeline_the_list_and_emailed_without_detail(
    staff_client: Callable[..., Client],
) -> None:
    officer = staff_client(Role.INVESTIGATOR)
    case = _case(officer, ["email"])
    words = "He was outside my work, I am really scared"
    post(_victim(case), "/report/track/report/", {"body": words})

    entry = TimelineEntry.objects.get(case=case, title__contains="sent a message")
    assert entry.detail == words
    item = AttentionItem.objects.get(case=case)
    assert "reassess the risk" in item.prompt
    home = officer.get(reverse("accounts:home")).content.decode()
    assert "Needs attention" in home
    assert case.reference in home
    assert "New message from the victim" in home
    email = OutboxMessage.objects.get(purpose="case.needs_attention")
    assert email.recipient == officer.user.email  # type: ignore[attr-defined]
    assert case.reference in email.subject
    assert "outside my work" not in email.body and "Alice" not in email.body


def test_a_new_incident_from_the_victim_becomes_an_incident_on_the_case(
    staff_client: Callable[..., Client],
) -> None:
    officer = staff_client(Role.INVESTIGATOR)
    case = _case(officer, ["email"])
    before = Incident.objects.filter(case=case).count()
    post(
        _victim(case),
        "/report/track/incident/",
        {"date_0": "25", "date_1": "11", "date_2": "2026", "what_happened": "He sent flowers."},
    )
    added = Incident.objects.filter(case=case).order_by("-created_at").first()
    assert Incident.objects.filter(case=case).count() == before + 1
    assert added is not None and added.summary == "He sent flowers."
    assert added.source == IncidentSource.ONLINE_REPORT
    assert "Reassess the risk" in AttentionItem.objects.get(case=case).prompt


def test_evidence_from_the_victim_is_added_to_the_case(
    staff_client: Callable[..., Client],
) -> None:
    officer = staff_client(Role.INVESTIGATOR)
    case = _case(officer, ["email"])
    post(_victim(case), "/report/track/evidence/", {"files": named(png_bytes(), "car.png")})
    assert Evidence.objects.filter(case=case, report_evidence__isnull=False).count() == 1
    assert AttentionItem.objects.filter(case=case, kind="evidence").exists()


def test_a_withdrawal_on_a_high_risk_case_tells_the_officer_and_the_coordinator(
    staff_client: Callable[..., Client], make_staff: Callable[..., object]
) -> None:
    officer = staff_client(Role.INVESTIGATOR)
    coordinator = make_staff(Role.COORDINATOR)
    case = _case(officer, ["email"])
    Case.objects.filter(pk=case.pk).update(risk_level=RiskLevel.HIGH)
    post(
        _victim(case),
        "/report/track/withdraw/",
        {"confirm": "on", "reason": "He found out I reported"},
    )
    assert TimelineEntry.objects.filter(case=case, title__contains="no further").exists()
    told = set(
        OutboxMessage.objects.filter(purpose="case.needs_attention").values_list(
            "recipient", flat=True
        )
    )
    assert told == {officer.user.email, coordinator.email}  # type: ignore[attr-defined]
    assert "Reassess the risk" in AttentionItem.objects.get(case=case).prompt


def test_seen_takes_an_item_off_the_list_and_only_its_officer_can(
    staff_client: Callable[..., Client],
) -> None:
    officer = staff_client(Role.INVESTIGATOR)
    stranger = staff_client(Role.INVESTIGATOR)
    case = _case(officer, ["email"])
    post(_victim(case), "/report/track/report/", {"body": "Hello"})
    item = AttentionItem.objects.get(case=case)
    url = reverse("cases:attention_seen", args=[item.pk])
    assert stranger.post(url).status_code == 404
    assert officer.post(url).status_code == 302
    item.refresh_from_db()
    assert item.seen_at is not None
    assert (
        "Nothing new needs your attention."
        in officer.get(reverse("accounts:home")).content.decode()
    )


def test_a_follow_up_before_triage_changes_no_case() -> None:
    from vigil.cases.tests.factories import make_report
    from vigil.reporting.services import report_message_from_reporter

    report = make_report()
    report_message_from_reporter(report=report, body="Hello")
    assert not AttentionItem.objects.exists()
    assert len(mail.outbox) == 0


def test_safe_hours_the_victim_gives_online_are_enforced_on_the_case(
    staff_client: Callable[..., Client],
) -> None:
    import datetime

    officer = staff_client(Role.INVESTIGATOR)
    case = _case(officer, ["phone"])
    post(
        _victim(case),
        "/report/track/contact/",
        {
            "channels": ["phone", "text"],
            "safe_days": ["0", "1", "2", "3", "4"],
            "safe_from": "09:00",
            "safe_until": "15:00",
            "safe_times": "not when he is home",
            **PLAIN,
        },
    )
    prefs = victim_of(case).contact_prefs
    saturday = datetime.datetime(2026, 11, 28, 10, 0)
    assert not prefs.check(channel="phone", at=saturday).allowed
    assert prefs.safe_from == datetime.time(9, 0)
    banner = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "between 09:00 and 15:00" in banner
    assert "not when he is home" in banner


def test_the_victims_form_keeps_her_answers_when_one_time_is_missing(
    staff_client: Callable[..., Client],
) -> None:
    officer = staff_client(Role.INVESTIGATOR)
    case = _case(officer, ["phone"])
    response = _victim(case).post(
        "/report/track/contact/",
        {"channels": ["text"], "safe_from": "09:00", "safe_word": "bluebell", **PLAIN},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter both times, or leave both empty" in page
    assert 'value="bluebell"' in page
    assert victim_of(case).contact_prefs.channels == ("phone",)


def test_a_second_report_added_to_the_case_shares_the_victims_record(
    staff_client: Callable[..., Client],
) -> None:
    from vigil.cases import services
    from vigil.cases.models import PriorityGrade
    from vigil.cases.tests.factories import THRIVE, make_report

    officer = staff_client(Role.INVESTIGATOR)
    case = _case(officer, ["email"])
    later = make_report(safe_contact={"channels": ["letter"], "others_may_read": False})
    services.triage_record(
        by=officer.user,  # type: ignore[attr-defined]
        thrive=THRIVE,
        grade=PriorityGrade.objects.get(code="priority"),
        report=later,
        link_to=case,
    )
    later.refresh_from_db()
    victim = victim_of(case)
    assert later.contact_id == victim.contact_id
    assert victim.contact_prefs.channels == ("letter",)
    assert TimelineEntry.objects.filter(
        case=case, title__startswith=f"Safe contact taken from the newer report {later.reference}"
    ).exists()

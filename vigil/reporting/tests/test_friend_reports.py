"""Someone reporting for another person (issue 16, point 3): every question speaks to them about
"them"; they say whether the victim knows and whether contact is safe; they have their own
safe-contact record, and each sender uses the right record for the right person."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from vigil.accounts.models import Role
from vigil.cases import services as case_services
from vigil.cases.errors import ContactRefused
from vigil.cases.models import ContactChannel, ContactDirection
from vigil.cases.tests.factories import make_case, victim_of
from vigil.contact.contract import SafeContactPrefs, prefs_from_answers
from vigil.notifications.models import OutboxMessage, OutboxStatus
from vigil.notifications.services import outbox_enqueue
from vigil.reporting import services
from vigil.reporting.models import Report
from vigil.reporting.tests.journey import (
    AFTER_INCIDENTS,
    AFTER_SUSPECTS,
    INCIDENT,
    SUSPECT,
    post,
    send,
)

pytestmark = pytest.mark.django_db

FRIEND = {
    "name": "Bea Friend",
    "relationship": "Her friend",
    "email": "bea@example.org",
    "phone": "07700 900456",
}
FRIEND_CONTACT = {
    "channels": ["email"],
    "safe_times": "evenings",
    "voicemail_ok": "no",
    "can_say_police": "yes",
    "others_may_read": "no",
}
VICTIM_NAME = {
    "name": "Alice Example",
    "date_of_birth_0": "",
    "date_of_birth_1": "",
    "date_of_birth_2": "",
}
VICTIM_CONTACT = {
    "channels": ["phone"],
    "safe_times": "weekday mornings",
    "voicemail_ok": "no",
    "can_say_police": "no",
    "safe_word": "",
    "others_may_read": "yes",
}


def _start_as_friend(client: Client) -> None:
    post(client, "/report/", {"action": "start"})
    post(client, "/report/who/", {"reporter_type": "on_behalf"})
    post(client, "/report/your-details/", FRIEND)
    post(client, "/report/reporter-contact/", FRIEND_CONTACT)
    post(client, "/report/danger/", {"immediate_danger": "no"})
    post(client, "/report/victim-name/", VICTIM_NAME)
    post(client, "/report/victim-contact/", {"email": "alice@example.com", "phone": ""})
    post(client, "/report/victim-address/", {})


def _friend_report_until_check(
    client: Client, *, knows: str = "no", safe: str = "not_sure"
) -> None:
    _start_as_friend(client)
    post(client, "/report/victim-knows/", {"victim_knows": knows, "victim_contact_safe": safe})
    post(client, "/report/equality/", {})
    if knows == "yes" and safe == "yes":
        post(client, "/report/contact-channels/", {"channels": VICTIM_CONTACT["channels"]})
        post(client, "/report/contact-safety/", VICTIM_CONTACT)
    post(client, "/report/suspects/0/", SUSPECT)
    post(client, "/report/suspects/", {"add_another": "no"})
    for slug, data in AFTER_SUSPECTS:
        post(client, f"/report/{slug}/", data)
    post(client, "/report/incidents/0/", INCIDENT)
    post(client, "/report/incidents/", {"add_another": "no"})
    for slug, data in AFTER_INCIDENTS:
        post(client, f"/report/{slug}/", data)
    post(client, "/report/evidence/", {"action": "continue"})
    post(client, "/report/anything-else/", {"anything_else": ""})


def _friend_report(client: Client, *, knows: str = "no", safe: str = "not_sure") -> Report:
    _friend_report_until_check(client, knows=knows, safe=safe)
    response = send(client)
    assert response.status_code == 302, response.content[:2000]
    return Report.objects.get(reporter_type="on_behalf")


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# --- every page worded for "them" -------------------------------------------------------------


def test_every_question_speaks_to_the_reporter_about_them() -> None:
    client = Client()
    _start_as_friend(client)
    post(client, "/report/victim-knows/", {"victim_knows": "yes", "victim_contact_safe": "yes"})
    pages = {
        slug: _page(client, f"/report/{slug}/")
        for slug in ("equality", "contact-channels", "contact-safety", "behaviours", "impact")
    }
    assert "What is their gender?" in pages["equality"]
    assert "About them (optional)" in pages["equality"]
    assert "How is it safe for us to contact them?" in pages["contact-channels"]
    assert "do not contact them" in pages["contact-channels"]
    assert "When is it safe to contact them?" in pages["contact-safety"]
    assert "Might someone else read their messages" in pages["contact-safety"]
    assert "Following them" in pages["behaviours"]
    assert "How has this affected them?" in pages["impact"]
    assert "How it has affected them" in pages["impact"]
    for page in pages.values():
        for wrong in (
            "What is your gender?",
            "When is it safe to contact you?",
            "How has this affected you?",
            "Following you",
            "do not contact me",
            "read your messages",
        ):
            assert wrong not in page


def test_the_victim_still_gets_you_wording() -> None:
    client = Client()
    post(client, "/report/", {"action": "start"})
    post(client, "/report/who/", {"reporter_type": "victim"})
    assert "What is your gender?" in _page(client, "/report/equality/")
    assert "Following you" in _page(client, "/report/behaviours/")
    # The reporter's own pages are not asked of a victim reporting for herself.
    assert client.get("/report/victim-knows/")["Location"] != "/report/victim-knows/"


def test_the_reporter_is_asked_whether_they_know_and_whether_contact_is_safe() -> None:
    client = Client()
    _start_as_friend(client)
    # After the victim's details comes the question of whether we may contact them at all.
    response = post(client, "/report/victim-address/", {})
    assert response["Location"] == "/report/victim-knows/"
    page = _page(client, "/report/victim-knows/")
    assert "Do they know you are reporting this?" in page
    assert "Is it safe for us to contact them?" in page
    errors = client.post("/report/victim-knows/", {}).content.decode()
    assert "Select yes if they know you are reporting this" in errors
    # Not known to them: their ways of contact are not asked, they would not be used.
    response = post(
        client, "/report/victim-knows/", {"victim_knows": "no", "victim_contact_safe": "yes"}
    )
    assert response["Location"] == "/report/equality/"
    response = post(client, "/report/equality/", {})
    assert response["Location"] == "/report/suspects/"


def test_the_reporter_gives_their_own_contact_preferences() -> None:
    client = Client()
    post(client, "/report/", {"action": "start"})
    post(client, "/report/who/", {"reporter_type": "on_behalf"})
    response = post(client, "/report/your-details/", FRIEND)
    assert response["Location"] == "/report/reporter-contact/"
    page = _page(client, "/report/reporter-contact/")
    assert "How is it safe for us to contact you?" in page
    assert "Can we say we are the police?" in page


# --- two records, each used for its person ------------------------------------------------------


def test_the_reporter_and_the_victim_each_have_their_own_record() -> None:
    report = _friend_report(Client(), knows="yes", safe="yes")
    assert report.reporter_contact is not None
    assert report.reporter_contact.pk != report.contact.pk
    assert report.reporter_contact.prefs.channels == ("email",)
    assert report.reporter_contact.prefs.can_say_police is True
    assert report.contact_prefs.channels == ("phone",)
    assert report.contact_prefs.others_may_read is True
    assert report.victim_knows == "yes"
    assert report.victim_contact_safe == "yes"


def test_the_victim_is_not_contactable_when_they_do_not_know() -> None:
    report = _friend_report(Client(), knows="no", safe="yes")
    prefs = report.contact_prefs
    assert prefs.third_party_caution == "unaware"
    assert prefs.channels == ()
    check = prefs.check(channel="phone", at=report.received_at)
    assert not check.allowed
    assert "does not know about this report" in check.reason


def test_the_victim_is_not_contactable_when_the_reporter_is_not_sure_it_is_safe() -> None:
    report = _friend_report(Client(), knows="yes", safe="not_sure")
    assert report.contact_prefs.third_party_caution == "unsure"
    assert not report.contact_prefs.check(channel="email", at=report.received_at).allowed


def test_the_received_email_goes_to_the_reporter_under_the_reporters_record() -> None:
    report = _friend_report(Client())
    message = OutboxMessage.objects.get(purpose="report.received")
    assert message.recipient == "bea@example.org"
    assert message.contact_id == report.reporter_contact_id
    assert message.status != OutboxStatus.WITHHELD
    # It says who we will contact (nobody else reads the friend's inbox), never the victim's name.
    assert "We will not contact the person it is happening to" in message.body
    assert "Alice" not in message.body
    # Named as the reporter allowed (they said we may say we are the police).
    assert "alice@example.com" not in OutboxMessage.objects.values_list("recipient", flat=True)


def test_a_message_to_the_victims_record_is_withheld_saying_why() -> None:
    report = _friend_report(Client())
    message = outbox_enqueue(
        channel="email",
        recipient="alice@example.com",
        subject="A message",
        body="Hello",
        purpose="test.victim",
        idempotency_key="test-victim-1",
        contact=report.contact,
    )
    assert message.status == OutboxStatus.WITHHELD
    assert "does not know about this report" in message.last_error


def test_staff_messaging_the_reporter_tell_them_by_the_reporters_own_record(
    make_staff: Callable[..., Any],
) -> None:
    report = _friend_report(Client())
    services.report_message_to_reporter(report=report, body="Can we talk?", by=make_staff())
    notice = OutboxMessage.objects.get(purpose="report.message_waiting")
    assert notice.recipient == "bea@example.org"
    assert notice.contact_id == report.reporter_contact_id
    assert notice.status != OutboxStatus.WITHHELD


def test_changing_contact_on_track_my_report_changes_the_reporters_record_only() -> None:
    report = _friend_report(Client(), knows="yes", safe="yes")
    services.report_contact_update(
        report=report, prefs=prefs_from_answers({"channels": ["text"]}.items())
    )
    report.refresh_from_db()
    assert report.reporter_contact is not None
    assert report.reporter_contact.prefs.channels == ("text",)
    assert report.contact_prefs.channels == ("phone",)


def test_the_confirmation_says_who_will_be_contacted() -> None:
    client = Client()
    _friend_report(client, knows="no", safe="yes")
    page = _page(client, "/report/sent/")
    assert "You told us they do not know about this report" in page
    assert "may contact you within" in page
    assert "at the times you told us are safe." not in page


# --- staff ---------------------------------------------------------------------------------------


def test_staff_see_the_reporter_as_a_third_party_and_that_the_victim_must_not_be_contacted(
    staff_client: Callable[..., Client],
) -> None:
    report = _friend_report(Client())
    page = _page(staff_client(Role.CALL_HANDLER), f"/staff/reports/{report.pk}/")
    assert "Reported by a third party" in page
    assert "Safe ways to contact the person reporting" in page
    assert "Do they know about the report" in page
    assert "the person who reported for them said the victim does not know" in page


def test_a_case_from_the_report_refuses_contact_with_the_victim_saying_why(
    make_staff: Callable[..., Any],
) -> None:
    report = _friend_report(Client())
    officer = make_staff(Role.INVESTIGATOR)
    case = make_case(by=make_staff(Role.CALL_HANDLER), officer=officer, report=report)
    victim = victim_of(case)
    with pytest.raises(ContactRefused, match="does not know about this report"):
        case_services.contact_log(
            case=case,
            victim=victim,
            channel=ContactChannel.PHONE,
            direction=ContactDirection.TO_VICTIM,
            summary="Called",
            by=officer,
        )
    # The online report is read by the friend, not the victim: never a way to reach the victim.
    with pytest.raises(ContactRefused, match="Someone else made this online report"):
        case_services.victim_message_send(
            case=case, victim=victim, channel=ContactChannel.ONLINE_REPORT, body="Hi", by=officer
        )


def test_a_record_of_the_victims_own_wishes_clears_the_reporters_caution() -> None:
    cautious = SafeContactPrefs(third_party_caution="unaware")
    assert SafeContactPrefs.from_json(cautious.to_json()) == cautious
    own = prefs_from_answers({"channels": ["email"], "others_may_read": "no"}.items())
    assert own.third_party_caution == ""
    assert own.check(channel="email", at=timezone.now()).allowed


def test_a_friends_report_added_to_a_case_does_not_replace_the_victims_own_wishes(
    make_staff: Callable[..., Any],
) -> None:
    from vigil.cases.models import PriorityGrade
    from vigil.cases.tests.factories import THRIVE

    handler = make_staff(Role.CALL_HANDLER)
    case = make_case(by=handler, safe_contact={"channels": ["email"], "others_may_read": False})
    report = _friend_report(Client())
    case_services.triage_record(
        by=handler,
        thrive=THRIVE,
        grade=PriorityGrade.objects.get(code="priority"),
        report=report,
        link_to=case,
    )
    victim = victim_of(case)
    victim.refresh_from_db()
    assert victim.contact_prefs.channels == ("email",)
    assert victim.contact_prefs.third_party_caution == ""


def test_the_friends_questions_are_in_welsh_too() -> None:
    from django.utils import translation

    from vigil.reporting.forms import EqualityForm, VictimKnowsForm

    with translation.override("cy"):
        knows = VictimKnowsForm(for_self=False)
        assert str(knows.fields["victim_knows"].label) == (
            "Ydyn nhw\u2019n gwybod eich bod yn rhoi gwybod am hyn?"
        )
        assert str(EqualityForm(for_self=False).fields["gender"].label) == (
            "Beth yw eu rhywedd? (dewisol)"
        )
        assert (
            "dywedodd y person a roddodd wybod"
            in SafeContactPrefs(third_party_caution="unaware").describe()
        )


def test_the_case_page_warns_that_the_victim_must_not_be_contacted(
    make_staff: Callable[..., Any], staff_client: Callable[..., Client]
) -> None:
    report = _friend_report(Client())
    client = staff_client(Role.INVESTIGATOR)
    officer = client.user  # type: ignore[attr-defined]
    case = make_case(by=make_staff(Role.CALL_HANDLER), officer=officer, report=report)
    page = _page(client, f"/staff/cases/{case.pk}/")
    assert "the person who reported for them said the victim does not know" in page


def test_changing_to_they_know_and_it_is_safe_asks_only_the_new_questions() -> None:
    client = Client()
    _friend_report_until_check(client)
    response = post(
        client,
        "/report/victim-knows/?change=1",
        {"victim_knows": "yes", "victim_contact_safe": "yes"},
    )
    assert response["Location"] == "/report/contact-channels/?change=1"
    response = post(client, response["Location"], {"channels": ["phone"]})
    assert response["Location"] == "/report/contact-safety/?change=1"
    response = post(client, response["Location"], VICTIM_CONTACT)
    assert response["Location"] == "/report/check/"


def test_the_check_page_says_what_was_done_to_them() -> None:
    client = Client()
    _friend_report_until_check(client, knows="yes", safe="yes")
    page = _page(client, "/report/check/")
    assert "Following them" in page
    assert "Following you" not in page


def test_choosing_none_and_a_way_for_them_says_them() -> None:
    client = Client()
    _start_as_friend(client)
    post(client, "/report/victim-knows/", {"victim_knows": "yes", "victim_contact_safe": "yes"})
    post(client, "/report/equality/", {})
    page = client.post("/report/contact-channels/", {"channels": ["none", "text"]}).content
    assert "Select the safe ways to contact them, or select none, not both" in page.decode()

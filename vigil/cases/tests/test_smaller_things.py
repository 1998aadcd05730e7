"""Issue 15, point 11: the smaller things seen on the walk through, each as a user would expect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vigil.accounts.models import Role
from vigil.cases.models import Case, ContactLogEntry, TimelineEntry
from vigil.cases.tests.factories import make_case
from vigil.linking import matching
from vigil.linking.services import record_attributes
from vigil.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _case(client: Client, channels: list[str], **prefs: object) -> Case:
    user = client.user  # type: ignore[attr-defined]
    return make_case(by=user, officer=user, safe_contact={"channels": channels, **prefs})


def _victim_id(case: Case) -> str:
    return str(case.people.get(role="victim").pk)


def _post_contact(client: Client, case: Case, **fields: Any) -> Any:
    return client.post(reverse("cases:contact", args=[case.pk]), fields)


# --- a call outside the safe hours that really happened --------------------------------------


@time_machine.travel("2026-11-23 19:00Z")  # a Monday evening
def test_a_call_outside_the_safe_hours_can_be_recorded_with_a_warning(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case = _case(client, ["phone"], safe_from="09:00", safe_until="15:00")
    fields = {
        "form": "log",
        "log-victim": _victim_id(case),
        "log-channel": "phone",
        "log-direction": "to_victim",
        "log-summary": "She rang back from a friend's phone and we spoke",
    }
    warned = _post_contact(client, case, **fields).content.decode()
    assert "outside the safe times" in warned
    assert "record it with this warning" in warned
    assert not ContactLogEntry.objects.exists()
    response = _post_contact(client, case, **fields, **{"log-record_against_wishes": "on"})
    assert response.status_code == 302
    entry = ContactLogEntry.objects.get()
    assert "19:00 is outside the safe times" in entry.against_wishes
    line = TimelineEntry.objects.get(case=case, kind="contact")
    assert "against the victim's wishes" in line.title
    page = client.get(reverse("cases:contact", args=[case.pk])).content.decode()
    assert "Against the victim" in page


# --- an email naming the suspect to a victim whose messages others may read ----------------


def test_an_email_naming_the_suspect_is_refused_when_others_may_read_it(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case = _case(client, ["email"], others_may_read=True)
    response = _post_contact(
        client,
        case,
        **{
            "form": "message",
            "message-victim": _victim_id(case),
            "message-channel": "email",
            "message-body": "We have spoken to MALLORY about the messages.",
        },
    )
    assert "this message names the suspect" in response.content.decode()
    assert not OutboxMessage.objects.filter(purpose="case.victim_message").exists()


def test_an_email_not_naming_the_suspect_still_goes_when_others_may_read_it(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case = _case(client, ["email"], others_may_read=True)
    _post_contact(
        client,
        case,
        **{
            "form": "message",
            "message-victim": _victim_id(case),
            "message-channel": "email",
            "message-body": "Please call us when it is safe.",
        },
    )
    assert OutboxMessage.objects.filter(purpose="case.victim_message").exists()


# --- a portal message is not "victim contacted" ---------------------------------------------


def test_a_message_on_the_online_report_does_not_meet_the_response_time(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case = _case(client, ["email"])
    _post_contact(
        client,
        case,
        **{
            "form": "message",
            "message-victim": _victim_id(case),
            "message-channel": "online_report",
            "message-body": "I will call on Tuesday.",
        },
    )
    assert ContactLogEntry.objects.get().channel == "online_report"
    case.refresh_from_db()
    assert case.first_contact_at is None


# --- the supervisor's judgement queue is in the navigation ---------------------------------


def test_a_supervisor_finds_the_judgement_queue_in_the_navigation(
    staff_client: Callable[..., Client],
) -> None:
    home = staff_client(Role.SUPERVISOR).get(reverse("accounts:home")).content.decode()
    assert f'href="{reverse("risk:judgement_queue")}"' in home
    home = staff_client(Role.INVESTIGATOR).get(reverse("accounts:home")).content.decode()
    assert f'href="{reverse("risk:judgement_queue")}"' not in home


# --- linking keeps house numbers and matches vehicles ---------------------------------------


def test_a_linking_record_keeps_the_house_number_of_an_address() -> None:
    attributes = record_attributes(addresses=["12 High Street, Leeds"])
    assert attributes["addresses"] == ["12 high street leeds"]
    twelve = record_attributes(names=["Mallory Sample"], addresses=["12 High Street, Leeds"])
    fourteen = record_attributes(names=["Mallory Sample"], addresses=["14 High Street, Leeds"])
    comparison = {c.kind: c.level for c in matching.score(twelve, fourteen).comparisons}
    assert comparison["address"] != "exact"


def test_vehicles_described_in_words_are_matched_by_their_number_plate() -> None:
    one = record_attributes(names=["Mallory Sample"], vehicles=["Red Ford Fiesta AB12 CDE"])
    other = record_attributes(names=["M Sample"], vehicles=["ab12cde"])
    assert one["vehicles"] == ["AB12CDE"]
    score = matching.score(one, other)
    assert "vehicle" in [c.kind for c in score.agreed]
    assert record_attributes(vehicles=["a white Ford"])["vehicles"] == []


# --- a Victims' Code duty done says how and when the victim was told ------------------------


def test_a_duty_is_done_only_with_how_and_when_the_victim_was_told(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case = _case(client, ["phone"])
    duty = case.duties.get(kind="referral")
    url = reverse("cases:duty_done", args=[case.pk, duty.pk])
    # "Mark done" on the duties page opens the question, not the tick.
    opened = client.post(url, {"start": "1"})
    assert opened.status_code == 200
    assert "How was the victim told?" in opened.content.decode()
    duty.refresh_from_db()
    assert duty.done_at is None
    empty = client.post(url, {}).content.decode()
    assert "Select how the victim was told" in empty
    assert "Enter the date the victim was told" in empty
    duty.refresh_from_db()
    assert duty.done_at is None
    response = client.post(
        url,
        {
            "told_how": "phone",
            "told_on_0": "20",
            "told_on_1": "11",
            "told_on_2": "2026",
            "told_time": "14:30",
        },
    )
    assert response.status_code == 302
    duty.refresh_from_db()
    assert duty.done_at is not None
    assert duty.told_how == "phone"
    assert timezone.localtime(duty.told_at).strftime("%Y-%m-%d %H:%M") == "2026-11-20 14:30"
    page = client.get(reverse("cases:duties", args=[case.pk])).content.decode()
    assert "Victim told by phone call" in page


# --- an empty form names each answer it needs -----------------------------------------------


def test_an_empty_triage_form_names_each_field_it_needs(
    staff_client: Callable[..., Client],
) -> None:
    from vigil.cases.tests.factories import make_report

    client = staff_client(Role.CALL_HANDLER)
    # As a browser sends it: every box empty (an empty POST would be read as no form at all).
    page = client.post(reverse("cases:triage_online", args=[make_report().pk]), {"threat": ""})
    text = page.content.decode()
    assert "This field is required." not in text
    for named in [
        "Enter an answer for: Threat",
        "Enter an answer for: Engagement",
        "Select an answer for: Priority grade",
        "Select an answer for: What happens to the report",
    ]:
        assert named in text, named


def test_an_empty_incident_form_names_each_field_it_needs(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INVESTIGATOR)
    case = _case(client, ["phone"])
    url = reverse("cases:incident_new", args=[case.pk])
    text = client.post(url, {"summary": ""}).content.decode()
    assert "This field is required." not in text
    assert "Enter an answer for: What happened" in text
    assert "Select an answer for: Who told us" in text


# --- the safe-contact form on the case is versioned -----------------------------------------


def test_a_safe_contact_save_over_the_victims_newer_change_is_refused(
    staff_client: Callable[..., Client],
) -> None:
    from vigil.cases.tests.factories import form_state
    from vigil.contact.contract import SafeContactPrefs
    from vigil.contact.services import safe_contact_update

    client = staff_client(Role.INVESTIGATOR)
    case = _case(client, ["email", "text"], safe_from="09:00", safe_until="15:00")
    victim = case.people.get(role="victim")
    url = reverse("cases:safe_contact", args=[case.pk, victim.pk])
    state = form_state(client, url)
    # Meanwhile the victim withdraws email on "track my report".
    assert victim.contact is not None
    safe_contact_update(
        record=victim.contact,
        prefs=SafeContactPrefs(
            channels=("text",),
            safe_from=victim.contact_prefs.safe_from,
            safe_until=victim.contact_prefs.safe_until,
        ),
        by=None,
        source="report.tracking",
    )
    answers = {
        **state,
        "channels": ["email", "text"],
        "safe_from": "09:00",
        "safe_until": "15:00",
        "others_may_read": "no",
        "can_say_police": "no",
    }
    response = client.post(url, answers)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved changes after you opened this page" in page
    victim.contact.refresh_from_db()
    assert victim.contact_prefs.channels == ("text",)  # her change stands


# --- existing cases are backfilled for vehicle and postcode search --------------------------


def test_cases_reindex_backfills_vehicles_and_postcodes_once(
    staff_client: Callable[..., Client],
) -> None:
    from io import StringIO

    from django.core.management import call_command

    from vigil.cases.models import CaseIdentifier
    from vigil.cases.selectors import CaseSearch, case_search

    client = staff_client(Role.SUPERVISOR)
    case = _case(client, ["phone"])
    suspect = case.people.get(role="suspect")
    # As a case made before vehicle and postcode search: the details hold them, no rows do.
    suspect.details = {
        **suspect.details,
        "vehicles": ["Red Ford Fiesta AB12 CDE"],
        "addresses": ["12 High Street, Leeds LS1 4AB"],
    }
    suspect.save()
    CaseIdentifier.objects.filter(kind__in=["vehicle", "postcode"]).delete()
    user = client.user  # type: ignore[attr-defined]
    assert not case_search(user=user, search=CaseSearch(text="AB12 CDE")).exists()
    call_command("cases_reindex", stdout=StringIO())
    call_command("cases_reindex", stdout=StringIO())
    assert list(case_search(user=user, search=CaseSearch(text="AB12 CDE"))) == [case]
    assert list(case_search(user=user, search=CaseSearch(text="ls1 4ab"))) == [case]
    assert CaseIdentifier.objects.filter(person=suspect, kind="vehicle").count() == 1
    assert list(case_search(user=user, search=CaseSearch(text="07700 900999"))) == [case]


def test_the_back_link_on_a_staff_page_is_inside_a_landmark(
    staff_client: Callable[..., Client],
) -> None:
    # axe's "region" rule: a screen reader user moving by landmarks must not miss it.
    officer = staff_client(Role.INVESTIGATOR)
    case = make_case(by=officer.user, officer=officer.user)  # type: ignore[attr-defined]
    page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert page.index("<main") < page.index("govuk-back-link") < page.index("</main>")

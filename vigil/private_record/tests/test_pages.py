"""The public pages of a private record, as a person uses them (no JavaScript)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from vigil.private_record.models import MatchMember, PrivateRecord
from vigil.reporting.models import ReportDraft

pytestmark = pytest.mark.django_db

ANSWERS = {
    "name": "",
    "phones": "07700 900999",
    "emails": "",
    "social": "",
    "vehicles": "",
    "account": "He follows me.",
    "channels": ["email"],
    "email": "alice@example.org",
    "phone": "",
    "others_may_read": "no",
}


def keep_through_pages(client: Client, **changes: Any) -> tuple[str, str]:
    response = client.post("/private-record/new/", {**ANSWERS, **changes}, follow=True)
    page = response.content.decode()
    reference = re.search(r'data-testid="reference">([^<]+)<', page)
    secret = re.search(r'data-testid="secret">([^<]+)<', page)
    assert reference and secret, page
    return reference.group(1), secret.group(1)


def test_keeping_a_record_shows_the_reference_and_the_secret_once() -> None:
    client = Client()
    keep_through_pages(client)
    again = client.get("/private-record/kept/").content.decode()
    assert 'data-testid="secret"' not in again


def test_a_record_with_nothing_to_match_on_is_refused_with_every_answer_kept() -> None:
    response = Client().post(
        "/private-record/new/", {**ANSWERS, "phones": "", "name": "Mallory Example"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter at least one phone number" in page
    assert "Mallory Example" in page
    assert "He follows me." in page
    assert not PrivateRecord.objects.exists()


def test_email_chosen_without_an_address_is_refused_by_the_field() -> None:
    page = Client().post("/private-record/new/", {**ANSWERS, "email": ""}).content.decode()
    assert "Enter your safe email address, or untick email" in page


def test_the_holder_signs_in_changes_and_deletes_their_record() -> None:
    reference, secret = keep_through_pages(Client())
    client = Client()
    assert client.get("/private-record/yours/").status_code == 302
    response = client.post(
        "/private-record/sign-in/", {"reference": reference, "secret": secret, "website": ""}
    )
    assert response.status_code == 302
    assert "He follows me." in client.get("/private-record/yours/").content.decode()
    client.post("/private-record/yours/change/", {**ANSWERS, "account": "Now every day."})
    assert "Now every day." in client.get("/private-record/yours/").content.decode()
    client.post("/private-record/yours/delete/")
    assert not PrivateRecord.objects.exists()
    assert client.get("/private-record/yours/").status_code == 302


def test_a_wrong_secret_gets_the_same_words_as_an_unknown_reference() -> None:
    reference, _secret = keep_through_pages(Client())
    wrong = Client().post(
        "/private-record/sign-in/",
        {"reference": reference, "secret": "ACDE-FGHJ-KMNP-QRTU", "website": ""},
    )
    unknown = Client().post(
        "/private-record/sign-in/",
        {"reference": "ACDE-FGHJ-K", "secret": "ACDE-FGHJ-KMNP-QRTU", "website": ""},
    )
    message = "The reference or the secret code is not right"
    assert message in wrong.content.decode()
    assert message in unknown.content.decode()


def test_a_holder_sees_news_of_a_match_and_chooses_what_to_share() -> None:
    alice = Client()
    keep_through_pages(alice)
    keep_through_pages(Client(), email="bea@example.org")
    page = alice.get("/private-record/yours/").content.decode()
    assert "Someone else has named the same person" in page
    mine = MatchMember.objects.get(record__pk=_record_of(alice))
    response = alice.post(
        f"/private-record/yours/news/{mine.pk}/share/",
        {"release": ["account"], "wish": "advocate"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.released == {"wish": "advocate", "account": "He follows me."}


def test_a_holder_cannot_open_another_holders_part_in_a_match() -> None:
    alice = Client()
    keep_through_pages(alice)
    keep_through_pages(Client(), email="bea@example.org")
    theirs = MatchMember.objects.exclude(record__pk=_record_of(alice)).get()
    assert alice.get(f"/private-record/yours/news/{theirs.pk}/share/").status_code == 404


def test_turning_a_record_into_a_report_opens_the_report_filled_in() -> None:
    client = Client()
    keep_through_pages(client)
    response = client.post("/private-record/yours/report/")
    assert response.status_code == 302
    assert response["Location"] == "/report/who/"
    draft = ReportDraft.objects.get()
    assert draft.data["suspects"][0]["phones"] == ["07700 900999"]


def _record_of(client: Client) -> Any:
    """The record this browser is signed in to."""
    return client.session["private_record"]["record"]


def test_the_session_rows_hold_neither_the_secret_nor_the_record_key_in_clear() -> None:
    from django.contrib.sessions.models import Session

    client = Client()
    client.post("/private-record/new/", ANSWERS)  # not followed: the secret waits in the session
    stored = " ".join(s.get_decoded().__repr__() for s in Session.objects.all())
    record = PrivateRecord.objects.get()
    assert "07700" not in stored
    page = client.get("/private-record/kept/").content.decode()
    secret = re.search(r'data-testid="secret">([^<]+)<', page)
    assert secret and secret.group(1) not in stored
    assert record.reference not in stored


def test_the_pages_and_the_link_to_them_speak_welsh(settings: Any) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    assert "Cadw cofnod preifat" in client.get("/private-record/").content.decode()
    home = client.get("/").content.decode()
    assert "Ddim yn barod i roi gwybod?" in home
    assert 'href="/private-record/"' in home


def test_a_record_turned_into_a_report_is_replaced_by_it_once_sent() -> None:
    from vigil.private_record.models import Match, SourceKind
    from vigil.reporting.models import Report
    from vigil.reporting.tests import journey

    keep_through_pages(Client(), email="bea@example.org")  # Bea names the same phone
    alice = Client()
    keep_through_pages(alice)
    alice.post("/private-record/yours/report/")
    journey.fill_until_check(alice)
    journey.send(alice)
    report = Report.objects.get()
    assert PrivateRecord.objects.count() == 1  # Alice's record became her report
    members = {(m.source, m.source_id) for m in Match.objects.get().members.all()}
    assert (SourceKind.REPORT, report.pk) in members
    assert len(members) == 2


def test_sharing_without_choosing_what_happens_next_is_refused_by_the_field() -> None:
    alice = Client()
    keep_through_pages(alice)
    keep_through_pages(Client(), email="bea@example.org")
    mine = MatchMember.objects.get(record__pk=_record_of(alice))
    response = alice.post(f"/private-record/yours/news/{mine.pk}/share/", {"release": ["account"]})
    assert response.status_code == 200
    assert "Select what you would like to happen next" in response.content.decode()
    mine.refresh_from_db()
    assert mine.consented_at is None
    assert mine.released == {}


def test_every_problem_on_the_page_is_shown_at_once() -> None:
    page = (
        Client()
        .post("/private-record/new/", {**ANSWERS, "phones": "", "others_may_read": ""})
        .content.decode()
    )
    assert "Enter at least one phone number" in page
    assert "Select yes if someone else might read your messages" in page


@pytest.mark.parametrize(
    "answers",
    [
        {"date_of_birth_0": "99", "date_of_birth_1": "99", "date_of_birth_2": "99999999999999"},
        {"phones": "\x00\ud7ff" * 50, "emails": "@@@", "social": "http://:::/", "vehicles": "!!"},
        {"phones": "1\n" * 1500},
        {"channels": ["pigeon"], "others_may_read": "maybe"},
    ],
)
def test_no_answer_makes_an_error_page(answers: dict[str, Any]) -> None:
    response = Client(raise_request_exception=False).post(
        "/private-record/new/", {**ANSWERS, **answers}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()

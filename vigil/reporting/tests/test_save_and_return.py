"""Save and come back later, and what an exit leaves (issue 16, points 1, 2 and 4)."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client

from vigil.audit.models import AuditEvent
from vigil.notifications.models import OutboxMessage
from vigil.reporting.models import ReportDraft
from vigil.reporting.tests.journey import (
    ANSWERS,
    current_draft,
    fill_until_check,
    named,
    png_bytes,
    post,
    send,
)

pytestmark = pytest.mark.django_db

SAVE = {"action": "save_for_later"}


def _codes(html: str) -> tuple[str, str]:
    code = re.search(r'data-testid="resume-code">([^<]+)<', html)
    secret = re.search(r'data-testid="resume-secret">([^<]+)<', html)
    assert code and secret, html
    return code.group(1), secret.group(1)


def _start_and_answer(client: Client, pages: int) -> None:
    post(client, "/report/", {"action": "start"})
    for slug, data in ANSWERS[:pages]:
        post(client, f"/report/{slug}/", data)


def _save(client: Client, **answers: str) -> tuple[str, str]:
    response = client.post("/report/save/", {"send_email": "no", **answers})
    assert response.status_code == 200
    return _codes(response.content.decode())


def test_every_report_page_offers_save_and_come_back_later() -> None:
    client = Client()
    _start_and_answer(client, 3)
    for path in ("/report/victim-contact/", "/report/suspects/0/", "/report/evidence/"):
        assert "Save and come back later" in client.get(path).content.decode(), path


def test_saved_codes_open_the_report_in_another_browser_after_an_exit() -> None:
    victim = Client()
    _start_and_answer(victim, 3)
    response = victim.post("/report/victim-contact/", {"email": "a@example.org", **SAVE})
    assert response["Location"] == "/report/save/"
    code, secret = _save(victim)
    victim.get("/exit/")
    assert victim.get("/report/victim-contact/")["Location"] == "/report/"

    laptop = Client()
    response = laptop.post("/report/resume/", {"code": code.lower(), "secret": secret})
    assert response["Location"] == "/report/victim-address/"
    html = laptop.get("/report/victim-contact/").content.decode()
    assert 'value="a@example.org"' in html
    assert AuditEvent.objects.filter(action="report.draft.resume").count() == 1


def test_a_page_saved_before_it_passes_its_checks_keeps_what_was_typed() -> None:
    client = Client()
    _start_and_answer(client, 2)
    data = {"name": "Alice Example", "date_of_birth_0": "31", "date_of_birth_1": "2", **SAVE}
    assert client.post("/report/victim-name/", data)["Location"] == "/report/save/"
    html = client.get("/report/victim-name/").content.decode()
    assert 'value="Alice Example"' in html and 'value="31"' in html
    assert "Enter a day, a month and a year" in html or "year" in html


def test_a_wrong_secret_opens_nothing_and_says_so_kindly() -> None:
    client = Client()
    _start_and_answer(client, 3)
    code, _secret = _save(client)
    stranger = Client()
    response = stranger.post("/report/resume/", {"code": code, "secret": "ACDE-FGHJ-KMNP-QRTU"})
    assert response.status_code == 400
    assert "The code or the secret code is not right" in response.content.decode()
    assert "vigil_report" not in response.cookies


def test_too_many_wrong_secrets_lock_the_code(settings: object) -> None:
    settings.REPORT_TRACK_FAILURE_LIMIT = 2  # type: ignore[attr-defined]
    client = Client()
    _start_and_answer(client, 3)
    code, secret = _save(client)
    stranger = Client()
    for _try in range(2):
        stranger.post("/report/resume/", {"code": code, "secret": "ACDE-FGHJ-KMNP-QRTU"})
    response = Client(REMOTE_ADDR="10.0.0.9").post(
        "/report/resume/", {"code": code, "secret": secret}
    )
    assert "You have tried too many times" in response.content.decode()


def test_saving_again_gives_new_codes_and_the_old_ones_stop_working() -> None:
    client = Client()
    _start_and_answer(client, 3)
    old_code, old_secret = _save(client)
    _save(client)
    response = Client().post("/report/resume/", {"code": old_code, "secret": old_secret})
    assert response.status_code == 400


def test_the_codes_are_emailed_only_when_asked_and_say_nothing_of_the_report() -> None:
    client = Client()
    _start_and_answer(client, 3)
    _save(client)
    assert OutboxMessage.objects.count() == 0
    response = client.post("/report/save/", {"send_email": "yes", "email": "safe@example.org"})
    code, secret = _codes(response.content.decode())
    message = OutboxMessage.objects.get()
    assert message.recipient == "safe@example.org"
    assert code in message.body and secret in message.body
    assert "stalking" not in message.body.lower() and "police" not in message.body.lower()


def test_asking_for_an_email_without_an_address_says_which_field() -> None:
    client = Client()
    _start_and_answer(client, 3)
    response = client.post("/report/save/", {"send_email": "yes", "email": ""})
    assert "Enter the email address to send the codes to" in response.content.decode()
    assert current_draft(client).resume_code == ""


def test_email_is_not_offered_when_the_victim_said_it_is_not_safe() -> None:
    client = Client()
    _start_and_answer(client, len(ANSWERS))
    post(client, "/report/contact-channels/?change=1", {"channels": ["phone"]})
    html = client.get("/report/save/").content.decode()
    assert "email them" not in html
    response = client.post("/report/save/", {"send_email": "yes", "email": "x@example.org"})
    _codes(response.content.decode())
    assert OutboxMessage.objects.count() == 0


def test_a_saved_report_is_kept_for_days_and_then_cannot_be_opened(settings: object) -> None:
    settings.REPORT_DRAFT_SAVED_DAYS = 7  # type: ignore[attr-defined]
    client = Client()
    _start_and_answer(client, 3)
    code, secret = _save(client)
    later = datetime.datetime.now(datetime.UTC)
    with time_machine.travel(later + datetime.timedelta(days=3)):
        response = Client().post("/report/resume/", {"code": code, "secret": secret})
        assert response.status_code == 302
    with time_machine.travel(later + datetime.timedelta(days=8)):
        response = Client().post("/report/resume/", {"code": code, "secret": secret})
        assert response.status_code == 400


def test_a_sent_report_cannot_be_opened_again_with_its_save_codes() -> None:
    client = Client()
    fill_until_check(client)
    code, secret = _save(client)
    send(client)
    assert Client().post("/report/resume/", {"code": code, "secret": secret}).status_code == 400


def test_the_secret_is_kept_only_as_a_hash() -> None:
    client = Client()
    _start_and_answer(client, 3)
    _code, secret = _save(client)
    draft = ReportDraft.objects.get()
    assert secret not in draft.resume_secret_hash
    assert secret.replace("-", "") not in draft.resume_secret_hash


def test_after_an_exit_the_start_page_is_what_a_first_visitor_sees() -> None:
    first_visit = Client().get("/report/").content.decode()
    client = Client()
    _start_and_answer(client, 3)
    client.get("/exit/")
    response = client.get("/report/victim-contact/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [("/report/", 302)]
    assert "could not find a report" not in html and "deleted" not in html
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')
    assert strip.sub("", html) == strip.sub("", first_visit)


def test_a_file_chosen_before_save_and_continue_is_kept() -> None:
    client = Client()
    fill_until_check(client)
    response = client.post(
        "/report/evidence/?change=1",
        {"action": "continue", "files": named(png_bytes(), "screenshot.png")},
    )
    assert response.status_code == 302
    assert [f.original_name for f in current_draft(client).files.all()] == ["screenshot.png"]
    assert current_draft(client).data["answers"]["evidence"] == {"count": 1}

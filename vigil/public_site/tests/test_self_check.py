from __future__ import annotations

import itertools
import re

import pytest
from django.test import Client

from vigil.public_site.selfcheck import Outcome, self_check_result

pytestmark = pytest.mark.django_db

ANSWERS = {
    "behaviours": ["following", "calls_messages"],
    "repeated": "yes",
    "unwanted": "yes",
    "fixated": "yes",
    "afraid": "yes",
}
STEP_ANSWERS = [
    {"behaviours": ANSWERS["behaviours"]},
    {"repeated": "yes"},
    {"unwanted": "yes"},
    {"fixated": "yes"},
    {"afraid": "yes"},
]


def answer_all(client: Client, answers: dict[str, object]) -> str:
    """Walk every question by POST, carrying the hidden answers as a browser would."""
    data: dict[str, object] = {}
    html = client.post("/is-this-stalking/", {"step": "-1"}).content.decode()
    for step, name in enumerate(["behaviours", "repeated", "unwanted", "fixated", "afraid"]):
        data[name] = answers[name]
        html = client.post("/is-this-stalking/", {**data, "step": str(step)}).content.decode()
    return html


def test_repeated_unwanted_fixated_behaviour_sounds_like_stalking() -> None:
    assert self_check_result(ANSWERS).outcome == Outcome.SOUNDS_LIKE_STALKING


def test_once_so_far_could_still_be_stalking_and_says_not_to_wait() -> None:
    result = self_check_result({**ANSWERS, "repeated": "once"})
    assert result.outcome == Outcome.COULD_BE
    assert result.happened_once


def test_threats_and_trackers_are_called_out() -> None:
    result = self_check_result({**ANSWERS, "behaviours": ["threats", "tracking"]})
    assert result.threats and result.tech


def test_every_combination_of_answers_gets_a_result_and_next_steps(client: Client) -> None:
    """Whatever someone answers, we never say it is not stalking and always say what to do."""
    choices = ["yes", "no", "unsure"]
    for repeated, unwanted, fixated, afraid in itertools.product(
        ["yes", "once", "unsure"], choices, choices, choices
    ):
        result = self_check_result(
            {
                "behaviours": ["something_else"],
                "repeated": repeated,
                "unwanted": unwanted,
                "fixated": fixated,
                "afraid": afraid,
            }
        )
        assert result.outcome in {Outcome.SOUNDS_LIKE_STALKING, Outcome.COULD_BE}
    html = answer_all(
        client,
        {
            "behaviours": ["something_else"],
            "repeated": "once",
            "unwanted": "no",
            "fixated": "no",
            "afraid": "no",
        },
    )
    assert "This could be stalking or harassment" in html
    assert not re.search(r"not stalking", html, re.IGNORECASE)
    for step in ("call 999", "101", "0808 802 0300", 'href="/report/"'):
        assert step in html


def test_the_questions_lead_one_page_at_a_time_to_the_result(client: Client) -> None:
    start = client.get("/is-this-stalking/")
    assert "Start now" in start.content.decode()
    html = answer_all(client, ANSWERS)
    assert "What you have told us sounds like stalking" in html
    assert "Repeated: it has happened more than once." in html


def test_each_question_page_asks_one_question() -> None:
    client = Client()
    html = client.post("/is-this-stalking/", {"step": "-1"}).content.decode()
    assert "Question 1 of 5" in html
    assert "What has the person been doing?" in html
    assert "Has it happened more than once?" not in html
    html = client.post(
        "/is-this-stalking/", {"step": "0", "behaviours": ["following"]}
    ).content.decode()
    assert "Question 2 of 5" in html
    assert 'type="hidden" name="behaviours" value="following"' in html


def test_no_answer_shows_an_error_and_keeps_the_page(client: Client) -> None:
    response = client.post("/is-this-stalking/", {"step": "0"})
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Select what the person has been doing" in html
    assert "Question 1 of 5" in html


def test_previous_question_keeps_the_answer(client: Client) -> None:
    html = client.post(
        "/is-this-stalking/",
        {"step": "1", "behaviours": ["following"], "repeated": "yes", "back": "1"},
    ).content.decode()
    assert "Question 1 of 5" in html
    assert re.search(r'value="following"[^>]*checked', html)


def test_the_self_check_sets_no_cookie_and_stores_nothing(client: Client) -> None:
    from django.contrib.sessions.models import Session

    response = client.post("/is-this-stalking/", {**ANSWERS, "step": "4"})
    assert response.status_code == 200
    assert response.cookies == {}
    assert Session.objects.count() == 0
    assert response["Cache-Control"].startswith("no-store")


def test_a_made_up_step_starts_at_the_beginning(client: Client) -> None:
    html = client.post("/is-this-stalking/", {"step": "99"}).content.decode()
    assert "Question 1 of 5" in html

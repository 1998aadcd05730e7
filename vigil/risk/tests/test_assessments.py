from __future__ import annotations

import datetime
from collections.abc import Callable, Collection

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.audit.models import AuditEvent
from vigil.cases import services as case_services
from vigil.cases.models import Case, TimelineEntry
from vigil.cases.tests.factories import close_case, make_case, suspect_of, victim_of
from vigil.notifications.models import OutboxMessage
from vigil.risk.models import RiskAssessment, RiskTool
from vigil.risk.selectors import case_risk_prompts
from vigil.risk.services import GivenAnswer, RiskError, risk_assessment_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.INVESTIGATOR)


@pytest.fixture
def case(make_staff: Callable[..., User], officer: User) -> Case:
    return make_case(by=make_staff(Role.CALL_HANDLER), officer=officer)


def all_answers(tool: RiskTool, yes: Collection[int] = ()) -> dict[int, GivenAnswer]:
    return {
        q.number: GivenAnswer("yes" if q.number in yes else "no", f"comment {q.number}")
        for q in tool.questions.all()
    }


def submit_sdash(
    case: Case,
    officer: User,
    *,
    level: str,
    reasons: str,
    yes: Collection[int] = (),
) -> RiskAssessment:
    """An S-DASH answered no to everything except the numbers in `yes`."""
    return risk_assessment_submit(
        case=case,
        tool=sdash(),
        answers=all_answers(sdash(), yes),
        level=level,
        reasons=reasons,
        by=officer,
    )


def sdash() -> RiskTool:
    return RiskTool.objects.get(code="sdash")


def dash() -> RiskTool:
    return RiskTool.objects.get(code="dash")


def test_the_shipped_tools_are_loaded_as_data() -> None:
    assert sdash().questions.count() == 11
    assert dash().questions.count() == 24
    assert dash().marac_from == 14
    stalking_question = dash().questions.get(number=8)
    assert stalking_question.prompts_tool == sdash()


@pytest.mark.parametrize(("level", "reasons"), [("", "Reasons given"), ("high", "  ")])
def test_an_assessment_needs_a_level_and_reasons(
    case: Case, officer: User, level: str, reasons: str
) -> None:
    with pytest.raises(RiskError):
        risk_assessment_submit(
            case=case,
            tool=sdash(),
            answers=all_answers(sdash()),
            level=level,
            reasons=reasons,
            by=officer,
        )
    assert not RiskAssessment.objects.exists()


def test_every_question_must_be_answered(case: Case, officer: User) -> None:
    answers = all_answers(sdash())
    del answers[7]
    with pytest.raises(RiskError, match="Missing: 7"):
        risk_assessment_submit(
            case=case, tool=sdash(), answers=answers, level="medium", reasons="r", by=officer
        )


def test_a_submitted_assessment_records_the_count_the_level_and_the_history(
    case: Case, officer: User
) -> None:
    assessment = submit_sdash(
        case, officer, level="medium", reasons="Frightened, daily contact, threats.", yes={1, 4, 6}
    )
    assert (assessment.yes_count, assessment.question_count) == (3, 11)
    case.refresh_from_db()
    assert case.risk_level == "medium"
    assert TimelineEntry.objects.filter(case=case, kind="risk").exists()
    assert AuditEvent.objects.filter(
        action="risk.assessment.submit", target_id=str(assessment.pk)
    ).exists()
    assert assessment.answers.get(question_number=4).comment == "comment 4"


def test_a_new_assessment_supersedes_the_old_one_which_stays_readable(
    case: Case, officer: User
) -> None:
    first = submit_sdash(case, officer, level="medium", reasons="a", yes={1})
    second = submit_sdash(case, officer, level="standard", reasons="b")
    first.refresh_from_db()
    assert first.superseded_by == second
    assert first.level == "medium" and first.answers.count() == 11
    assert second.is_current
    case.refresh_from_db()
    assert case.risk_level == "standard"


def test_high_risk_tells_the_coordinator_without_case_details(
    case: Case, officer: User, make_staff: Callable[..., User]
) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    submit_sdash(case, officer, level="high", reasons="Threats to kill.", yes={1, 2, 6})
    message = OutboxMessage.objects.get(purpose="risk.high_risk_coordinator")
    assert message.recipient == coordinator.email
    assert case.reference in message.subject
    assert "Threats to kill" not in message.body
    # Assessing again at high does not notify twice.
    submit_sdash(case, officer, level="high", reasons="Still.", yes={1})
    assert OutboxMessage.objects.filter(purpose="risk.high_risk_coordinator").count() == 1


def test_closing_a_high_risk_case_needs_a_supervisor(
    case: Case, officer: User, make_staff: Callable[..., User]
) -> None:
    submit_sdash(case, officer, level="high", reasons="r", yes={1})
    with pytest.raises(case_services.CaseError, match="supervisor"):
        close_case(case, by=officer)
    supervisor = make_staff(Role.SUPERVISOR)
    close_case(case, by=supervisor)
    case.refresh_from_db()
    assert case.status == "closed"


def test_prompts_fire_at_the_second_incident_and_after_a_new_one(case: Case, officer: User) -> None:
    def add_incident(days_ago: int) -> None:
        case_services.incident_add(
            case=case,
            occurred_at=timezone.now() - datetime.timedelta(days=days_ago),
            summary="Waited outside work.",
            source="victim",
            victim=victim_of(case),
            suspect=suspect_of(case),
            by=officer,
        )

    existing = case.incidents.count()
    if existing == 0:
        add_incident(10)
    codes = [p.code for p in case_risk_prompts(case=case)]
    if case.incidents.count() < 2:
        assert "screen" not in codes
        add_incident(5)
    assert ("screen", "sdash") in [(p.code, p.tool_code) for p in case_risk_prompts(case=case)]

    submit_sdash(case, officer, level="standard", reasons="r")
    assert "reassess_incident" not in [p.code for p in case_risk_prompts(case=case)]
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        add_incident(0)
    assert "reassess_incident" in [p.code for p in case_risk_prompts(case=case)]


def test_a_custom_tool_made_in_the_admin_works_end_to_end(
    case: Case, officer: User, make_staff: Callable[..., User]
) -> None:
    admin = make_staff(Role.ADMINISTRATOR, is_staff=True)
    client = Client()
    from conftest import sign_in_verified

    sign_in_verified(client, admin)
    response = client.post(
        "/staff/admin/risk/risktool/add/",
        {
            "code": "dara",
            "name": "DARA first response",
            "description": "",
            "is_active": "on",
            "review_after_days": "14",
            "questions-TOTAL_FORMS": "2",
            "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
            "questions-0-number": "1",
            "questions-0-text": "Has the person threatened you?",
            "questions-1-number": "2",
            "questions-1-text": "Are you afraid of what they will do next?",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    officer_client = sign_in_verified(Client(), officer)
    page = officer_client.get(reverse("risk:new", args=[case.pk, "dara"]))
    assert "Are you afraid of what they will do next?" in page.content.decode()
    response = officer_client.post(
        reverse("risk:new", args=[case.pk, "dara"]),
        {
            "q1": "yes",
            "q1_comment": "Said he would 'end it'",
            "q2": "not_known",
            "level": "high",
            "reasons": "Threat.",
        },
    )
    assert response.status_code == 302
    assessment = RiskAssessment.objects.get(tool__code="dara")
    assert (assessment.yes_count, assessment.level) == (1, "high")
    assert mail.outbox == []  # outbox delivery happens on the worker, not in the request


def test_the_form_keeps_answers_and_explains_a_missing_level(case: Case, officer: User) -> None:
    from conftest import sign_in_verified

    client = sign_in_verified(Client(), officer)
    response = client.post(
        reverse("risk:new", args=[case.pk, "sdash"]), {"q1": "yes", "reasons": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose the risk level: standard, medium or high" in html
    assert "Give the reasons for the risk level you chose" in html
    assert "Answer question 2" in html
    assert 'value="yes" id="id_q1_0" class="govuk-radios__input" checked' in html
    assert not RiskAssessment.objects.exists()


def test_a_partner_and_an_unrelated_investigator_cannot_see_the_risk_page(
    case: Case, staff_client: Callable[..., Client]
) -> None:
    from vigil.accounts.tests.factories import TeamFactory

    outsiders = [
        staff_client(Role.PARTNER),
        staff_client(Role.INVESTIGATOR, team=TeamFactory(name="Another district")),
    ]
    for client in outsiders:
        assert client.get(reverse("risk:case", args=[case.pk])).status_code == 404


def test_the_coordinator_sees_high_risk_cases_with_overdue_reviews(
    case: Case, officer: User, staff_client: Callable[..., Client]
) -> None:
    submit_sdash(case, officer, level="high", reasons="r", yes={1})
    coordinator = staff_client(Role.COORDINATOR)
    assert case.reference not in coordinator.get(reverse("risk:high_risk_overdue")).content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=40)):
        # A new sign-in: the first one has long timed out by then.
        html = (
            staff_client(Role.COORDINATOR).get(reverse("risk:high_risk_overdue")).content.decode()
        )
    assert case.reference in html
    assert staff_client(Role.INVESTIGATOR).get(reverse("risk:high_risk_overdue")).status_code == 404


def test_the_coordinator_email_links_to_the_case_by_its_full_address(
    case: Case, officer: User, make_staff: Callable[..., User], settings: object
) -> None:
    settings.VIGIL_BASE_URL = "https://vigil.example.police.uk"  # type: ignore[attr-defined]
    make_staff(Role.COORDINATOR)
    submit_sdash(case, officer, level="high", reasons="r", yes={1})
    body = OutboxMessage.objects.get(purpose="risk.high_risk_coordinator").body
    assert f"https://vigil.example.police.uk/staff/cases/{case.pk}/" in body

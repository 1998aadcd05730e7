"""Multi-agency meetings: run by the coordinator and supervisors, seen by the officers of its
cases (their own cases only), not by partners yet, and the lifecycle from list to minutes."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in_verified
from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import TeamFactory
from vigil.audit.models import AuditEvent
from vigil.cases.models import Case, TimelineEntry
from vigil.cases.tests.factories import make_case
from vigil.risk.selectors import case_risk_prompts
from vigil.risk.services import risk_assessment_submit
from vigil.risk.tests.test_assessments import all_answers, dash
from vigil.safeguarding import meetings
from vigil.safeguarding.models import Meeting, MeetingCase, MeetingStatus
from vigil.safeguarding.plans import SafeguardingError
from vigil.safeguarding.tests.helpers import partner_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_staff: Callable[..., User]) -> dict[str, object]:
    ppu = TeamFactory(name="Public Protection Unit")
    other = TeamFactory(name="Other Team")
    handler = make_staff(Role.CALL_HANDLER)
    people = {
        "ivy": make_staff(Role.INVESTIGATOR, team=ppu),
        "oscar": make_staff(Role.INVESTIGATOR, team=other),
        "coord": make_staff(Role.COORDINATOR),
        "super": make_staff(Role.SUPERVISOR),
        "partner": make_staff(Role.PARTNER),
        "dpo": make_staff(Role.DPO),
    }
    ivys = make_case(by=handler, officer=people["ivy"])
    oscars = make_case(by=handler, officer=people["oscar"])
    meeting = meetings.meeting_create(
        kind="marac",
        held_on=timezone.localdate() + datetime.timedelta(days=7),
        place="Room 4",
        by=people["coord"],
    )
    for case in (ivys, oscars):
        meetings.meeting_case_add(
            meeting=meeting, case=case, reason="judgement", note="", by=people["coord"]
        )
    return {**people, "ivys": ivys, "oscars": oscars, "meeting": meeting}


def _client(user: object) -> Client:
    return sign_in_verified(Client(), user)  # type: ignore[arg-type]


def test_the_meeting_lifecycle(w: dict[str, object]) -> None:
    coord, meeting, case = w["coord"], w["meeting"], w["ivys"]
    assert isinstance(meeting, Meeting) and isinstance(case, Case) and isinstance(coord, User)
    agency = partner_agency()
    meetings.meeting_attendee_add(
        meeting=meeting, agency=agency, name="Sam Lee", job="IDVA", by=coord
    )
    entry = MeetingCase.objects.get(meeting=meeting, case=case)
    meetings.meeting_information_add(
        entry=entry, agency=agency, summary="She has moved to a refuge.", by=coord
    )
    meetings.meeting_action_add(
        entry=entry,
        title="Share the refuge's address with nobody",
        owner_agency=agency,
        owner_user=None,
        due_on=None,
        by=coord,
    )
    review = meeting.held_on + datetime.timedelta(days=28)
    meetings.meeting_minutes_record(
        meeting=meeting, minutes="Four cases heard.", next_review_on=review, by=coord
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.next_review_on == review
    titles = list(
        TimelineEntry.objects.filter(case=case, kind="safeguarding").values_list("title", flat=True)
    )
    assert any(t.startswith("Referred to MARAC") for t in titles)
    assert any("information from Safe Steps Advocacy" in t for t in titles)
    assert any("MARAC action for Safe Steps Advocacy" in t for t in titles)
    # Held: no more cases on this one.
    with pytest.raises(SafeguardingError):
        meetings.meeting_case_add(
            meeting=meeting, case=w["oscars"], reason="judgement", note="", by=coord
        )  # type: ignore[arg-type]


def test_a_case_goes_on_a_meeting_once(w: dict[str, object]) -> None:
    with pytest.raises(SafeguardingError):
        meetings.meeting_case_add(
            meeting=w["meeting"],
            case=w["ivys"],
            reason="judgement",
            note="",
            by=w["coord"],  # type: ignore[arg-type]
        )


def test_only_the_coordinator_or_a_supervisor_runs_a_meeting(w: dict[str, object]) -> None:
    with pytest.raises(SafeguardingError):
        meetings.meeting_create(kind="marac", held_on=timezone.localdate(), place="", by=w["ivy"])  # type: ignore[arg-type]
    response = _client(w["ivy"]).post(
        reverse("safeguarding:minutes", args=[w["meeting"].pk]),
        {"minutes": "x"},  # type: ignore[attr-defined]
    )
    assert response.status_code == 404


def test_an_officer_sees_only_their_own_case_on_the_meeting(w: dict[str, object]) -> None:
    url = reverse("safeguarding:meeting", args=[w["meeting"].pk])  # type: ignore[attr-defined]
    page = _client(w["ivy"]).get(url).content.decode()
    assert w["ivys"].reference in page  # type: ignore[attr-defined]
    assert w["oscars"].reference not in page  # type: ignore[attr-defined]
    coordinator_page = _client(w["coord"]).get(url).content.decode()
    assert w["oscars"].reference in coordinator_page  # type: ignore[attr-defined]
    views = AuditEvent.objects.filter(action="safeguarding.meeting.view").order_by("pk")
    assert [len(v.summary["cases"]) for v in views] == [1, 2]


def test_partners_and_others_get_404_and_it_is_audited(
    w: dict[str, object], make_staff: Callable[..., User]
) -> None:
    url = reverse("safeguarding:meeting", args=[w["meeting"].pk])  # type: ignore[attr-defined]
    stranger = make_staff(Role.INVESTIGATOR, team=TeamFactory(name="Nobody's"))
    for user in (w["partner"], w["dpo"], stranger):
        assert _client(user).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied").count() >= 3
    assert _client(w["partner"]).get(reverse("safeguarding:meetings")).status_code == 404
    plan = reverse("safeguarding:plan", args=[w["ivys"].pk])  # type: ignore[attr-defined]
    assert _client(w["partner"]).get(plan).status_code == 404
    assert AuditEvent.objects.filter(
        action="access.denied", summary__target_type="safeguarding.plan"
    ).exists()


def test_dash_14_prompts_a_referral_to_marac(w: dict[str, object]) -> None:
    case, ivy = w["ivys"], w["ivy"]
    tool = dash()
    risk_assessment_submit(
        case=case,
        tool=tool,
        answers=all_answers(tool, yes=range(1, 15)),
        level="high",  # type: ignore[arg-type]
        reasons="Fourteen yes answers and strangulation.",
        by=ivy,  # type: ignore[arg-type]
    )
    marac = next(p for p in case_risk_prompts(case=case) if p.code == "marac")  # type: ignore[arg-type]
    assert marac.action_label == "Refer to MARAC"
    client = _client(ivy)
    form = client.get(marac.action_url)
    assert form.status_code == 200
    assert b'value="marac_threshold" checked' in form.content or b"marac_threshold" in form.content
    later = meetings.meeting_create(
        kind="marac",
        held_on=timezone.localdate() + datetime.timedelta(days=14),
        place="",
        by=w["coord"],  # type: ignore[arg-type]
    )
    done = client.post(
        marac.action_url, {"meeting": str(later.pk), "reason": "marac_threshold", "note": ""}
    )
    assert done.status_code == 302
    assert MeetingCase.objects.filter(meeting=later, case=case, reason="marac_threshold").exists()


def test_refusing_a_referral_keeps_the_answers(w: dict[str, object]) -> None:
    url = reverse("safeguarding:refer", args=[w["ivys"].pk])  # type: ignore[attr-defined]
    response = _client(w["ivy"]).post(
        url, {"meeting": "", "reason": "escalation", "note": "Kept note"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose the meeting." in body and "Kept note" in body

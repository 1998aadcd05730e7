"""Every staff case URL, for every role and anonymous: 200, 302 to sign-in, or 404."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import TeamFactory
from vigil.cases import services
from vigil.cases.models import CaseAction, VictimsCodeDuty
from vigil.cases.tests.factories import make_case, make_report, suspect_of, victim_of
from vigil.sharing.tests.factories import refer_and_accept

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    Role.CALL_HANDLER,
    "other_call_handler",
    Role.INVESTIGATOR,
    "team_investigator",
    "other_investigator",
    Role.OFFENDER_MANAGER,
    Role.COORDINATOR,
    Role.SUPERVISOR,
    Role.PARTNER,
    "other_partner",
    Role.DPO,
    Role.ADMINISTRATOR,
]
# The police case pages are for police: a partner reaches a referred case only through the
# partner view, which shows the parts its referral shares (vigil.sharing).
CASE_VIEWERS = {
    Role.CALL_HANDLER,
    Role.INVESTIGATOR,
    "team_investigator",
    Role.COORDINATOR,
    Role.SUPERVISOR,
}
CASE_CHANGERS = CASE_VIEWERS
POLICE_VIEWERS = CASE_VIEWERS
TRIAGERS = {Role.CALL_HANDLER, "other_call_handler", Role.COORDINATOR, Role.SUPERVISOR}
LIST_USERS = {
    r
    for r in ROLES
    if r not in {"anonymous", Role.DPO, Role.ADMINISTRATOR, Role.PARTNER, "other_partner"}
}
OVERDUE_USERS = {
    Role.INVESTIGATOR,
    "team_investigator",
    "other_investigator",
    Role.OFFENDER_MANAGER,
    Role.COORDINATOR,
    Role.SUPERVISOR,
}


@pytest.fixture
def world(staff_client: Callable[..., Client]) -> dict[str, object]:
    """Alice's case: made by the call handler, Ivy in charge, Ivy's team, shared with partner."""
    clients: dict[str, Client] = {"anonymous": Client()}
    ppu = TeamFactory(name="Public Protection Unit")
    other_team = TeamFactory(name="Other Team")
    for role in ROLES:
        if role == "anonymous":
            continue
        base = {
            "other_call_handler": Role.CALL_HANDLER,
            "team_investigator": Role.INVESTIGATOR,
            "other_investigator": Role.INVESTIGATOR,
            "other_partner": Role.PARTNER,
        }.get(role, role)
        kwargs: dict[str, object] = {}
        if base in {Role.INVESTIGATOR, Role.OFFENDER_MANAGER}:
            kwargs["team"] = (
                other_team if role in {"other_investigator", Role.OFFENDER_MANAGER} else ppu
            )
        if role == "other_partner":
            from vigil.accounts.tests.factories import AgencyFactory

            kwargs["agency"] = AgencyFactory(name="Other Advocacy", kind="partner")
        clients[role] = staff_client(base, **kwargs)
    users: dict[str, User] = {r: c.user for r, c in clients.items() if r != "anonymous"}  # type: ignore[attr-defined]
    case = make_case(by=users[Role.CALL_HANDLER], officer=users[Role.INVESTIGATOR])
    referral = refer_and_accept(
        case=case,
        agency=users[Role.PARTNER].agency,  # type: ignore[arg-type]
        by=users[Role.INVESTIGATOR],
        partner=users[Role.PARTNER],
    )
    victim, suspect = victim_of(case), suspect_of(case)
    services.incident_add(
        case=case,
        occurred_at=case.opened_at,
        summary="Second time",
        source="victim",
        victim=victim,
        suspect=suspect,
        by=users[Role.INVESTIGATOR],
    )
    action = CaseAction.objects.create(case=case, title="CCTV", created_by=users[Role.INVESTIGATOR])
    duty = VictimsCodeDuty.objects.filter(case=case).first()
    report = make_report()
    return {
        "clients": clients,
        "case": case,
        "victim": victim,
        "suspect": suspect,
        "action": action,
        "duty": duty,
        "report": report,
        "referral": referral,
    }


def _get_urls(w: dict[str, object]) -> list[tuple[str, set[str]]]:
    case = w["case"].pk  # type: ignore[attr-defined]
    victim = w["victim"].pk  # type: ignore[attr-defined]
    suspect = w["suspect"].pk  # type: ignore[attr-defined]
    return [
        (reverse("cases:list"), LIST_USERS),
        (reverse("cases:intake"), TRIAGERS),
        (reverse("cases:phone_report_new"), TRIAGERS),
        (reverse("cases:triage_online", args=[w["report"].pk]), TRIAGERS),  # type: ignore[attr-defined]
        (reverse("cases:overdue"), OVERDUE_USERS),
        (reverse("cases:audit_log"), {Role.DPO}),
        (reverse("cases:detail", args=[case]), CASE_VIEWERS),
        (reverse("cases:timeline", args=[case]), CASE_VIEWERS),
        (reverse("cases:evidence", args=[case]), CASE_VIEWERS),
        (reverse("cases:actions", args=[case]), CASE_VIEWERS),
        (reverse("cases:contact", args=[case]), CASE_VIEWERS),
        (reverse("cases:duties", args=[case]), CASE_VIEWERS),
        (reverse("cases:notes", args=[case]), POLICE_VIEWERS),
        (reverse("cases:case_file", args=[case]), POLICE_VIEWERS),
        (reverse("cases:incident_new", args=[case]), CASE_CHANGERS),
        (reverse("cases:conduct_decision", args=[case, victim, suspect]), CASE_CHANGERS),
        (reverse("cases:person_new", args=[case, "victim"]), CASE_CHANGERS),
        (reverse("cases:person_new", args=[case, "suspect"]), CASE_CHANGERS),
        (reverse("cases:safe_contact", args=[case, victim]), CASE_CHANGERS),
        (reverse("cases:classify", args=[case]), CASE_CHANGERS),
        (reverse("cases:assign", args=[case]), CASE_CHANGERS),
        (reverse("cases:close", args=[case]), CASE_CHANGERS),
    ]


def _post_urls(w: dict[str, object]) -> list[tuple[str, dict[str, str], set[str]]]:
    case = w["case"].pk  # type: ignore[attr-defined]
    return [
        (
            reverse("cases:action_status", args=[case, w["action"].pk]),  # type: ignore[attr-defined]
            {"status": "open"},
            CASE_CHANGERS,
        ),
        (reverse("cases:enhanced_rights", args=[case]), {"enhanced": "yes"}, CASE_CHANGERS),
    ]


def test_every_case_page_answers_each_role_as_expected(world: dict[str, object]) -> None:
    clients: dict[str, Client] = world["clients"]  # type: ignore[assignment]
    failures = []
    for url, allowed in _get_urls(world):
        for role, client in clients.items():
            response = client.get(url)
            expected = 302 if role == "anonymous" else 200 if role in allowed else 404
            if response.status_code != expected:
                failures.append(f"{role} GET {url}: {response.status_code} (expected {expected})")
            if role == "anonymous" and response.status_code == 302:
                assert response["Location"].startswith(reverse("accounts:login"))
    assert failures == []


def test_every_case_form_refuses_a_post_from_roles_that_may_not_change_it(
    world: dict[str, object],
) -> None:
    clients: dict[str, Client] = world["clients"]  # type: ignore[assignment]
    failures = []
    for url, data, allowed in _post_urls(world):
        for role, client in clients.items():
            if role in allowed:
                continue
            response = client.post(url, data)
            expected = 302 if role == "anonymous" else 404
            if response.status_code != expected:
                failures.append(f"{role} POST {url}: {response.status_code} (expected {expected})")
    assert failures == []


def test_a_case_change_is_accepted_from_the_officer_in_charge(world: dict[str, object]) -> None:
    client: Client = world["clients"][Role.INVESTIGATOR]  # type: ignore[index]
    case = world["case"]
    case.refresh_from_db()  # type: ignore[attr-defined]
    response = client.post(
        reverse("cases:enhanced_rights", args=[case.pk]),  # type: ignore[attr-defined]
        {"enhanced": "no", "version": str(case.version)},  # type: ignore[attr-defined]
    )
    assert response.status_code == 302
    case.refresh_from_db()  # type: ignore[attr-defined]
    assert case.enhanced_rights is False  # type: ignore[attr-defined]


def test_ending_the_referral_removes_the_partners_access(world: dict[str, object]) -> None:
    from vigil.sharing.services import referral_end

    clients: dict[str, Client] = world["clients"]  # type: ignore[assignment]
    referral = world["referral"]
    url = reverse("sharing:referral", args=[referral.pk])  # type: ignore[attr-defined]
    incident = world["case"].incidents.first()  # type: ignore[attr-defined]
    assert incident.summary.splitlines()[0] in clients[Role.PARTNER].get(url).content.decode()
    referral_end(
        referral=referral,  # type: ignore[arg-type]
        status="withdrawn",
        reason="She withdrew consent",
        by=clients[Role.INVESTIGATOR].user,  # type: ignore[attr-defined]
    )
    assert incident.summary.splitlines()[0] not in clients[Role.PARTNER].get(url).content.decode()

"""The pages: markers on every linked case and in search results, the offender manager's view
(no victim contact details), the forms, the bundle and the figures."""

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
from vigil.cases.models import Case
from vigil.cases.tests.factories import make_case, suspect_of, victim_of
from vigil.cases.tests.pdftext import pdf_contains
from vigil.offenders import figures, services
from vigil.offenders.models import MarkerKind, Stage, StalkingProtectionOrder
from vigil.offenders.tests.helpers import applied_order, linked_cases

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def people(make_staff: Callable[..., User]) -> dict[str, User]:
    return {
        "handler": make_staff(Role.CALL_HANDLER),
        "ivy": make_staff(Role.INVESTIGATOR, team=None),
        "oscar": make_staff(Role.INVESTIGATOR, team=None),
        "om": make_staff(Role.OFFENDER_MANAGER, team=None),
        "coord": make_staff(Role.COORDINATOR),
    }


@pytest.fixture
def order(people: dict[str, User]) -> StalkingProtectionOrder:
    pair = linked_cases(
        handler=people["handler"],
        officer=people["ivy"],
        other_officer=people["oscar"],
        by=people["coord"],
    )
    found = applied_order(case=pair.first, by=people["coord"])
    services.offender_update(
        offender=found.offender,
        by=people["coord"],
        manager=people["om"],
        plan="",
        bail_conditions="",
    )
    return found


def _client(user: User) -> Client:
    return sign_in_verified(Client(), user)


def test_a_marker_shows_on_the_second_case_linked_to_the_same_person(
    order: StalkingProtectionOrder, people: dict[str, User]
) -> None:
    services.marker_add(
        offender=order.offender, kind=MarkerKind.VIOLENCE, reason="Assault 2024", by=people["coord"]
    )
    second = Case.objects.get(officer=people["oscar"])
    page = _client(people["oscar"]).get(reverse("cases:detail", args=[second.pk]))
    assert page.status_code == 200
    assert "Warning markers:" in page.content.decode()
    assert ">Violence<" in page.content.decode()


def test_a_marker_shows_in_case_search_results(
    order: StalkingProtectionOrder, people: dict[str, User]
) -> None:
    services.marker_add(
        offender=order.offender, kind=MarkerKind.WEAPONS, reason="Knife", by=people["coord"]
    )
    page = _client(people["oscar"]).get(reverse("cases:list"))
    assert ">Weapons<" in page.content.decode()


def test_a_case_of_someone_else_shows_no_marker(
    order: StalkingProtectionOrder, people: dict[str, User]
) -> None:
    services.marker_add(
        offender=order.offender, kind=MarkerKind.WEAPONS, reason="Knife", by=people["coord"]
    )
    other = make_case(
        by=people["handler"],
        officer=people["ivy"],
        suspects=[{"names": ["Someone Else"], "phones": ["07700 900111"]}],
    )
    page = _client(people["ivy"]).get(reverse("cases:detail", args=[other.pk]))
    assert ">Weapons<" not in page.content.decode()


def test_the_offender_manager_sees_the_person_and_order_but_no_victim_contact_details(
    order: StalkingProtectionOrder, people: dict[str, User]
) -> None:
    client = _client(people["om"])
    for url in (order.offender.get_absolute_url(), order.get_absolute_url()):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        for case in order.protected_cases.all():
            assert case.reference in html
            assert victim_of(case).name not in html
        for secret in ("ann@example.com", "bea@example.com", "07700 900123", "Safe contact"):
            assert secret not in html
    case = order.protected_cases.first()
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_an_offender_manager_of_someone_else_gets_404(
    order: StalkingProtectionOrder, make_staff: Callable[..., User]
) -> None:
    stranger = _client(make_staff(Role.OFFENDER_MANAGER, team=None))
    assert stranger.get(order.offender.get_absolute_url()).status_code == 404
    assert stranger.get(order.get_absolute_url()).status_code == 404


def test_the_offender_manager_home_page_lists_an_overdue_notification(
    order: StalkingProtectionOrder, people: dict[str, User]
) -> None:
    long_ago = timezone.localdate() - datetime.timedelta(days=10)
    services.spo_interim(order=order, made_on=long_ago, by=people["coord"])
    services.spo_serve(order=order, served_on=long_ago, by=people["coord"])
    page = _client(people["om"]).get(reverse("accounts:home"))
    html = page.content.decode()
    assert "People you manage" in html
    assert "Overdue" in html and order.offender.name in html


def test_not_pursuing_without_reasons_is_refused_by_the_field_and_keeps_the_answer(
    order: StalkingProtectionOrder, people: dict[str, User]
) -> None:
    case = Case.objects.get(officer=people["ivy"])
    page = _client(people["ivy"]).post(
        reverse("offenders:consider", args=[case.pk]),
        {"suspect": str(suspect_of(case).pk), "pursue": "no", "reasons": ""},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Say why you will not apply for an order" in html
    assert 'value="no" checked' in html or "checked" in html


def test_the_reasons_for_not_pursuing_show_on_the_case(
    people: dict[str, User], order: StalkingProtectionOrder
) -> None:
    case = Case.objects.get(officer=people["ivy"])
    services.spo_consider(
        case=case,
        suspect=suspect_of(case),
        pursue=False,
        reasons="Victim moved abroad.",
        by=people["ivy"],
    )
    page = _client(people["ivy"]).get(reverse("cases:detail", args=[case.pk]))
    assert "Victim moved abroad." in page.content.decode()


def test_a_full_order_under_two_years_is_refused_on_the_page(
    order: StalkingProtectionOrder, people: dict[str, User]
) -> None:
    page = _client(people["coord"]).post(
        reverse("offenders:court_step", args=[order.pk, "full"]),
        {
            "made_on_0": "1",
            "made_on_1": "6",
            "made_on_2": "2026",
            "ends_on_0": "1",
            "ends_on_1": "6",
            "ends_on_2": "2027",
        },
    )
    assert page.status_code == 200
    assert "at least 2 years" in page.content.decode()
    order.refresh_from_db()
    assert order.stage == Stage.APPLIED


def test_nonsense_input_never_errors(
    order: StalkingProtectionOrder, people: dict[str, User]
) -> None:
    client = _client(people["coord"])
    for name in ("apply", "notification", "breach", "draft", "condition_add"):
        page = client.post(
            reverse(f"offenders:{name}", args=[order.pk]), {"applied_on_2": "99999999999999"}
        )
        assert page.status_code == 200
    assert (
        client.get(reverse("offenders:court_step", args=[order.pk, "nonsense"])).status_code == 404
    )


def test_the_court_bundle_names_the_conduct_incidents_and_conditions(
    order: StalkingProtectionOrder, people: dict[str, User]
) -> None:
    page = _client(people["coord"]).get(reverse("offenders:bundle", args=[order.pk]))
    assert page["Content-Type"] == "application/pdf"
    pdf = page.content
    assert pdf_contains(pdf, "Followed her home.")
    assert pdf_contains(pdf, "Not to contact the victim by any means.")
    assert pdf_contains(pdf, "Calls every night.")
    for case in order.protected_cases.all():
        assert pdf_contains(pdf, case.reference)


def test_figures_count_each_stage_in_the_window_and_drill_down(
    order: StalkingProtectionOrder, people: dict[str, User]
) -> None:
    today = timezone.localdate()
    services.spo_interim(order=order, made_on=today, by=people["coord"])
    cases = Case.objects.all()
    # The window runs from the day the order was considered (the helper's day) to today.
    counts = figures.spo_pipeline(cases, order.considered_on, today)
    assert counts == {
        "considered": 1,
        "not_pursued": 0,
        "applied": 1,
        "interim": 1,
        "granted": 0,
        "breached": 0,
    }
    assert set(figures.spo_cases(cases, today, today, stage="interim")) == set(
        order.protected_cases.all()
    )
    last_year = today - datetime.timedelta(days=400)
    assert figures.spo_pipeline(cases, last_year, last_year)["considered"] == 0
    only_other = Case.objects.exclude(pk__in=order.protected_cases.all())
    assert figures.spo_pipeline(only_other, today, today)["interim"] == 0


def test_figures_count_overdue_notifications_at_a_moment(
    order: StalkingProtectionOrder, people: dict[str, User]
) -> None:
    served = timezone.localdate() - datetime.timedelta(days=5)
    services.spo_interim(order=order, made_on=served, by=people["coord"])
    services.spo_serve(order=order, served_on=served, by=people["coord"])
    assert figures.notifications_overdue(Case.objects.all(), timezone.now()) == 1
    assert figures.notifications_overdue(Case.objects.none(), timezone.now()) == 0


def test_a_plan_saved_over_someone_elses_newer_save_is_refused_and_the_answers_kept(
    order: StalkingProtectionOrder, people: dict[str, User]
) -> None:
    offender = order.offender
    read_at = offender.version
    services.offender_update(
        offender=offender,
        by=people["coord"],
        manager=people["om"],
        plan="Weekly visits.",
        bail_conditions="",
        version=read_at,
    )
    page = _client(people["om"]).post(
        reverse("offenders:person_edit", args=[offender.pk]),
        {
            "version": str(read_at),
            "read": "",
            "manager": str(people["om"].pk),
            "plan": "Monthly calls.",
            "bail_conditions": "",
        },
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "your changes were not saved" in html
    assert "Monthly calls." in html
    offender.refresh_from_db()
    assert offender.plan == "Weekly visits."


def test_two_officers_recording_the_same_court_decision_record_it_once(
    order: StalkingProtectionOrder, people: dict[str, User]
) -> None:
    stale = StalkingProtectionOrder.objects.get(pk=order.pk)
    services.spo_interim(order=order, made_on=timezone.localdate(), by=people["coord"])
    with pytest.raises(services.OrderError):
        services.spo_interim(order=stale, made_on=timezone.localdate(), by=people["ivy"])
    assert order.steps.filter(kind="interim").count() == 1


def test_a_partner_sees_no_police_warning_marker_on_a_shared_case(
    order: StalkingProtectionOrder, people: dict[str, User], make_staff: Callable[..., User]
) -> None:
    from vigil.sharing.parts import PARTS
    from vigil.sharing.tests.factories import refer_and_accept

    services.marker_add(
        offender=order.offender, kind=MarkerKind.WEAPONS, reason="Knife", by=people["coord"]
    )
    partner = make_staff(Role.PARTNER)
    case = Case.objects.get(officer=people["ivy"])
    # Shared with everything a referral can share, the suspect included.
    referral = refer_and_accept(
        case=case,
        agency=partner.agency,  # type: ignore[arg-type]
        by=people["ivy"],
        parts=[part.code for part in PARTS],
        partner=partner,
    )
    page = _client(partner).get(reverse("sharing:referral", args=[referral.pk]))
    assert page.status_code == 200
    assert ">Weapons<" not in page.content.decode()
    assert "Knife" not in page.content.decode()
    # The police case page, where markers show, is not for partners at all.
    assert _client(partner).get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_reading_a_person_the_list_and_the_desk_is_audited(
    order: StalkingProtectionOrder, people: dict[str, User]
) -> None:
    from vigil.audit.models import AuditEvent

    client = _client(people["om"])
    client.get(reverse("offenders:home"))
    client.get(order.offender.get_absolute_url())
    client.get(reverse("accounts:home"))
    actions = set(
        AuditEvent.objects.filter(actor_id=people["om"].pk).values_list("action", flat=True)
    )
    assert {"offenders.list", "offenders.offender.view", "offenders.desk"} <= actions


def test_an_application_dated_before_the_consideration_is_refused_by_the_date_field(
    people: dict[str, User],
) -> None:
    pair = linked_cases(
        handler=people["handler"],
        officer=people["ivy"],
        other_officer=people["oscar"],
        by=people["coord"],
    )
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON), tick=False):
        found = services.spo_consider(
            case=pair.first,
            suspect=suspect_of(pair.first),
            pursue=True,
            reasons="",
            by=people["coord"],
        )
        services.spo_draft(
            order=found, acts_of_stalking="Followed her.", risk_summary="High.", by=people["coord"]
        )
        services.condition_add(
            order=found, kind="prohibition", text="No contact.", reason="Calls.", by=people["coord"]
        )
        page = _client(people["coord"]).post(
            reverse("offenders:apply", args=[found.pk]),
            {
                "court": "Exeter Magistrates",
                "applied_on_0": "30",
                "applied_on_1": "11",
                "applied_on_2": "2026",
            },
        )
    assert page.status_code == 200
    assert "cannot be before 1 December 2026" in " ".join(page.context["form"].errors["applied_on"])
    assert 'value="Exeter Magistrates"' in page.content.decode()
    found.refresh_from_db()
    assert found.stage == Stage.DRAFTED
    assert found.applied_on is None


def test_a_breach_without_a_time_shows_time_not_known_on_the_order_cases_and_bundle(
    order: StalkingProtectionOrder, people: dict[str, User]
) -> None:
    with time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=LONDON), tick=False):
        services.spo_interim(order=order, made_on=datetime.date(2026, 11, 20), by=people["coord"])
        client = _client(people["coord"])
        page = client.post(
            reverse("offenders:breach", args=[order.pk]),
            {
                "occurred_on_0": "1",
                "occurred_on_1": "12",
                "occurred_on_2": "2026",
                "summary": "Waited outside her work.",
            },
        )
        assert page.status_code == 302
        order_page = client.get(reverse("offenders:order", args=[order.pk])).content.decode()
        bundle = client.get(reverse("offenders:bundle", args=[order.pk])).content
    breaches = order_page.split('id="order-breaches"')[1].split("</ul>")[0]
    assert "1 Dec 2026 (time not known)" in breaches
    assert "12:00" not in breaches
    incidents = list(order.breaches.get().incidents.all())
    assert {i.case_id for i in incidents} == {c.pk for c in order.protected_cases.all()}
    assert all(i.time_known is False for i in incidents)
    # The bundle's narrow "When" column wraps the words, so the lines join without a space.
    assert pdf_contains(bundle, "1 Dec 2026(time not")
    assert not pdf_contains(bundle, "1 Dec 202612:00")

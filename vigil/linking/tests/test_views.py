from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Agency, Role, User
from vigil.accounts.tests.factories import AgencyFactory
from vigil.linking.models import Alert, AlertStatus, LinkDecision, Verdict
from vigil.linking.services import link_confirm
from vigil.linking.tests.factories import add_record

pytestmark = pytest.mark.django_db

BILL = {"names": ["Bill Smith"], "date_of_birth": "12/03/1985", "phones": ["07700 900123"]}
WILLIAM = {"names": ["William Smith"], "date_of_birth": "1985-03-12", "phones": ["07700 900999"]}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.CALL_HANDLER, 404),
        (Role.INVESTIGATOR, 200),
        (Role.OFFENDER_MANAGER, 200),
        (Role.COORDINATOR, 200),
        (Role.SUPERVISOR, 200),
        (Role.PARTNER, 404),  # linking is police work: a partner opens no linking page
        (Role.DPO, 404),
        (Role.ADMINISTRATOR, 404),
    ],
)
def test_who_can_open_each_linking_page(
    staff_client: Callable[..., Client], role: str, expected: int
) -> None:
    client = staff_client(role)
    first = add_record(victim="v1", **BILL)
    second = add_record(victim="v2", **WILLIAM)
    decision = link_confirm(record=first, other=second, by=_officer())
    alert = Alert.objects.get()
    pages = {
        "home": reverse("linking:home"),
        "record": reverse("linking:record", args=[first.pk]),
        "decisions": reverse("linking:decisions"),
        "alert": reverse("linking:alert", args=[alert.pk]),
    }
    statuses = {name: client.get(url).status_code for name, url in pages.items()}
    assert statuses == {
        "home": expected,
        "record": expected,
        "decisions": expected,
        "alert": expected,
    }
    assert decision.pk


def _officer() -> User:
    from vigil.accounts.tests.factories import UserFactory

    return UserFactory(role=Role.INVESTIGATOR)


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("linking:home"))
    assert response.status_code == 302


def test_officer_sees_a_candidate_with_its_reasons(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.INVESTIGATOR)
    record = add_record(**BILL)
    add_record(label="Suspect in report XYZ", **WILLIAM)
    page = client.get(reverse("linking:record", args=[record.pk])).content.decode()
    assert "Suspect in report XYZ" in page
    assert "likely the same person" in page
    assert "Phone number" in page  # it differed
    assert "Same person" in page


def test_officer_confirms_a_candidate(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.INVESTIGATOR)
    record, other = add_record(**BILL), add_record(**WILLIAM)
    response = client.post(
        reverse("linking:decide", args=[record.pk]),
        {"other": str(other.pk), "verdict": "confirmed", "note": "Same car"},
        follow=True,
    )
    assert "now linked as the same person" in response.content.decode()
    decision = LinkDecision.objects.get()
    assert decision.verdict == Verdict.CONFIRMED
    assert decision.note == "Same car"


def test_officer_undoes_a_decision(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.INVESTIGATOR)
    record, other = add_record(**BILL), add_record(**WILLIAM)
    decision = link_confirm(record=record, other=other, by=client.user)  # type: ignore[attr-defined]
    response = client.post(
        reverse("linking:undo", args=[decision.pk]), {"record": str(record.pk)}, follow=True
    )
    assert "has been undone" in response.content.decode()
    decision.refresh_from_db()
    assert decision.undone_at is not None


def test_a_partner_cannot_open_a_record_outside_their_agency(
    staff_client: Callable[..., Client],
) -> None:
    advocacy = AgencyFactory(name="Advocacy Service", kind=Agency.Kind.PARTNER)
    client = staff_client(Role.PARTNER, agency=advocacy)
    police_record = add_record(agency=AgencyFactory(name="Test Police"), **BILL)
    response = client.get(reverse("linking:record", args=[police_record.pk]))
    assert response.status_code == 404


def test_a_partner_gets_404_on_every_linking_page_even_for_their_own_agencys_record(
    staff_client: Callable[..., Client],
) -> None:
    advocacy = AgencyFactory(name="Advocacy Service", kind=Agency.Kind.PARTNER)
    client = staff_client(Role.PARTNER, agency=advocacy)
    own = add_record(agency=advocacy, **BILL)
    pages = [
        reverse("linking:home"),
        reverse("linking:decisions"),
        reverse("linking:record", args=[own.pk]),
    ]
    assert [client.get(url).status_code for url in pages] == [404, 404, 404]


def test_a_partner_sees_no_link_to_linked_people(staff_client: Callable[..., Client]) -> None:
    advocacy = AgencyFactory(name="Advocacy Service", kind=Agency.Kind.PARTNER)
    client = staff_client(Role.PARTNER, agency=advocacy)
    page = client.get(reverse("accounts:home")).content.decode()
    assert reverse("linking:home") not in page
    assert "Linked people" not in page


def test_an_investigator_sees_the_link_to_linked_people(
    staff_client: Callable[..., Client],
) -> None:
    response = staff_client(Role.INVESTIGATOR).get(reverse("accounts:home"))
    assert response.status_code == 200
    assert f'href="{reverse("linking:home")}"' in response.content.decode()


def test_a_partner_cannot_post_a_decision(staff_client: Callable[..., Client]) -> None:
    advocacy = AgencyFactory(name="Advocacy Service", kind=Agency.Kind.PARTNER)
    client = staff_client(Role.PARTNER, agency=advocacy)
    own = add_record(agency=advocacy, **BILL)
    other = add_record(agency=advocacy, **WILLIAM)
    response = client.post(
        reverse("linking:decide", args=[own.pk]), {"other": str(other.pk), "verdict": "confirmed"}
    )
    assert response.status_code == 404
    assert not LinkDecision.objects.exists()


def test_coordinator_reviews_an_alert(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.COORDINATOR)
    first = add_record(victim="v1", **BILL)
    second = add_record(victim="v2", **WILLIAM)
    link_confirm(record=first, other=second, by=client.user)  # type: ignore[attr-defined]
    alert = Alert.objects.get()
    home = client.get(reverse("linking:home")).content.decode()
    assert "Suspect of more than one victim" in home
    page = client.get(reverse("linking:alert", args=[alert.pk])).content.decode()
    assert "2 different victims" in page
    client.post(reverse("linking:alert_acknowledge", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED

"""Issue 23: a private record tells nobody anything unless someone else names the same person.

Personas: Alice and Bea each keep a record about the same man; Cora is the coordinator; Ivy an
investigator (not the coordinator)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from vigil.accounts.models import Role
from vigil.audit.models import AuditEvent
from vigil.contact.contract import SafeContactPrefs
from vigil.notifications.models import OutboxMessage
from vigil.private_record import services
from vigil.private_record.models import Match, MatchMember, PrivateRecord, SourceKind
from vigil.reporting.models import Report, ReportDraft
from vigil.reporting.tests import journey

pytestmark = pytest.mark.django_db

SAFE_BY_EMAIL = SafeContactPrefs(channels=("email",), others_may_read=False)


def keep(
    *,
    phones: list[str] | None = None,
    emails: list[str] | None = None,
    name: str = "",
    date_of_birth: str = "",
    account: str = "",
    holder_email: str = "alice@example.org",
    address: str = "192.0.2.10",
) -> tuple[services.Opened, str]:
    return services.record_create(
        identifiers={
            "name": name,
            "date_of_birth": date_of_birth,
            "phones": phones or [],
            "emails": emails or [],
            "social": [],
            "vehicles": [],
        },
        account=account,
        prefs=SAFE_BY_EMAIL,
        contact_details={"email": holder_email, "phone": ""},
        address=address,
    )


def match_notices() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(purpose="private_record.match"))


def test_a_record_alone_releases_nothing_to_anyone(
    staff_client: Callable[..., Client],
) -> None:
    keep(phones=["07700 900999"], account="He waits outside my work.")
    assert not Match.objects.exists()
    assert match_notices() == []
    page = staff_client(Role.COORDINATOR).get("/staff/private-records/matches/")
    assert page.status_code == 200
    assert "There are no matches" in page.content.decode()
    assert "He waits outside my work" not in page.content.decode()


def test_two_records_naming_one_phone_in_different_formats_match() -> None:
    alice, _ = keep(phones=["07700 900999"], holder_email="alice@example.org")
    bea, _ = keep(phones=["+44 (0)7700-900 999"], holder_email="bea@example.org")
    match = Match.objects.get()
    assert set(match.members.values_list("record", flat=True)) == {
        alice.record.pk,
        bea.record.pk,
    }
    notices = match_notices()
    assert sorted(n.recipient for n in notices) == ["alice@example.org", "bea@example.org"]
    for notice in notices:
        # Neutral: nothing about a match, the person, stalking or the police.
        assert "07700" not in notice.body
        assert "match" not in notice.body.lower()
        assert "police" not in notice.body.lower()
        assert alice.record.reference not in notice.body
        assert bea.record.reference not in notice.body


def test_a_name_alone_is_no_match_but_a_name_with_a_date_of_birth_is() -> None:
    assert services.identifiers_of({"name": "Mallory Example"}) == set()
    keep(name="Mallory Example", holder_email="alice@example.org")
    keep(name="Mallory Example", holder_email="bea@example.org")
    assert not Match.objects.exists()
    keep(name="mallory  example", date_of_birth="1980-02-03", holder_email="alice@example.org")
    keep(name="Mallory Example", date_of_birth="1980-02-03", holder_email="bea@example.org")
    assert MatchMember.objects.count() == 2


def test_a_record_and_an_existing_report_naming_the_same_email_match(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(journey.SUSPECT, "emails", "Mallory.Example@gmail.com")
    client = Client()
    journey.fill_until_check(client)
    journey.send(client)
    report = Report.objects.get()
    assert not Match.objects.exists()

    alice, _ = keep(emails=["malloryexample+work@googlemail.com"])

    match = Match.objects.get()
    members = {(m.source, m.record_id, m.source_id) for m in match.members.all()}
    assert members == {
        (SourceKind.RECORD, alice.record.pk, None),
        (SourceKind.REPORT, None, report.pk),
    }
    assert [n.recipient for n in match_notices()] == ["alice@example.org"]


def test_a_report_sent_after_a_record_matches_it_too() -> None:
    keep(phones=["07700 900999"])  # the journey's suspect phone
    client = Client()
    journey.fill_until_check(client)
    journey.send(client)
    report = Report.objects.get()
    assert MatchMember.objects.filter(source=SourceKind.REPORT, source_id=report.pk).exists()
    assert len(match_notices()) == 1


def test_the_coordinator_sees_a_match_with_no_detail_until_each_holder_consents(
    staff_client: Callable[..., Client],
) -> None:
    alice, _ = keep(phones=["07700 900999"], account="Alice's own words", holder_email="a@x.org")
    keep(phones=["07700900999"], account="Bea's own words", holder_email="b@x.org")
    coordinator = staff_client(Role.COORDINATOR)

    page = coordinator.get("/staff/private-records/matches/").content.decode()
    assert page.count('data-testid="match"') == 1
    assert page.count("Has not agreed to share anything") == 2
    for secret in ("Alice's own words", "Bea's own words", "07700", "a@x.org", "b@x.org"):
        assert secret.replace("'", "&#x27;") not in page

    member = alice.record.members.get()
    services.match_consent(
        opened=alice, member_id=member.pk, release=["account", "contact"], wish="advocate"
    )
    page = coordinator.get("/staff/private-records/matches/").content.decode()
    assert "Alice&#x27;s own words" in page
    assert "a@x.org" in page
    assert "Talk to an independent advocate" in page
    assert "Bea&#x27;s own words" not in page
    assert "b@x.org" not in page
    assert "07700" not in page  # Alice did not release the identifiers
    assert page.count("Has not agreed to share anything") == 1
    assert AuditEvent.objects.filter(action="private_record.release").count() == 1
    assert AuditEvent.objects.filter(action="private_record.matches.view").count() == 2


def test_only_the_coordinator_reaches_the_matches(staff_client: Callable[..., Client]) -> None:
    keep(phones=["07700 900999"])
    keep(phones=["07700 900999"], holder_email="b@x.org")
    assert staff_client(Role.INVESTIGATOR).get("/staff/private-records/matches/").status_code == 404
    assert staff_client(Role.DPO).get("/staff/private-records/matches/").status_code == 404


def test_a_deleted_record_never_matches() -> None:
    alice, _ = keep(phones=["07700 900999"])
    services.record_delete(opened=alice)
    keep(phones=["07700 900999"], holder_email="bea@example.org")
    assert not Match.objects.exists()
    assert match_notices() == []


def test_deleting_a_record_in_a_match_of_two_removes_the_match_and_what_was_released() -> None:
    alice, _ = keep(phones=["07700 900999"], account="mine")
    keep(phones=["07700 900999"], holder_email="bea@example.org")
    member = alice.record.members.get()
    services.match_consent(opened=alice, member_id=member.pk, release=["account"], wish="officer")
    services.record_delete(opened=alice)
    assert not Match.objects.exists()
    assert not MatchMember.objects.exists()
    assert not PrivateRecord.objects.filter(pk=alice.record.pk).exists()


@override_settings(
    PRIVATE_RECORD_DERIVATIONS_PER_ADDRESS_PER_HOUR=3, PRIVATE_RECORD_DERIVATIONS_PER_HOUR=100
)
def test_derivation_is_rate_limited_per_address() -> None:
    keep(phones=["07700 900001", "07700 900002"], address="192.0.2.1")
    with pytest.raises(services.DerivationLimited):
        keep(phones=["07700 900003", "07700 900004"], address="192.0.2.1")
    assert PrivateRecord.objects.count() == 1  # nothing of the refused record is kept
    keep(phones=["07700 900003", "07700 900004"], address="198.51.100.7")  # another address
    assert PrivateRecord.objects.count() == 2
    assert AuditEvent.objects.filter(action="private_record.derive.limited").count() == 1


@override_settings(
    PRIVATE_RECORD_DERIVATIONS_PER_ADDRESS_PER_HOUR=100, PRIVATE_RECORD_DERIVATIONS_PER_HOUR=4
)
def test_derivation_is_rate_limited_for_everyone_together() -> None:
    keep(phones=["07700 900001", "07700 900002"], address="192.0.2.1")
    keep(phones=["07700 900003", "07700 900004"], address="192.0.2.2")
    with pytest.raises(services.DerivationLimited):
        keep(phones=["07700 900005"], address="192.0.2.3")
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1, minutes=1)):
        keep(phones=["07700 900005"], address="192.0.2.3")
    assert PrivateRecord.objects.count() == 3


def test_the_database_holds_neither_the_identifiers_nor_the_account_in_clear() -> None:
    keep(
        phones=["07700 900999"],
        emails=["Mallory.Example@gmail.com"],
        name="Mallory Example",
        date_of_birth="1980-02-03",
        account="He left a dead bird on my doorstep",
    )
    keep(phones=["07700 900999"], holder_email="bea@example.org")
    dump = _every_stored_value()
    for clear in (
        "900999",
        "+447700900999",
        "mallory",
        "Mallory",
        "1980-02-03",
        "dead bird",
        "alice@example.org",
        "bea@example.org",
    ):
        assert clear not in dump, clear


def _every_stored_value() -> str:
    """Every column of every row of every table, read with raw SQL as a thief with a copy would."""
    values: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                values.extend(str(value) for value in row)
    return "\n".join(values)


def test_the_holder_signs_in_with_reference_and_secret_and_a_wrong_secret_is_refused() -> None:
    alice, secret = keep(phones=["07700 900999"], account="words")
    with pytest.raises(services.SignInRefused):
        services.record_sign_in(
            reference=alice.record.reference, secret="ACDE-FGHJ-KMNP-QRTU", address="192.0.2.1"
        )
    opened = services.record_sign_in(
        reference=alice.record.reference.lower(), secret=secret.lower(), address="192.0.2.1"
    )
    assert opened.content["account"] == "words"


@override_settings(REPORT_TRACK_FAILURE_LIMIT=2)
def test_wrong_secrets_slow_down_the_address_they_come_from() -> None:
    alice, secret = keep(phones=["07700 900999"])
    for _ in range(2):
        with pytest.raises(services.SignInRefused):
            services.record_sign_in(
                reference=alice.record.reference, secret="wrong", address="192.0.2.66"
            )
    with pytest.raises(services.SignInRefused) as refused:
        services.record_sign_in(
            reference=alice.record.reference, secret=secret, address="192.0.2.66"
        )
    assert refused.value.code == "wait"
    services.record_sign_in(reference=alice.record.reference, secret=secret, address="192.0.2.7")


def test_an_edit_that_names_a_new_phone_matches_and_the_old_one_no_longer_does() -> None:
    alice, _ = keep(phones=["07700 900111"])
    services.record_update(
        opened=alice,
        identifiers={"name": "", "date_of_birth": "", "phones": ["07700 900222"]},
        account="",
        prefs=SAFE_BY_EMAIL,
        contact_details={"email": "alice@example.org", "phone": ""},
        address="192.0.2.10",
    )
    keep(phones=["07700 900111"], holder_email="bea@example.org")
    assert not Match.objects.exists()
    keep(phones=["07700 900222"], holder_email="cleo@example.org")
    assert Match.objects.count() == 1


def test_a_holder_who_said_do_not_contact_is_not_messaged() -> None:
    services.record_create(
        identifiers={"phones": ["07700 900999"]},
        account="",
        prefs=SafeContactPrefs(channels=()),
        contact_details={"email": "alice@example.org", "phone": ""},
        address="192.0.2.10",
    )
    keep(phones=["07700 900999"], holder_email="bea@example.org")
    assert [n.recipient for n in match_notices()] == ["bea@example.org"]


@override_settings(PRIVATE_RECORD_UNUSED_DAYS=100, PRIVATE_RECORD_KEEP_ANSWER_DAYS=10)
def test_an_unused_record_is_asked_about_once_then_deleted_without_an_answer() -> None:
    alice, _ = keep(phones=["07700 900999"])
    keep(phones=["07700 900555"], holder_email="bea@example.org")
    later = timezone.now() + datetime.timedelta(days=101)
    assert services.private_record_sweep(now=later)["asked"] == 2
    assert services.private_record_sweep(now=later)["asked"] == 0  # asked once only
    assert OutboxMessage.objects.filter(purpose="private_record.keep").count() == 2
    with time_machine.travel(later + datetime.timedelta(days=1)):
        services.record_sign_in(
            reference=alice.record.reference, secret=_secret_of(alice), address="192.0.2.1"
        )
    result = services.private_record_sweep(now=later + datetime.timedelta(days=11))
    assert result["deleted"] == 1
    assert list(PrivateRecord.objects.values_list("pk", flat=True)) == [alice.record.pk]


_SECRETS: dict[Any, str] = {}


def _secret_of(opened: services.Opened) -> str:
    return _SECRETS[opened.record.pk]


@pytest.fixture(autouse=True)
def _remember_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    original = services.record_create

    def remembering(**kwargs: Any) -> tuple[services.Opened, str]:
        opened, secret = original(**kwargs)
        _SECRETS[opened.record.pk] = secret
        return opened, secret

    monkeypatch.setattr(services, "record_create", remembering)


def test_a_record_turns_into_a_report_draft_filled_in_with_it() -> None:
    alice, _ = keep(phones=["07700 900999"], account="It started in June.")
    draft = services.record_to_report_draft(opened=alice, address="192.0.2.1")
    draft = ReportDraft.objects.get(pk=draft.pk)
    assert draft.data["suspects"][0]["phones"] == ["07700 900999"]
    assert draft.data["answers"]["anything-else"] == {"anything_else": "It started in June."}
    assert draft.data["answers"]["contact-channels"] == {"channels": ["email"]}


def test_every_derivation_match_check_and_release_is_audited_without_identifiers() -> None:
    alice, _ = keep(phones=["07700 900999"])
    keep(phones=["07700 900999"], holder_email="bea@example.org")
    member = alice.record.members.get()
    services.match_consent(opened=alice, member_id=member.pk, release=[], wish="not_now")
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("private_record.derive") == 2
    assert actions.count("private_record.match_check") == 2
    assert actions.count("private_record.release") == 1
    summaries = " ".join(str(e.summary) for e in AuditEvent.objects.all())
    assert "900999" not in summaries


def test_the_coordinators_home_page_says_how_many_matches_there_are(
    staff_client: Callable[..., Client],
) -> None:
    keep(phones=["07700 900999"])
    keep(phones=["07700 900999"], holder_email="bea@example.org")
    home = staff_client(Role.COORDINATOR).get("/staff/").content.decode()
    assert "1 match between people who named the same person." in home
    assert "0 people have agreed to share something." in home
    assert (
        "Private record matches"
        not in staff_client(Role.INVESTIGATOR).get("/staff/").content.decode()
    )


def test_a_suspect_added_to_a_case_matches_a_record_naming_them(
    make_staff: Callable[..., Any], staff_client: Callable[..., Client]
) -> None:
    from vigil.cases import services as case_services
    from vigil.cases.models import PersonRole
    from vigil.cases.tests.factories import make_case

    alice, _ = keep(phones=["07700 900444"])
    coordinator = make_staff(Role.COORDINATOR)
    case = make_case(by=coordinator)
    case_services.case_person_add(
        case=case, role=PersonRole.SUSPECT, name="Mal", by=coordinator, phones=["07700900444"]
    )
    members = {(m.source, m.source_id) for m in Match.objects.get().members.all()}
    assert members == {(SourceKind.RECORD, None), (SourceKind.CASE, case.pk)}
    assert [n.recipient for n in match_notices()] == ["alice@example.org"]
    page = staff_client(Role.COORDINATOR).get("/staff/private-records/matches/").content.decode()
    assert str(case.pk) not in page  # named once a holder shares something
    member = alice.record.members.get()
    services.match_consent(opened=alice, member_id=member.pk, release=[], wish="officer")
    page = staff_client(Role.COORDINATOR).get("/staff/private-records/matches/").content.decode()
    assert f"/staff/cases/{case.pk}/" in page


def test_the_sweep_forgets_the_tokens_of_a_report_that_is_gone() -> None:
    import uuid

    from vigil.private_record.models import NamedElsewhere

    services.person_named(
        source=SourceKind.REPORT, source_id=uuid.uuid4(), identifiers={"phone:+447700900999"}
    )
    assert services.private_record_sweep()["gone_reports_forgotten"] == 1
    assert not NamedElsewhere.objects.exists()
    keep(phones=["07700 900999"])
    assert not Match.objects.exists()


def test_a_holder_who_withdraws_their_consent_releases_nothing_any_more(
    staff_client: Callable[..., Client],
) -> None:
    alice, _ = keep(phones=["07700 900999"], account="Alice's own words")
    keep(phones=["07700 900999"], holder_email="bea@example.org")
    member = alice.record.members.get()
    services.match_consent(opened=alice, member_id=member.pk, release=["account"], wish="officer")
    services.match_withdraw(opened=alice, member_id=member.pk)
    page = staff_client(Role.COORDINATOR).get("/staff/private-records/matches/").content.decode()
    assert "Alice&#x27;s own words" not in page
    assert page.count("Has not agreed to share anything") == 2
    assert AuditEvent.objects.filter(action="private_record.release_withdrawn").count() == 1

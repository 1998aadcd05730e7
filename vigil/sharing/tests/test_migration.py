"""Case shares made before referrals become referrals, keeping no more than they gave."""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.cases.models import CaseShare
from vigil.cases.tests.factories import make_case
from vigil.sharing.models import AgencyType, Referral, ReferralStatus
from vigil.sharing.parts import INCIDENT_PLACES, SAFE_CONTACT, VICTIM_ADDRESS

pytestmark = pytest.mark.django_db

migration = importlib.import_module("vigil.sharing.migrations.0002_agency_types_and_case_shares")


def test_live_shares_become_accepted_referrals_and_stopped_ones_withdrawn(
    make_staff: Callable[..., User],
) -> None:
    ivy = make_staff(Role.INVESTIGATOR)
    pat = make_staff(Role.PARTNER)
    live, stopped = make_case(by=ivy, officer=ivy), make_case(by=ivy, officer=ivy)
    for case, revoked in ((live, None), (stopped, timezone.now())):
        CaseShare.objects.create(
            case=case,
            agency=pat.agency,
            consent_given_on=timezone.localdate(),
            consent_note="Agreed on the phone",
            shared_by=ivy,
            revoked_at=revoked,
        )
    migration.forwards(apps, None)
    assert Referral.objects.get(case=live).status == ReferralStatus.ACCEPTED
    assert Referral.objects.get(case=stopped).status == ReferralStatus.WITHDRAWN
    parts = set(Referral.objects.get(case=live).parts)
    assert not parts & {VICTIM_ADDRESS, SAFE_CONTACT, INCIDENT_PLACES}
    # The agency types are data, loaded once however often it runs.
    migration.forwards(apps, None)
    assert AgencyType.objects.filter(code="advocacy").count() == 1
    assert {"helpline", "idva", "health", "housing", "probation", "childrens_services"} <= set(
        AgencyType.objects.values_list("code", flat=True)
    )


def test_the_sweep_command_reminds_of_overdue_referrals(make_staff: Callable[..., User]) -> None:
    from io import StringIO

    import time_machine

    from vigil.sharing.tests.factories import refer

    ivy = make_staff(Role.INVESTIGATOR)
    referral = refer(
        case=make_case(by=ivy, officer=ivy), agency=make_staff(Role.PARTNER).agency, by=ivy
    )  # type: ignore[arg-type]
    out = StringIO()
    with time_machine.travel(referral.acknowledge_by + datetime.timedelta(hours=1)):  # type: ignore[operator]
        call_command("sharing_sweep", stdout=out)
        call_command("sharing_sweep", stdout=out)
    assert out.getvalue() == "reminded: 1\n"

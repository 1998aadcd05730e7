"""Referrals for tests: made and answered through the services, as a user would."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from vigil.accounts.models import Agency, Role, User
from vigil.accounts.tests.factories import UserFactory
from vigil.cases.models import Case
from vigil.sharing import services
from vigil.sharing.models import Basis, ConsentMethod, Referral
from vigil.sharing.parts import INCIDENTS, SUMMARY

SUMMARY_AND_INCIDENTS = (SUMMARY, INCIDENTS)


def refer(
    *, case: Case, agency: Agency, by: User, parts: Iterable[str] = SUMMARY_AND_INCIDENTS
) -> Referral:
    """A referral with the victim's consent, sent and waiting for the agency."""
    return services.referral_make(
        case=case,
        agency=agency,
        by=by,
        reason="Support from an advocate",
        parts=list(parts),
        basis=Basis.CONSENT,
        consent_given_by="The victim",
        consent_given_on=timezone.localdate() - datetime.timedelta(days=1),
        consent_method=ConsentMethod.PHONE,
        consent_scope="Said yes to an advocate seeing the summary and incidents",
    )


def refer_and_accept(
    *,
    case: Case,
    agency: Agency,
    by: User,
    parts: Iterable[str] = SUMMARY_AND_INCIDENTS,
    partner: User | None = None,
) -> Referral:
    """A referral the agency has accepted: its caseworkers now reach the case."""
    referral = refer(case=case, agency=agency, by=by, parts=parts)
    answering: User = (
        partner
        or agency.members.filter(role=Role.PARTNER).first()
        or UserFactory.create(role=Role.PARTNER, agency=agency)
    )
    return services.referral_accept(referral=referral, by=answering)

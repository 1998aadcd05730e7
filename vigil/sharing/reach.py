"""What this app registers with the apps below it (they cannot import it)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from vigil.accounts.home import HomePanel
from vigil.accounts.models import Role, User
from vigil.cases.closing import OpenItem
from vigil.cases.models import Case
from vigil.sharing.models import Referral, ReferralStatus


def referred_cases(agency_id: Any) -> Q:
    """CASE_REACH's "referred to the agency", as a filter on Case: a live, accepted referral.
    Read on every request, so ending a referral ends access on the next one."""
    return Q(
        Exists(Referral.objects.giving_access().filter(case=OuterRef("pk"), agency_id=agency_id))
    )


def is_referred(agency_id: Any, case: Case) -> bool:
    return Referral.objects.giving_access().filter(case_id=case.pk, agency_id=agency_id).exists()


def open_referral_items(case: Case) -> list[OpenItem]:
    """Closing a case lists its open referrals: end each, or carry it over with a reason."""
    return [
        OpenItem(
            key=f"referral:{referral.pk}",
            kind="referral",
            label=_("Referral to %(agency)s (%(status)s)")
            % {"agency": referral.agency.name, "status": referral.get_status_display()},
            resolve_url=reverse("sharing:case", args=[case.pk]),
        )
        for referral in case.referrals.filter(
            status__in=[
                ReferralStatus.AWAITING_APPROVAL,
                ReferralStatus.PENDING,
                ReferralStatus.ACCEPTED,
            ]
        )
        .select_related("agency")
        .order_by("created_at")
    ]


def partner_home_panel(user: User) -> HomePanel | None:
    if user.role != Role.PARTNER or not user.agency_id:
        return None
    waiting = (
        Referral.objects.for_agency(user.agency_id).filter(status=ReferralStatus.PENDING).count()
    )
    return HomePanel("sharing/_home_panel.html", {"waiting": waiting})

"""Demo referrals for `make run`: the advocacy service has one accepted, a second agency one
waiting. Idempotent, like every demo loader."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts.demo import DEMO_PASSWORD, demo_totp_key
from vigil.accounts.models import Agency, Role, Team, User
from vigil.audit.write_service import write_service
from vigil.cases.models import Case, CaseStatus
from vigil.sharing import services
from vigil.sharing.models import AgencyType, Basis, ConsentMethod, PartnerAgency, UpdateKind
from vigil.sharing.parts import INCIDENTS, SUMMARY, SUSPECT, VICTIM_NAME

IDVA_EMAIL = "idva@demo-idva.org.uk"


def _profile(agency: Agency, code: str) -> None:
    agency_type = AgencyType.objects.filter(code=code).first()
    if agency_type is not None:
        PartnerAgency.objects.get_or_create(agency=agency, defaults={"agency_type": agency_type})


@write_service
def load_demo_referrals() -> str:
    advocacy = Agency.objects.filter(name="Demo Stalking Advocacy Service").first()
    officer = User.objects.filter(role=Role.INVESTIGATOR).order_by("email").first()
    if advocacy is None or officer is None:
        return "No demo referrals: load the demo staff first."
    _profile(advocacy, "advocacy")
    idva, _ = Agency.objects.get_or_create(
        name="Demo IDVA Service", defaults={"kind": Agency.Kind.PARTNER}
    )
    _profile(idva, "idva")
    if not User.objects.filter(email=IDVA_EMAIL).exists():
        team, _ = Team.objects.get_or_create(agency=idva, name="IDVAs")
        user = User.objects.create_user(
            IDVA_EMAIL,
            DEMO_PASSWORD,
            full_name="Iris Dale",
            role=Role.PARTNER,
            agency=idva,
            team=team,
        )
        TOTPDevice.objects.update_or_create(
            user=user,
            name="Demo authenticator",
            defaults={"key": demo_totp_key(IDVA_EMAIL), "confirmed": True},
        )
    advocate = User.objects.filter(agency=advocacy, role=Role.PARTNER).first()
    cases = list(
        Case.objects.filter(status=CaseStatus.OPEN, referrals__isnull=True).order_by("opened_at")
    )
    if advocate is None or len(cases) < 2 or advocacy.referrals.exists():
        return "Demo referrals: already loaded."
    consent = {
        "basis": Basis.CONSENT,
        "consent_given_by": "The victim",
        "consent_given_on": timezone.localdate() - datetime.timedelta(days=1),
        "consent_method": ConsentMethod.PHONE,
        "consent_scope": "Agreed to an advocate seeing what happened and who it is.",
    }
    accepted = services.referral_make.as_step(
        case=cases[0],
        agency=advocacy,
        by=officer,
        reason="Needs an advocate to support her through the investigation.",
        parts=[SUMMARY, VICTIM_NAME, SUSPECT, INCIDENTS],
        **consent,  # type: ignore[arg-type]
    )
    services.referral_accept.as_step(referral=accepted, by=advocate)
    services.partner_update_add.as_step(
        referral=accepted,
        kind=UpdateKind.SAFETY_MEASURE,
        body="Personal alarm given and explained.",
        by=advocate,
    )
    services.referral_make.as_step(
        case=cases[1],
        agency=idva,
        by=officer,
        reason="Ex-partner; she asked for help with a safety plan.",
        parts=[SUMMARY, INCIDENTS],
        **consent,  # type: ignore[arg-type]
    )
    return "Demo referrals: one accepted by the advocacy service, one waiting for the IDVAs."

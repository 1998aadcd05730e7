"""Partner agency types as data, and the case shares made before referrals, as referrals.

A share gave the whole case. As a referral it keeps what it gave except the parts that are now
never shared unless chosen one by one (address, safe contact, incident places): nobody gains
access, and what the rule now guards must be asked for again. Revoked shares become ended
referrals, so the information-sharing log still shows them. The CaseShare table is left as it
was (see docs/decisions.md, "Referrals replace case shares").
"""

from typing import Any

from django.db import migrations

AGENCY_TYPES = [
    ("advocacy", "Stalking advocacy service (ISAC)", 2),
    ("helpline", "National Stalking Helpline", 2),
    ("idva", "Independent domestic violence advisers (IDVA)", 2),
    ("health", "Health", 5),
    ("housing", "Housing", 5),
    ("probation", "Probation", 5),
    ("childrens_services", "Children's services", 1),
]
KEPT_PARTS = [
    "summary",
    "victim_name",
    "victim_date_of_birth",
    "suspect",
    "incidents",
    "risk",
]


def forwards(apps: Any, schema_editor: Any) -> None:
    AgencyType = apps.get_model("sharing", "AgencyType")
    for order, (code, name, days) in enumerate(AGENCY_TYPES):
        AgencyType.objects.get_or_create(
            code=code,
            defaults={"name": name, "acknowledge_working_days": days, "order": order},
        )
    CaseShare = apps.get_model("cases", "CaseShare")
    Referral = apps.get_model("sharing", "Referral")
    for share in CaseShare.objects.all():
        ended = share.revoked_at is not None
        Referral.objects.create(
            case_id=share.case_id,
            agency_id=share.agency_id,
            referred_by_id=share.shared_by_id,
            reason=share.consent_note,
            parts=KEPT_PARTS,
            basis="consent",
            consent_given_by="Recorded before referrals: see what they agreed to",
            consent_given_on=share.consent_given_on,
            consent_scope=share.consent_note,
            status="withdrawn" if ended else "accepted",
            sent_at=share.created_at,
            acknowledged_at=share.created_at,
            ended_at=share.revoked_at,
            end_reason="Sharing stopped before referrals" if ended else "",
        )


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

from django.contrib import admin

from vigil.sharing.models import AgencyType, PartnerAgency


# Configuration only: referrals hold personal data and are read through the audited pages.
@admin.register(AgencyType)
class AgencyTypeAdmin(admin.ModelAdmin[AgencyType]):
    list_display = ["name", "code", "acknowledge_working_days", "order"]


@admin.register(PartnerAgency)
class PartnerAgencyAdmin(admin.ModelAdmin[PartnerAgency]):
    list_display = ["agency", "agency_type", "referrals_email"]

from django.contrib import admin
from django.urls import include, path

from vigil.accounts.adminsite import ConfigurationAdminSite

# The admin, like every staff page, needs a verified second factor; it is for administrators
# and configuration data only (vigil/accounts/adminsite.py).
admin.site.__class__ = ConfigurationAdminSite

urlpatterns = [
    path("staff/admin/", admin.site.urls),
    path("staff/notifications/", include("vigil.notifications.urls")),
    path("staff/cases/", include("vigil.cases.urls")),
    path("staff/linking/", include("vigil.linking.urls")),
    path("staff/feedback/", include("vigil.public_site.staff_urls")),
    path("staff/reports/", include("vigil.reporting.staff_urls")),
    path("staff/risk/", include("vigil.risk.urls")),
    path("staff/sharing/", include("vigil.sharing.urls")),
    path("staff/private-records/", include("vigil.private_record.staff_urls")),
    path("staff/safeguarding/", include("vigil.safeguarding.urls")),
    path("staff/records/", include("vigil.records.urls")),
    path("staff/offenders/", include("vigil.offenders.urls")),
    path("staff/insights/", include("vigil.insights.urls")),
    path("staff/", include("vigil.accounts.urls")),
    path("api/v1/", include("vigil.api.urls")),
    path("report/", include("vigil.reporting.urls")),
    path("safety/", include("vigil.safety.urls")),
    path("private-record/", include("vigil.private_record.urls")),
    path("", include("vigil.public_site.urls")),
]

handler400 = "vigil.public_site.views.bad_request"
handler403 = "vigil.public_site.views.permission_denied"
handler404 = "vigil.public_site.views.page_not_found"
handler500 = "vigil.public_site.views.server_error"

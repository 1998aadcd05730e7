"""What each member of staff sees in the staff navigation. Apps add their entries as they land.

An entry names the permission its page checks (a `rules` permission each app defines in its
rules.py), not a list of roles: the navigation shows a link exactly when the page would open, so
the two cannot drift apart. Strings only, so this base app imports no feature app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    # The permission the page itself checks; None for pages every member of staff may open.
    permission: str | None = None

    def shown_to(self, user: Any) -> bool:
        return self.permission is None or bool(user.has_perm(self.permission))


STAFF_NAVIGATION: list[NavItem] = [
    NavItem(_("Home"), "accounts:home"),
    NavItem(_("Intake"), "cases:intake", "cases.view_intake"),
    NavItem(_("Cases"), "cases:list", "cases.use_case_list"),
    NavItem(_("Referrals"), "sharing:inbox", "sharing.use_partner_view"),
    NavItem(_("Overdue"), "cases:overdue", "cases.see_overdue_lists"),
    NavItem(_("High-risk reviews"), "risk:high_risk_overdue", "risk.view_high_risk_reviews"),
    NavItem(_("Meetings"), "safeguarding:meetings", "safeguarding.see_meetings"),
    NavItem(_("Judgements to review"), "risk:judgement_queue", "risk.review_judgements"),
    NavItem(_("Insights"), "insights:dashboard", "insights.view_dashboard"),
    NavItem(_("Audit log"), "cases:audit_log", "cases.view_audit_log"),
    NavItem(_("Information sharing"), "sharing:log_index", "sharing.view_sharing_log"),
    NavItem(_("Retention"), "records:queue", "records.manage_records"),
    NavItem(_("Subject access"), "records:subject_access", "records.manage_records"),
    NavItem(_("Online reports"), "reporting_staff:list", "reporting.view_report"),
    NavItem(_("Messages that failed"), "notifications:failed", "notifications.manage_outbox"),
    NavItem(_("Feedback"), "feedback:list", "public_site.read_feedback"),
    NavItem(_("Linked people"), "linking:home", "linking.use_linking"),
    NavItem(_("Offenders"), "offenders:home", "offenders.use_offenders"),
    NavItem(_("Your account"), "accounts:account"),
]

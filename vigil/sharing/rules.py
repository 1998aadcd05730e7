"""Who may use the sharing pages, as `rules` permissions for the navigation and templates.

Which referral a user reaches is `selectors.referrals_visible_to`; which case, CASE_REACH.
"""

from __future__ import annotations

import rules

from vigil.cases.rules import is_dpo, is_partner

rules.add_perm("sharing.use_partner_view", is_partner)
rules.add_perm("sharing.view_sharing_log", is_dpo)

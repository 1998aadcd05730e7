"""Who may do what with linked records. Which records someone may see is in selectors.py."""

from __future__ import annotations

import rules

from vigil.accounts.models import Role

DECIDING_ROLES = frozenset(
    {Role.INVESTIGATOR, Role.COORDINATOR, Role.SUPERVISOR, Role.OFFENDER_MANAGER}
)
ALERT_REVIEWING_ROLES = frozenset({Role.COORDINATOR, Role.SUPERVISOR})


@rules.predicate
def can_decide_links(user: object) -> bool:
    """Police officers who handle cases say whether two records are one person."""
    return getattr(user, "role", None) in DECIDING_ROLES


@rules.predicate
def can_review_alerts(user: object) -> bool:
    """The stalking coordinator (and supervisors) review serial-perpetrator alerts."""
    return getattr(user, "role", None) in ALERT_REVIEWING_ROLES


@rules.predicate
def can_use_linking(user: object) -> bool:
    """Linking compares police records of suspects and victims across cases: police work only.
    Partners (advocacy, health) get what the police share with them through referrals, never
    the matching itself, so they see no linking page and no link to one."""
    return getattr(user, "role", None) in DECIDING_ROLES


rules.add_perm("linking.decide_links", can_decide_links)
rules.add_perm("linking.review_alerts", can_review_alerts)
rules.add_perm("linking.use_linking", can_use_linking)

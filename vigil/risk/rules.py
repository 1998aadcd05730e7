import rules

from vigil.accounts.models import Role


@rules.predicate
def oversees_high_risk_cases(user: object) -> bool:
    return getattr(user, "role", None) in {Role.COORDINATOR, Role.SUPERVISOR}


rules.add_perm("risk.view_high_risk_reviews", oversees_high_risk_cases)

import rules

from vigil.accounts.models import Role
from vigil.risk.judgements import may_review


@rules.predicate
def oversees_high_risk_cases(user: object) -> bool:
    return getattr(user, "role", None) in {Role.COORDINATOR, Role.SUPERVISOR}


rules.add_perm("risk.view_high_risk_reviews", oversees_high_risk_cases)


@rules.predicate
def reviews_judgements(user: object) -> bool:
    return may_review(user)


rules.add_perm("risk.review_judgements", reviews_judgements)

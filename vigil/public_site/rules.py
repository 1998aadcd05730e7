import rules

from vigil.accounts.models import Role

FEEDBACK_READERS = frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.ADMINISTRATOR})


@rules.predicate
def can_read_feedback(user: object) -> bool:
    return getattr(user, "role", None) in FEEDBACK_READERS


rules.add_perm("public_site.read_feedback", can_read_feedback)

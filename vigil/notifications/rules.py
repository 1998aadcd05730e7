import rules

from vigil.accounts.models import Role


@rules.predicate
def can_manage_outbox(user: object) -> bool:
    return getattr(user, "role", None) in {Role.COORDINATOR, Role.SUPERVISOR, Role.ADMINISTRATOR}


rules.add_perm("notifications.manage_outbox", can_manage_outbox)

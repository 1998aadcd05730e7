import rules

from vigil.accounts.models import Role


@rules.predicate
def oversees_the_force(user: object) -> bool:
    """Coordinators and supervisors (senior leaders) see how the force is doing; the figures
    are no one else's job, and the drill-down lists cases, so others get 404."""
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "role", None) in {
        Role.COORDINATOR,
        Role.SUPERVISOR,
    }


rules.add_perm("insights.view_dashboard", oversees_the_force)

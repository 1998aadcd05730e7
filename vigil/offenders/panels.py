"""The offender manager's panel on the staff home page."""

from __future__ import annotations

from vigil.accounts.home import HomePanel
from vigil.accounts.models import Role, User
from vigil.offenders.selectors import manager_desk


def offender_manager_panel(user: User) -> HomePanel | None:
    if getattr(user, "role", None) != Role.OFFENDER_MANAGER:
        return None
    return HomePanel(
        template="offenders/_home_panel.html", context={"desk": manager_desk(user=user)}
    )

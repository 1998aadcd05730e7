from __future__ import annotations

from vigil.accounts.home import HomePanel
from vigil.accounts.models import User


def insights_panel(user: User) -> HomePanel | None:
    if not user.has_perm("insights.view_dashboard"):
        return None
    return HomePanel("insights/_home_panel.html")

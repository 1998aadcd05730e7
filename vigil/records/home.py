"""The DPO's panel on the staff home page: how many records wait for a decision."""

from __future__ import annotations

from vigil.accounts.home import HomePanel
from vigil.accounts.models import User
from vigil.records import selectors
from vigil.records.rules import is_records_officer


def records_panel(user: User) -> HomePanel | None:
    if not is_records_officer(user):
        return None
    return HomePanel(
        template="records/_home_panel.html",
        context={
            "due": selectors.review_queue(user=user).count(),
            "held": selectors.holds_active(user=user).count(),
        },
    )

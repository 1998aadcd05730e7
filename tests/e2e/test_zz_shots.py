from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from vigil.accounts.models import Role
from vigil.cases.models import Case

from .test_risk import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_shots(live_server: Any, page: Page, make_staff: Any) -> None:
    base = live_server.url
    coord = make_staff(Role.COORDINATOR)
    handler = make_staff(Role.CALL_HANDLER)
    rng = random.Random(3)
    now = timezone.now()
    for n in range(300):
        opened = now - datetime.timedelta(days=rng.randint(0, 700), hours=rng.randint(0, 23))
        closed = rng.random() < 0.4
        Case.objects.create(
            reference=f"S-{n:05d}", created_by=handler, opened_at=opened,
            principal_classification=rng.choice(["stalking_s2a", "harassment_s2", "malicious_comms"]),
            risk_level=rng.choice(["high", "medium", "standard", ""]),
            response_due_at=opened + datetime.timedelta(hours=4),
            first_contact_at=opened + datetime.timedelta(minutes=rng.randint(10, 600)) if rng.random() < 0.8 else None,
            status="closed" if closed else "open",
            closed_at=opened + datetime.timedelta(days=rng.randint(1, 60)) if closed else None,
            outcome=rng.choice(["charge", "nfa", "caution"]) if closed else "",
        )
    public = page.context.browser.new_context().new_page()
    for path in ["/", "/get-help/", "/what-stalking-is/", "/get-help/"]:
        public.goto(f"{base}{path}")
    sign_in(page, base, coord)
    for width in (1280, 768, 320):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in [("dash", "/staff/insights/"), ("month", "/staff/insights/?trend=month&period=13w"),
                           ("drill", "/staff/insights/cases/cases_by_risk/?row=high"),
                           ("public", "/staff/insights/public-site/"), ("print", "/staff/insights/print/"),
                           ("home", "/staff/")]:
            page.goto(f"{base}{path}")
            page.screenshot(path=f"/tmp/shots/{name}-{width}.png", full_page=True)

"""What a case does when its suspect is confirmed as the suspect of other victims too.

Registered with linking in CasesConfig.ready(): linking cannot import cases (layers), so it
tells its listeners. Each linked case gets a timeline line, and each officer in charge an email
that names no one (mail can be read by the wrong person).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.cases.models import Case, TimelineKind
from vigil.cases.selectors import case_ids_for_owners
from vigil.cases.services import timeline_add
from vigil.common.urls import absolute_url
from vigil.notifications.services import outbox_enqueue


def on_serial_alert(*, alert: Any, owners: list[str], by: User | None) -> None:
    """A serial-perpetrator alert was raised or gained a victim: mark and tell every case."""
    cases = Case.objects.filter(pk__in=case_ids_for_owners(owners)).select_related("officer")
    told: set[Any] = set()
    for case in cases:
        timeline_add(
            case=case,
            kind=TimelineKind.CASE,
            title=_("The suspect is linked to %(n)d victims' reports or cases")
            % {"n": alert.victim_count},
            actor=by,
        )
        officer = case.officer
        if officer is None or officer.pk in told or not officer.email or not officer.is_active:
            continue
        told.add(officer.pk)
        outbox_enqueue(
            channel="email",
            recipient=officer.email,
            subject=_("Vigil: a suspect in your case is linked to other victims"),
            body=_(
                "The suspect in case %(ref)s has been confirmed as the suspect of other victims "
                "too. Please sign in to Vigil and open the case: %(link)s"
            )
            % {"ref": case.reference, "link": absolute_url("cases:detail", case.pk)},
            purpose="cases.linked_suspect",
            idempotency_key=f"cases.linked:{alert.pk}:{alert.victim_set}:{officer.pk}",
        )

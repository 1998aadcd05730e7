"""Builders for case tests: reports in the contract's documented shapes, and cases."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.utils import timezone

from vigil.accounts.models import User
from vigil.cases import services
from vigil.cases.models import Case, CasePerson, PersonRole, PriorityGrade
from vigil.contact.contract import SafeContactPrefs
from vigil.contact.models import SafeContact
from vigil.reporting.models import Report, ReporterType, ReportStatus


def make_report(**overrides: Any) -> Report:
    fields: dict[str, Any] = {
        "reference": "WEB-" + secrets.token_hex(4).upper(),
        "received_at": timezone.now() - datetime.timedelta(minutes=30),
        "status": ReportStatus.RECEIVED,
        "reporter_type": ReporterType.VICTIM,
        "victim": {"name": "Alice Example", "email": "alice@example.com", "phone": "07700 900123"},
        "safe_contact": {
            "channels": ["email"],
            "safe_times": "weekdays 9 to 3",
            "voicemail_ok": False,
            "can_say_police": False,
        },
        "suspects": [
            {"relationship": "ex_partner", "names": ["Mallory Sample"], "phones": ["07700 900999"]}
        ],
        "details": {
            "behaviours": ["following", "calls_messages"],
            "incidents": [
                {
                    "date": "2026-11-01",
                    "time": "21:15",
                    "place": "Elm Street",
                    "what_happened": "Followed me home from the bus stop.",
                }
            ],
            "impact": "I am scared to go out.",
        },
        "tracking_secret_hash": "x",
        "submission_key": secrets.token_hex(16),
    }
    fields.update(overrides)
    # The contract's JSON in, the victim's one live record out.
    fields["contact"] = SafeContact.objects.create(
        data=SafeContactPrefs.from_json(fields.pop("safe_contact")).to_json()
    )
    return Report.objects.create(**fields)


THRIVE = {
    "threat": "t",
    "harm": "h",
    "risk": "r",
    "investigation": "i",
    "vulnerability": "v",
    "engagement": "e",
}


def make_case(
    *,
    by: User,
    officer: User | None = None,
    classification: str = "harassment_s2",
    report: Report | None = None,
    **report_overrides: Any,
) -> Case:
    """A case made the way staff make one: triage of an online report."""
    report = report or make_report(**report_overrides)
    triage = services.triage_record(
        by=by,
        thrive=THRIVE,
        grade=PriorityGrade.objects.get(code="priority"),
        report=report,
        principal_classification=classification,
    )
    case = triage.case
    if officer is not None:
        services.case_assign(case=case, officer=officer, team=officer.team, supervisor=None, by=by)
    return case


def victim_of(case: Case) -> CasePerson:
    return case.people.filter(role=PersonRole.VICTIM).first()  # type: ignore[return-value]


def suspect_of(case: Case) -> CasePerson:
    return case.people.filter(role=PersonRole.SUSPECT).first()  # type: ignore[return-value]


def close_case(case: Case, *, by: User, outcome: str = "nfa", reason: str = "No evidence.") -> Case:
    """Close a case the way staff do, carrying over whatever is still open with a reason."""
    from vigil.cases import closing

    carry = {
        item.key: "Carried over for the test: the work continues after the case closes."
        for item in closing.open_items(case=case)
    }
    return closing.case_close(case=case, outcome=outcome, reason=reason, carry_over=carry, by=by)


def form_state(client: Any, url: str) -> dict[str, str]:
    """The hidden version fields of the edit form at `url`, as the browser would post them."""
    html = client.get(url).content.decode()
    state = {}
    for name in ("version", "read"):
        marker = f'name="{name}" value="'
        start = html.index(marker) + len(marker)
        state[name] = html[start : html.index('"', start)]
    return state

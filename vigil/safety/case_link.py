"""How the victim's safety tools reach case management, which sits above them.

Safety must not import cases (public apps know no staff app): case management registers its
adapter here when it starts (`vigil/cases/safety_link.py`). Without one, shares and alerts meant
for the officer wait on the report, and the safety sweep applies them once a case exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from vigil.reporting.models import Report
    from vigil.safety.models import DiaryEntry, SafetyAlert


class CaseLink(Protocol):
    def case_for_report(self, report: Report) -> Any | None:
        """The case this report became at triage (or the case its victim was added to)."""

    def alert_to_case(self, alert: SafetyAlert, case: Any) -> None:
        """Put the victim's safety alert on the case's timeline."""

    def diary_to_case(self, entry: DiaryEntry, case: Any, files: list[UploadedFile]) -> Any:
        """Record a diary entry the victim shared as an incident on the case, with its files as
        evidence; return the incident (None when the case has no victim to record it under)."""


_registered: list[CaseLink] = []


def register_case_link(link: CaseLink) -> None:
    _registered[:] = [link]


def case_link() -> CaseLink | None:
    return _registered[0] if _registered else None

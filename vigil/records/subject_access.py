"""Subject access: everything Vigil holds about one victim, as a ZIP the DPO can send.

The person's right of access (Data Protection Act 2018, Part 3 s45 for law enforcement
processing; UK GDPR Art. 15 otherwise) is to *their* data. Other people's data is withheld:
the suspects, other victims, the witnesses a victim named in a diary ("who was there"), the
officers' names (shown by role), and police-only notes. What is withheld is listed, by kind
and count, in the export and in the DPO's decision record, never the withheld data itself.

Reports taken by phone are the person's too: as the victim, and as the caller when a friend or
relative phoned for them (only the caller's own part then), found by the reference or by the
caller's own email or phone. A phone report that became a case made the case's victim record
(CasePerson.phone_report), and one added to the victim's case later that gives her own email or
phone is hers too: either goes out with the case, once.

The ZIP holds `subject_access.json` (the data), `subject_access.pdf` (the same, readable), and
`files/` (the person's own uploads, decrypted, each with its SHA-256 in the JSON).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.cases.models import (
    Case,
    CaseIdentifier,
    CasePerson,
    IdentifierKind,
    PersonRole,
    PhoneReport,
)
from vigil.cases.policy import identifier_index
from vigil.common.behaviours import staff_labels
from vigil.records.models import (
    ReportIdentifier,
    ReportIdentifierRole,
    SubjectAccessDecision,
    SubjectAccessExport,
)
from vigil.records.rules import is_records_officer
from vigil.reporting.models import MessageDirection, Report
from vigil.reporting.services import evidence_read
from vigil.safety.models import DiaryEntry

OFFICER = "Police staff"
WITHHELD = "[withheld: another person's information]"


class SubjectAccessError(Exception):
    pass


@dataclass(frozen=True)
class SubjectMatch:
    """One place the person appears as a victim: a report, a case, or both."""

    # "report:<uuid>" (the person is the report's victim), "reporter:<uuid>" (they reported for
    # someone else: only their own part is theirs), "phone:<uuid>" and "caller:<uuid>" the same
    # for a report taken by phone, or "victim:<uuid>" for their victim record on a case.
    key: str
    reference: str
    kind: str
    received_at: Any
    # The name the record gives, so the DPO can tell two victims of one case apart.
    name: str


def _require(user: Any) -> None:
    if not is_records_officer(user):
        raise SubjectAccessError(
            _("Only the data protection officer makes subject access exports.")
        )


def subject_find(
    *, user: Any, reference: str = "", email: str = "", phone: str = ""
) -> list[SubjectMatch]:
    """Where the person is a victim: by a report or case reference they give, and by their
    email address or phone number (exact, through the blind indexes: nothing is decrypted)."""
    _require(user)
    matches: dict[str, SubjectMatch] = {}
    reference = reference.strip().upper()
    victims: list[CasePerson] = []
    if reference:
        for report in Report.objects.filter(reference__iexact=reference):
            name = str((report.victim or {}).get("name", ""))
            matches[f"report:{report.pk}"] = SubjectMatch(
                f"report:{report.pk}", report.reference, "report", report.received_at, name
            )
        for phone_report in PhoneReport.objects.filter(reference__iexact=reference):
            # The reference is told to whoever phoned: the victim, or a friend who called.
            _add_phone_match(matches, phone_report, as_caller=False)
            if not phone_report.caller_is_victim:
                _add_phone_match(matches, phone_report, as_caller=True)
        victims += CasePerson.objects.filter(
            case__reference__iexact=reference, role=PersonRole.VICTIM
        ).select_related("case")
    indexes = []
    if email.strip():
        indexes.append(identifier_index(IdentifierKind.EMAIL, email.strip()))
    if phone.strip():
        indexes.append(identifier_index(IdentifierKind.PHONE, phone.strip()))
    if indexes:
        found = CaseIdentifier.objects.filter(
            blind_index__in=indexes, person__role=PersonRole.VICTIM
        ).select_related("person__case")
        victims += [identifier.person for identifier in found]
        # Reports, triaged or not: a victim who reported, or someone who reported for a victim.
        on_reports = ReportIdentifier.objects.filter(blind_index__in=indexes).select_related(
            "report", "phone_report"
        )
        # A report a found victim record came from is already in that case's export.
        on_cases = {victim.report_id for victim in victims if victim.report_id}
        on_cases |= _phone_reports_of(victims)
        for row in on_reports:
            as_reporter = row.role == ReportIdentifierRole.REPORTER
            if row.phone_report is not None:
                if as_reporter or row.phone_report.pk not in on_cases:
                    _add_phone_match(matches, row.phone_report, as_caller=as_reporter)
                continue
            online = row.report
            assert online is not None
            if not as_reporter and online.pk in on_cases:
                continue
            key = f"{'reporter' if as_reporter else 'report'}:{online.pk}"
            named = online.reporter if as_reporter else online.victim
            name = str((named or {}).get("name", ""))
            matches[key] = SubjectMatch(key, online.reference, "report", online.received_at, name)
    for victim in victims:
        matches[f"victim:{victim.pk}"] = SubjectMatch(
            f"victim:{victim.pk}", victim.case.reference, "case", victim.case.opened_at, victim.name
        )
    if matches:
        # The DPO sees names here to tell people apart: a read of personal data.
        audit_record(action="records.subject_find", actor=user, summary={"matches": len(matches)})
    return sorted(matches.values(), key=lambda m: m.received_at)


def _phone_reports_of(victims: list[CasePerson]) -> set[Any]:
    """The phone reports that are these victims' own: the one each record was made from, and
    those added to the victim's case later that give one of the victim's own emails or phone
    numbers (the same person phoning again). A call added to the case about someone else
    keeps its own match."""
    own = {victim.phone_report_id for victim in victims if victim.phone_report_id}
    for victim in victims:
        own |= set(
            ReportIdentifier.objects.filter(
                role=ReportIdentifierRole.VICTIM,
                phone_report__triage__case_id=victim.case_id,
                blind_index__in=CaseIdentifier.objects.filter(person=victim).values("blind_index"),
            ).values_list("phone_report_id", flat=True)
        )
    return own


def _add_phone_match(
    matches: dict[str, SubjectMatch], phone_report: PhoneReport, *, as_caller: bool
) -> None:
    key = f"{'caller' if as_caller else 'phone'}:{phone_report.pk}"
    # The call handler writes down the victim's name, never the caller's.
    name = (
        _("the caller, not the victim")
        if as_caller
        else str((phone_report.victim or {}).get("name", ""))
    )
    matches[key] = SubjectMatch(
        key, phone_report.reference, "phone_report", phone_report.received_at, name
    )


@dataclass
class _Export:
    data: dict[str, Any] = field(default_factory=lambda: {"reports": [], "cases": []})
    files: list[tuple[str, bytes]] = field(default_factory=list)
    withheld: Counter[str] = field(default_factory=Counter)

    def add_file(self, *, name: str, stored_path: str, sha256: str) -> dict[str, Any]:
        content = evidence_read(stored_path=stored_path)
        actual = hashlib.sha256(content).hexdigest()
        path = f"files/{sha256[:12]}-{_safe_name(name)}"
        self.files.append((path, content))
        return {"file": path, "sha256": actual, "sha256_recorded": sha256, "size": len(content)}


def _safe_name(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[-80:]
    return cleaned or "file"


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def _report_part(report: Report, export: _Export) -> dict[str, Any]:
    part: dict[str, Any] = {
        "reference": report.reference,
        "received_at": _iso(report.received_at),
        "status": report.get_status_display(),
        "about_you": report.victim,
        "what_you_told_us": report.details,
        "how_we_may_contact_you": report.contact.data if report.contact_id else {},
        "messages": [],
        "evidence": [],
        "diary": [],
    }
    if report.suspects:
        export.withheld[_("suspects named in the report")] += len(report.suspects)
    if report.reporter and report.reporter_type != "victim":
        export.withheld[_("the person who reported for you")] += 1
    for message in report.messages.all():
        from_you = message.direction == MessageDirection.FROM_REPORTER
        part["messages"].append(
            {
                "at": _iso(message.created_at),
                "from": "you" if from_you else OFFICER,
                "text": message.body,
            }
        )
        if not from_you and message.author_id:
            export.withheld[_("officers' names")] += 1
    for item in report.evidence.all():
        part["evidence"].append(
            {
                "name": item.original_name,
                "uploaded_at": _iso(item.uploaded_at),
                **export.add_file(
                    name=item.original_name, stored_path=item.stored_path, sha256=item.sha256
                ),
            }
        )
    for entry in DiaryEntry.objects.filter(report=report).prefetch_related("files"):
        if entry.who_was_there:
            export.withheld[_("witnesses named in the diary")] += 1
        part["diary"].append(
            {
                "occurred_at": _iso(entry.occurred_at),
                "place": entry.place,
                "what_happened": entry.what_happened,
                "who_was_there": WITHHELD if entry.who_was_there else "",
                "impact": entry.impact,
                "changes_made": entry.changes_made,
                "files": [
                    {
                        "name": f.original_name,
                        **export.add_file(
                            name=f.original_name, stored_path=f.stored_path, sha256=f.sha256
                        ),
                    }
                    for f in entry.files.all()
                ],
            }
        )
    return part


def _reporter_part(report: Report, export: _Export) -> dict[str, Any]:
    """A report someone made for another person, as the reporter's own data: who they said
    they are, how we may contact them, and the messages between us. Everything about the
    person they reported for (and the suspects) is that person's, so it is withheld."""
    contact = report.reporter_contact
    part: dict[str, Any] = {
        "reference": report.reference,
        "received_at": _iso(report.received_at),
        "status": report.get_status_display(),
        "you_reported_for_someone_else": True,
        "about_you": report.reporter,
        "how_we_may_contact_you": contact.data if contact is not None else {},
        "messages": [],
    }
    export.withheld[_("the person you reported for")] += 1
    if report.suspects:
        export.withheld[_("suspects named in the report")] += len(report.suspects)
    if report.details:
        export.withheld[_("what you told us about the person you reported for")] += 1
    files = report.evidence.count() + DiaryEntry.objects.filter(report=report).count()
    if files:
        export.withheld[_("evidence and diary entries about the person you reported for")] += files
    for message in report.messages.all():
        from_you = message.direction == MessageDirection.FROM_REPORTER
        part["messages"].append(
            {
                "at": _iso(message.created_at),
                "from": "you" if from_you else OFFICER,
                "text": message.body,
            }
        )
        if not from_you and message.author_id:
            export.withheld[_("officers' names")] += 1
    return part


def _phone_report_part(phone_report: PhoneReport, export: _Export) -> dict[str, Any]:
    """A report taken by phone, as its victim's data: what the call handler wrote down about
    them and what happened. The suspects are withheld, and the call handler is police staff."""
    part: dict[str, Any] = {
        "reference": phone_report.reference,
        "received_at": _iso(phone_report.received_at),
        "how_you_reported": _("By phone")
        if phone_report.caller_is_victim
        else _("Someone phoned us for you"),
        "status": _("Added to a case") if phone_report.triaged else _("Waiting to be looked at"),
        "taken_by": OFFICER,
        "about_you": phone_report.victim,
        "what_we_were_told": phone_report.summary,
        "what_has_been_happening": staff_labels(phone_report.behaviours),
        "in_danger_then": phone_report.immediate_danger,
        "how_we_may_contact_you": phone_report.safe_contact,
    }
    export.withheld[_("officers' names")] += 1
    if phone_report.suspects:
        export.withheld[_("suspects named in the report")] += len(phone_report.suspects)
    if phone_report.caller and not phone_report.caller_is_victim:
        export.withheld[_("the person who reported for you")] += 1
    return part


def _caller_part(phone_report: PhoneReport, export: _Export) -> dict[str, Any]:
    """A phone report made by a friend or relative for the victim, as the caller's own data:
    that they called, when, and how we may reach them. What they told us is about the victim,
    so it is withheld with the victim's details and the suspects."""
    part: dict[str, Any] = {
        "reference": phone_report.reference,
        "received_at": _iso(phone_report.received_at),
        "you_reported_for_someone_else": True,
        "how_you_reported": _("By phone"),
        "taken_by": OFFICER,
        "how_we_may_contact_you": phone_report.caller or {},
    }
    export.withheld[_("the person you reported for")] += 1
    export.withheld[_("officers' names")] += 1
    if phone_report.suspects:
        export.withheld[_("suspects named in the report")] += len(phone_report.suspects)
    if phone_report.summary:
        export.withheld[_("what you told us about the person you reported for")] += 1
    return part


def _case_part(case: Case, victims: list[CasePerson], export: _Export) -> dict[str, Any]:
    ids = {v.pk for v in victims}
    others = case.people.exclude(pk__in=ids)
    for person in others:
        key = _("suspects on the case") if person.role == PersonRole.SUSPECT else _("other victims")
        export.withheld[key] += 1
    notes = case.notes.count()
    if notes:
        export.withheld[_("police notes on the case")] += notes
    part: dict[str, Any] = {
        "reference": case.reference,
        "opened_at": _iso(case.opened_at),
        "closed_at": _iso(case.closed_at),
        "status": case.get_status_display(),
        "outcome": case.get_outcome_display() if case.outcome else "",
        "you": [
            {
                "name": v.name,
                "details": v.details,
                "identifiers": [{"kind": i.kind, "value": i.value} for i in v.identifiers.all()],
            }
            for v in victims
        ],
        "incidents": [],
        "contact_with_you": [],
    }
    for incident in case.incidents.filter(victim__in=victims).order_by("occurred_at"):
        if incident.suspect_id:
            export.withheld[_("who each incident was by")] += 1
        part["incidents"].append(
            {
                "occurred_at": _iso(incident.occurred_at)
                if incident.time_known
                else str(timezone.localtime(incident.occurred_at).date()),
                "place": incident.place,
                "what_happened": incident.summary,
                "source": incident.get_source_display(),
            }
        )
    for entry in case.contacts.filter(victim__in=victims).order_by("at"):
        export.withheld[_("officers' names")] += 1
        part["contact_with_you"].append(
            {
                "at": _iso(entry.at),
                "how": entry.get_channel_display(),
                "direction": entry.get_direction_display(),
                "summary": entry.summary,
                "by": OFFICER,
            }
        )
    return part


@dataclass
class _Scope:
    """The records chosen: reports where the person is the victim and where they reported for
    someone else (online, and by phone), and cases with the person's own victim records."""

    reports: list[Report]
    as_reporter: list[Report]
    phone_reports: list[PhoneReport]
    as_caller: list[PhoneReport]
    cases: dict[Case, list[CasePerson]]


def _ids(keys: list[str], kind: str) -> set[str]:
    return {k.split(":", 1)[1] for k in keys if k.startswith(f"{kind}:")}


def _scope(keys: list[str]) -> _Scope:
    report_ids, phone_ids = _ids(keys, "report"), _ids(keys, "phone")
    victims = list(
        CasePerson.objects.filter(pk__in=_ids(keys, "victim"), role=PersonRole.VICTIM)
        .select_related("case")
        .order_by("created_at")
    )
    cases: dict[Case, list[CasePerson]] = {}
    for victim in victims:
        cases.setdefault(victim.case, []).append(victim)
        # The report this victim record came from is the same person's.
        if victim.report_id:
            report_ids.add(str(victim.report_id))
    phone_ids |= {str(pk) for pk in _phone_reports_of(victims)}
    # A report the person is the victim of is shown whole (as theirs), never also as reporter's.
    return _Scope(
        reports=list(Report.objects.filter(pk__in=report_ids).order_by("received_at")),
        as_reporter=list(
            Report.objects.filter(pk__in=_ids(keys, "reporter") - report_ids).order_by(
                "received_at"
            )
        ),
        phone_reports=list(PhoneReport.objects.filter(pk__in=phone_ids).order_by("received_at")),
        as_caller=list(
            PhoneReport.objects.filter(pk__in=_ids(keys, "caller") - phone_ids).order_by(
                "received_at"
            )
        ),
        cases=cases,
    )


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Nested answers as "label: text" rows for the readable copy."""
    if isinstance(value, dict):
        rows: list[tuple[str, str]] = []
        for key, inner in value.items():
            label = f"{prefix} / {key}" if prefix else str(key)
            rows += _flatten(inner, label.replace("_", " "))
        return rows
    if isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            return [(prefix, ", ".join(str(item) for item in value))] if value else []
        rows = []
        for number, inner in enumerate(value, start=1):
            rows += _flatten(inner, f"{prefix} {number}")
        return rows
    if value is None or value == "":
        return []
    if isinstance(value, bool):
        return [(prefix, str(_("Yes") if value else _("No")))]
    return [(prefix, _readable_time(str(value)))]


def _readable_time(text: str) -> str:
    """ISO timestamps (as the JSON holds them) in the words of a letter: 1 December 2026, 11:54."""
    if len(text) < 19 or text[10:11] != "T":
        return text
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return text
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def _pdf(data: dict[str, Any]) -> bytes:
    sections: list[dict[str, Any]] = []
    for report in data["reports"]:
        sections.append(
            {"title": _("Report %(ref)s") % {"ref": report["reference"]}, "rows": _flatten(report)}
        )
    for case in data["cases"]:
        sections.append(
            {"title": _("Case %(ref)s") % {"ref": case["reference"]}, "rows": _flatten(case)}
        )
    html = render_to_string("records/subject_access_pdf.html", {"data": data, "sections": sections})
    from weasyprint import HTML  # slow to import; only exports need it

    return bytes(HTML(string=html).write_pdf())


@write_service
def subject_access_export(
    *, user: User, keys: list[str], decision: str, reason: str, subject_label: str
) -> tuple[SubjectAccessExport, bytes]:
    """Build the export of the chosen reports and cases, record the decision and what was
    withheld, and audit it, in one transaction."""
    _require(user)
    if not keys:
        raise SubjectAccessError(_("Choose at least one report or case to include."))
    scope = _scope(keys)
    cases = scope.cases
    export = _Export()
    export.data["made_at"] = timezone.now().isoformat()
    export.data["reports"] = [
        *(_report_part(r, export) for r in scope.reports),
        *(_reporter_part(r, export) for r in scope.as_reporter),
        *(_phone_report_part(p, export) for p in scope.phone_reports),
        *(_caller_part(p, export) for p in scope.as_caller),
    ]
    export.data["cases"] = [_case_part(c, v, export) for c, v in cases.items()]
    export.data["withheld"] = dict(sorted(export.withheld.items()))
    export.data["files"] = [path for path, _content in export.files]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "subject_access.json",
            json.dumps(export.data, indent=2, ensure_ascii=False, default=str),
        )
        archive.writestr("subject_access.pdf", _pdf(export.data))
        for path, content in export.files:
            archive.writestr(path, content)
    content = buffer.getvalue()
    record = SubjectAccessExport.objects.create(
        made_by=user,
        subject_label=subject_label,
        decision=decision,
        reason=reason,
        included=[{"kind": k.split(":", 1)[0], "id": k.split(":", 1)[1]} for k in keys],
        withheld=export.data["withheld"],
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )
    audit_record(
        action="records.subject_access",
        actor=user,
        target=record,
        summary={
            "reports": [str(r.pk) for r in [*scope.reports, *scope.as_reporter]],
            "phone_reports": [str(p.pk) for p in [*scope.phone_reports, *scope.as_caller]],
            "cases": [str(c.pk) for c in cases],
            "withheld": export.data["withheld"],
            "sha256": record.sha256,
            "decision": decision,
        },
    )
    for case in cases:
        audit_record(action="case.read.subject_access", actor=user, target=case)
    return record, content


__all__ = [
    "SubjectAccessDecision",
    "SubjectAccessError",
    "SubjectMatch",
    "subject_access_export",
    "subject_find",
]

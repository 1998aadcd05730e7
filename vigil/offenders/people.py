"""Between a case's suspect and the person of the linking engine.

A suspect named in an online report has a linking record owned by the report
("reporting.report:<uuid>#suspect-<n>"); one added by staff has "cases.person:<uuid>". Once a
link is confirmed, their records share one `Person`: that is the offender, and every case in
which one of the person's records appears is theirs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from uuid import UUID

from vigil.cases.models import Case, CasePerson, PersonRole, Triage
from vigil.cases.querysets import CaseQuerySet
from vigil.linking.api import PersonRecord, person_record_upsert

CASE_OWNER = "cases.case:"
REPORT_OWNER = "reporting.report:"


def _uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def _case_suspects(case: Case) -> list[CasePerson]:
    return list(case.people.filter(role=PersonRole.SUSPECT).order_by("created_at"))


def record_for_suspect(*, case: Case, suspect: CasePerson, by: Any) -> PersonRecord:
    """The suspect's linking record: from the report they were named in, or their own."""
    own = PersonRecord.objects.filter(source=f"cases.person:{suspect.pk}").first()
    if own is not None:
        return own
    reports = Triage.objects.filter(case=case, report__isnull=False).values_list(
        "report_id", flat=True
    )
    position = next((i for i, s in enumerate(_case_suspects(case)) if s.pk == suspect.pk), 0)
    for report_id in reports:
        found = PersonRecord.objects.filter(
            source=f"{REPORT_OWNER}{report_id}#suspect-{position}"
        ).first()
        if found is not None:
            return found
    record: PersonRecord = person_record_upsert.as_step(
        source=f"cases.person:{suspect.pk}",
        owner=f"{CASE_OWNER}{case.pk}",
        by=by,
        label=f"Suspect on case {case.reference}",
        names=[suspect.name],
    )
    return record


def case_ids_by_person(person_ids: list[Any]) -> dict[Any, set[UUID]]:
    """For each person, the cases in which one of their records appears."""
    records = PersonRecord.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "owner"
    )
    cases: dict[Any, set[UUID]] = defaultdict(set)
    report_people: dict[UUID, set[Any]] = defaultdict(set)
    for person_id, owner in records:
        if owner.startswith(CASE_OWNER) and (pk := _uuid(owner[len(CASE_OWNER) :])):
            cases[person_id].add(pk)
        elif owner.startswith(REPORT_OWNER) and (pk := _uuid(owner[len(REPORT_OWNER) :])):
            report_people[pk].add(person_id)
    if report_people:
        triaged = Triage.objects.filter(report_id__in=list(report_people)).values_list(
            "report_id", "case_id"
        )
        for report_id, case_id in triaged:
            for person_id in report_people[report_id]:
                cases[person_id].add(case_id)
    return cases


def person_ids_by_case(case_ids: list[UUID]) -> dict[UUID, set[Any]]:
    """For each case, the people (of the linking engine) of its suspects' records."""
    owners = {f"{CASE_OWNER}{pk}": pk for pk in case_ids}
    triaged = Triage.objects.filter(case_id__in=case_ids, report__isnull=False).values_list(
        "report_id", "case_id"
    )
    owners.update({f"{REPORT_OWNER}{report_id}": case_id for report_id, case_id in triaged})
    found: dict[UUID, set[Any]] = defaultdict(set)
    records = PersonRecord.objects.filter(owner__in=list(owners), role="suspect").values_list(
        "owner", "person_id"
    )
    for owner, person_id in records:
        found[owners[owner]].add(person_id)
    return found


def person_cases(person_id: Any) -> CaseQuerySet:
    return Case.objects.filter(pk__in=case_ids_by_person([person_id]).get(person_id, set()))


def suspect_on_case(*, case: Case, person_id: Any) -> CasePerson | None:
    """The case's suspect who is this person (for a breach's incident); else the first."""
    suspects = _case_suspects(case)
    for record in PersonRecord.objects.filter(person_id=person_id):
        if record.source.startswith("cases.person:"):
            for suspect in suspects:
                if str(suspect.pk) == record.source.split(":", 1)[1]:
                    return suspect
        elif "#suspect-" in record.source and record.owner.startswith(REPORT_OWNER):
            report_id = _uuid(record.owner[len(REPORT_OWNER) :])
            position = record.source.rsplit("-", 1)[1]
            if report_id is None or not position.isdigit():
                continue
            on_case = Triage.objects.filter(case=case, report_id=report_id).exists()
            if on_case and int(position) < len(suspects):
                return suspects[int(position)]
    return suspects[0] if suspects else None

"""Erasing one record (a case, or a report that never became one): every row and file that
belongs to it, and nothing else.

What belongs to a case is found by walking the foreign keys that point at it, at its online
and phone reports, at its victims' safe-contact records and at its linking records, and on
from each row found. Django's own delete cannot do this: rows inside the case protect one
another (an incident protects its victim), and PROTECT refuses even when both go together.
So the walk is done here, checked (it must never reach another case or report), and the rows
are deleted through a Collector without its PROTECT checks, inside the caller's transaction.
Foreign keys are checked at commit on both databases, so a row missed would roll it all back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.deletion import (
    CASCADE,
    PROTECT,
    SET_NULL,
    Collector,
    get_candidate_relations_to_delete,
)

from vigil.cases.models import Case, CasePerson, PhoneReport
from vigil.common.stored_files import owner_relations
from vigil.contact.models import SafeContact
from vigil.linking.api import records_owned_by
from vigil.records.policy import RetentionRecord, case_report_ids
from vigil.reporting.models import Report

# Models whose rows are the records of one event: reaching one that is not a root means the
# walk has left the case, and the erasure must stop.
BOUNDARY_MODELS: tuple[type[models.Model], ...] = (Case, Report)


class ErasureOutOfBounds(Exception):
    """The walk reached a row of another case or report: refuse rather than delete it."""


@dataclass
class ErasurePlan:
    rows: dict[type[models.Model], set[Any]] = field(default_factory=lambda: defaultdict(set))
    # Rows outside the plan that point at a row inside it through SET_NULL: cleared.
    nulls: list[tuple[type[models.Model], str, set[Any]]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            model._meta.label: len(pks)
            for model, pks in sorted(self.rows.items(), key=lambda item: item[0]._meta.label)
            if pks
        }

    def stored_paths(self) -> set[str]:
        """The stored files the rows keep (StoredFile.storage_name); some may be kept by rows
        outside the plan too (a file shared into another record), and so stay."""
        paths: set[str] = set()
        for model, name in owner_relations():
            if self.rows.get(model):
                paths |= {
                    path
                    for path in model._base_manager.filter(pk__in=self.rows[model]).values_list(
                        f"{name}__storage_name", flat=True
                    )
                    if path
                }
        return paths


def _roots(record: RetentionRecord) -> dict[type[models.Model], set[Any]]:
    roots: dict[type[models.Model], set[Any]] = defaultdict(set)
    if isinstance(record, PhoneReport):
        roots[PhoneReport].add(record.pk)
        return roots
    case = record if isinstance(record, Case) else None
    reports = set(case_report_ids(case)) if case else {record.pk}
    roots[Report] |= reports
    owners = [f"reporting.report:{pk}" for pk in reports]
    contacts: set[Any] = set()
    if case is not None:
        roots[Case].add(case.pk)
        roots[PhoneReport] |= set(
            case.triages.exclude(phone_report=None).values_list("phone_report_id", flat=True)
        )
        owners.append(f"cases.case:{case.pk}")
        contacts |= set(case.people.exclude(contact=None).values_list("contact_id", flat=True))
    records = records_owned_by(owners)
    if records.exists():
        roots[records.model] |= set(records.values_list("pk", flat=True))
    # A victim's safe-contact record goes with the case only when nothing else uses it.
    contacts |= set(
        Report.objects.filter(pk__in=reports)
        .exclude(contact=None)
        .values_list("contact_id", flat=True)
    )
    people_elsewhere = CasePerson.objects.exclude(case=case) if case else CasePerson.objects.all()
    for contact_id in contacts:
        used_elsewhere = (
            people_elsewhere.filter(contact_id=contact_id).exists()
            or Report.objects.filter(contact_id=contact_id).exclude(pk__in=reports).exists()
        )
        if not used_elsewhere:
            roots[SafeContact].add(contact_id)
    return roots


def _relations(model: type[models.Model]) -> list[tuple[type[models.Model], str, Any]]:
    """(referencing model, its foreign key's name, the key's on_delete) for each relation that
    a deletion of `model` rows must consider."""
    found: list[tuple[type[models.Model], str, Any]] = []
    for relation in get_candidate_relations_to_delete(model._meta):
        described: Any = relation
        found.append(
            (
                described.related_model,
                described.field.name,
                described.field.remote_field.on_delete,
            )
        )
    return found


def erasure_plan(record: RetentionRecord, *, using: str = DEFAULT_DB_ALIAS) -> ErasurePlan:
    plan = ErasurePlan()
    roots = _roots(record)
    pending: list[tuple[type[models.Model], set[Any]]] = []
    for model, pks in roots.items():
        plan.rows[model] |= pks
        pending.append((model, set(pks)))
    while pending:
        model, pks = pending.pop()
        for related, field_name, on_delete in _relations(model):
            # SET_NULL is cleared below, once every row to delete is known; DO_NOTHING is never
            # used by Vigil's models.
            if on_delete not in (CASCADE, PROTECT):
                continue
            referencing = related._base_manager.using(using).filter(**{f"{field_name}__in": pks})
            found = set(referencing.values_list("pk", flat=True)) - plan.rows[related]
            if not found:
                continue
            if related in BOUNDARY_MODELS:
                raise ErasureOutOfBounds(f"{related._meta.label} outside the record")
            plan.rows[related] |= found
            pending.append((related, found))
    _check_inside(record if isinstance(record, Case) else None, plan, using)
    for model, pks in list(plan.rows.items()):
        for related, field_name, on_delete in _relations(model):
            if on_delete is not SET_NULL:
                continue
            outside = set(
                related._base_manager.using(using)
                .filter(**{f"{field_name}__in": pks})
                .exclude(pk__in=plan.rows.get(related, set()))
                .values_list("pk", flat=True)
            )
            if outside:
                plan.nulls.append((related, field_name, outside))
    return plan


def _check_inside(case: Case | None, plan: ErasurePlan, using: str) -> None:
    """Every row found that belongs to a case must belong to this one (or, erasing a report
    that never became a case, to none): a report whose victim also appears on a case is
    shared, and erasing it would take that case's rows."""
    for model, pks in plan.rows.items():
        if model is Case or not pks:
            continue
        if any(f.name == "case" and f.is_relation for f in model._meta.concrete_fields):
            found = model._base_manager.using(using).filter(pk__in=pks)
            elsewhere = found.exclude(case_id=case.pk) if case else found.exclude(case=None)
            if elsewhere.exists():
                raise ErasureOutOfBounds(f"{model._meta.label} of another case")


def erasure_execute(plan: ErasurePlan, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Inside the caller's transaction."""
    for model, field_name, pks in plan.nulls:
        model._base_manager.using(using).filter(pk__in=pks).update(**{field_name: None})
    collector = Collector(using=using)
    for model, pks in plan.rows.items():
        if pks:
            collector.add(list(model._base_manager.using(using).filter(pk__in=pks)))
    collector.delete()

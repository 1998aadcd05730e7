"""People on a case: victims, suspects, witnesses, their identifiers and safe contact.

Each write is one transaction that records its audit row and timeline line.
"""

from __future__ import annotations

from typing import Any

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
    TimelineKind,
)
from vigil.cases.name_search import name_words_remember
from vigil.cases.policy import (
    identifier_index,
    normalise_name,
    searchable_places_and_vehicles,
)
from vigil.cases.services.timeline import timeline_add
from vigil.cases.versions import StaleVersion
from vigil.contact.contract import SafeContactPrefs
from vigil.contact.models import SafeContact
from vigil.contact.services import safe_contact_create, safe_contact_update
from vigil.linking.services import person_record_upsert
from vigil.private_record.api import case_suspect_named
from vigil.reporting.models import Report


def _add_identifiers(
    *,
    person: CasePerson,
    phones: list[str],
    emails: list[str],
    details: dict[str, Any] | None = None,
) -> None:
    found = searchable_places_and_vehicles(details or {})
    rows = [
        CaseIdentifier(
            case_id=person.case_id,
            person=person,
            kind=kind,
            value=value,
            blind_index=identifier_index(kind, value),
        )
        for kind, values in (
            (IdentifierKind.PHONE, phones),
            (IdentifierKind.EMAIL, emails),
            (IdentifierKind.VEHICLE, found[IdentifierKind.VEHICLE]),
            (IdentifierKind.POSTCODE, found[IdentifierKind.POSTCODE]),
        )
        for value in values
        if value and value.strip()
    ]
    CaseIdentifier.objects.bulk_create(rows)


@write_service
def person_identifiers_reindex(*, person: CasePerson) -> int:
    """Make a person's search rows what they would be if the person were added today: phone
    and email hashed with the current blind-index key, vehicles and postcodes taken afresh from
    their details by linking's normaliser. Safe to run any number of times; returns the rows
    the person now has."""
    kept = list(person.identifiers.filter(kind__in=[IdentifierKind.PHONE, IdentifierKind.EMAIL]))
    for row in kept:
        row.blind_index = identifier_index(row.kind, row.value)
    CaseIdentifier.objects.bulk_update(kept, ["blind_index"])
    person.identifiers.filter(kind__in=[IdentifierKind.VEHICLE, IdentifierKind.POSTCODE]).delete()
    _add_identifiers(person=person, phones=[], emails=[], details=person.details or {})
    rows = person.identifiers.count()
    audit_record(action="case.person.reindex", target=person, summary={"rows": rows})
    return rows


def _person_create(
    *,
    case: Case,
    role: str,
    name: str,
    details: dict[str, Any] | None = None,
    contact: SafeContact | None = None,
    phones: list[str] | None = None,
    emails: list[str] | None = None,
    report: Report | None = None,
    phone_report: PhoneReport | None = None,
) -> CasePerson:
    if role == PersonRole.VICTIM and contact is None:
        # Until someone asks them, a victim's record says: do not contact.
        contact = safe_contact_create(prefs=SafeContactPrefs())
    person = CasePerson.objects.create(
        case=case,
        role=role,
        name=name,
        name_search=normalise_name(name),
        details=details or {},
        contact=contact if role == PersonRole.VICTIM else None,
        report=report,
        phone_report=phone_report,
    )
    _add_identifiers(person=person, phones=phones or [], emails=emails or [], details=details)
    name_words_remember([person.name_search])
    return person


def _suspect_link_record(
    *,
    case: Case,
    suspect: CasePerson,
    phones: list[str] | None,
    emails: list[str] | None,
    by: User,
) -> None:
    """Offer a suspect added by staff to the linking engine, like suspects from reports."""
    victim = case.people.filter(role=PersonRole.VICTIM).order_by("created_at").first()
    owner = f"cases.case:{case.pk}"
    person_record_upsert.as_step(
        source=f"cases.person:{suspect.pk}",
        owner=owner,
        by=by,
        victim_key=f"cases.person:{victim.pk}" if victim else owner,
        label=_("Suspect on case %(ref)s") % {"ref": case.reference},
        names=[suspect.name],
        phones=phones or [],
        emails=emails or [],
    )
    # Someone keeping a private record about the same person is told (issue 23); staff learn
    # only that a match exists, on the coordinator's page.
    case_suspect_named(
        case_id=case.pk,
        names=[suspect.name],
        date_of_birth=str((suspect.details or {}).get("date_of_birth") or ""),
        phones=phones,
        emails=emails,
    )


@write_service
def case_person_add(
    *,
    case: Case,
    role: str,
    name: str,
    by: User,
    details: dict[str, Any] | None = None,
    prefs: SafeContactPrefs | None = None,
    phones: list[str] | None = None,
    emails: list[str] | None = None,
) -> CasePerson:
    person = _person_create(
        case=case,
        role=role,
        name=name,
        details=details,
        contact=safe_contact_create(prefs=prefs) if prefs is not None else None,
        phones=phones,
        emails=emails,
    )
    audit_record(
        action=f"case.{role}.add", actor=by, target=case, summary={"person": str(person.pk)}
    )
    if role == PersonRole.SUSPECT:
        _suspect_link_record(case=case, suspect=person, phones=phones, emails=emails, by=by)
    timeline_add(
        case=case,
        kind=TimelineKind.CASE,
        title=_("%(role)s added") % {"role": person.get_role_display()},
        actor=by,
    )
    return person


def victim_safe_contact_change(
    *, victim: CasePerson, prefs: SafeContactPrefs, by: User | None, from_report: str = ""
) -> list[str]:
    """Inside the caller's transaction: the victim's one record changes, enforced at once by
    every sender; the timeline says what changed (not the victim's words). Returns the changes."""
    if victim.contact is None:
        victim.contact = safe_contact_create(prefs=SafeContactPrefs())
        victim.save(update_fields=["contact", "updated_at"])
    before, after = safe_contact_update(
        record=victim.contact, prefs=prefs, by=by, source="case.staff"
    )
    changes = after.changes_from(before)
    if changes:
        what = ", ".join(changes)
        title = (
            _("Safe contact taken from the newer report %(ref)s: %(what)s")
            % {"ref": from_report, "what": what}
            if from_report
            else _("Safe contact changed by staff: %(what)s") % {"what": what}
        )
        timeline_add(
            case=victim.case,
            kind=TimelineKind.CONTACT,
            title=title,
            detail=after.describe(),
            actor=by,
        )
    return changes


@write_service
def victim_safe_contact_update(
    *, victim: CasePerson, prefs: SafeContactPrefs, by: User, version: int | None = None
) -> CasePerson:
    """Staff record what the victim told them. The report and the case share the record, so
    the victim sees the same answers on "track my report".

    `version` is the record's version when the form was read: a save over a newer one (the
    victim's own change, or a colleague's) is refused, never silently undone.
    """
    if victim.contact_id is not None and version is not None:
        current = (
            SafeContact.objects.select_for_update()
            .filter(pk=victim.contact_id)
            .values_list("version", flat=True)
            .get()
        )
        if current != version:
            raise StaleVersion(
                _("Someone else saved changes here after you opened this page. Nothing was saved.")
            )
    changes = victim_safe_contact_change(victim=victim, prefs=prefs, by=by)
    audit_record(
        action="case.victim.safe_contact",
        actor=by,
        target=victim.case,
        summary={"person": str(victim.pk), "changed": len(changes)},
    )
    return victim

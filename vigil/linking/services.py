"""Writes: records of people, staff decisions about them, and alerts. Each one is audited.

Case management and report intake call `person_record_upsert` when a suspect (or victim) is
added or changed, show `selectors.candidates_for(...)` to the officer, and call `link_confirm`,
`link_reject` or `link_undo` with the officer's decision.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import Agency, Role, User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.common.urls import absolute_url
from vigil.linking import indexes, matching, normalise
from vigil.linking.models import (
    Alert,
    AlertKind,
    AlertStatus,
    LinkDecision,
    Person,
    PersonRecord,
    RecordKey,
    RecordRole,
    Verdict,
)
from vigil.linking.rules import can_decide_links, can_review_alerts
from vigil.linking.selectors import VisibilityRule, visible_records
from vigil.notifications.models import Channel
from vigil.notifications.services import outbox_enqueue


class LinkError(ValidationError):
    """A decision that cannot be made; the message is for the member of staff."""


# --- records ---------------------------------------------------------------------------------


def _split_name(raw: str) -> dict[str, str | None] | None:
    full = normalise.name(raw)
    if not full:
        return None
    words = full.split(" ")
    return {
        "given": normalise.given_name(words[0]),
        "surname": words[-1] if len(words) > 1 else None,
        "full": full,
    }


def _social(item: str | Mapping[str, str]) -> str | None:
    if isinstance(item, Mapping):
        return normalise.social_account(item.get("handle"), platform=item.get("platform", ""))
    return normalise.social_account(item)


def _unique(values: Iterable[str | None]) -> list[str]:
    return sorted({v for v in values if v})


def record_attributes(
    *,
    names: Sequence[str] = (),
    date_of_birth: str | datetime.date | None = None,
    phones: Sequence[str] = (),
    emails: Sequence[str] = (),
    social_accounts: Sequence[str | Mapping[str, str]] = (),
    vehicles: Sequence[str] = (),
    addresses: Sequence[str] = (),
    postcodes: Sequence[str] = (),
) -> dict[str, Any]:
    """Normalised identifiers of one record, as stored (encrypted) and compared."""
    split = [_split_name(n) for n in names]
    found_postcodes = [normalise.postcode(p) for p in postcodes]
    # A postcode written inside an address line counts as the record's postcode too.
    for address in addresses:
        words = address.replace(",", " ").split()
        for i in range(len(words) - 1):
            found_postcodes.append(normalise.postcode(f"{words[i]} {words[i + 1]}"))
    return {
        "names": [n for n in split if n],
        "dob": normalise.date_of_birth(date_of_birth),
        "phones": _unique(normalise.phone(p) for p in phones),
        "emails": _unique(normalise.email(e) for e in emails),
        "socials": _unique(_social(s) for s in social_accounts),
        "vehicles": _unique(p for v in vehicles for p in normalise.vehicle_registrations(v)),
        "addresses": _unique(normalise.address(a) for a in addresses),
        "postcodes": _unique(found_postcodes),
    }


def _write_keys(record: PersonRecord) -> int:
    record.keys.all().delete()
    digests = indexes.digests(record.identifiers, key_ids=[record.index_key_id])
    RecordKey.objects.bulk_create(RecordKey(record=record, digest=d) for d in sorted(digests))
    return len(digests)


@write_service
def person_record_upsert(
    *,
    source: str,
    owner: str,
    by: User | None,
    role: str = RecordRole.SUSPECT,
    victim_key: str = "",
    agency: Agency | None = None,
    label: str = "",
    names: Sequence[str] = (),
    date_of_birth: str | datetime.date | None = None,
    phones: Sequence[str] = (),
    emails: Sequence[str] = (),
    social_accounts: Sequence[str | Mapping[str, str]] = (),
    vehicles: Sequence[str] = (),
    addresses: Sequence[str] = (),
    postcodes: Sequence[str] = (),
) -> PersonRecord:
    """Create or update the record of one mention of a person (keyed by `source`).

    `victim_key` is any stable identifier of the owner's victim (a case's victim id, say);
    only its keyed hash is kept, to count distinct victims for serial-perpetrator alerts.
    """
    attributes = record_attributes(
        names=names,
        date_of_birth=date_of_birth,
        phones=phones,
        emails=emails,
        social_accounts=social_accounts,
        vehicles=vehicles,
        addresses=addresses,
        postcodes=postcodes,
    )
    record = PersonRecord.objects.select_for_update().filter(source=source).first()
    created = record is None
    if record is None:
        record = PersonRecord(source=source, person=Person.objects.create(), created_by=by)
    record.owner = owner
    record.role = role
    record.victim_key = indexes.victim_digest(victim_key)
    record.agency = agency
    record.label = label
    record.attributes = attributes  # type: ignore[assignment]
    record.index_key_id = indexes.current_key_id()
    record.save()
    key_count = _write_keys(record)
    audit_record(
        action="linking.record_create" if created else "linking.record_update",
        actor=by,
        target=record,
        summary={"source_type": source.split(":", 1)[0], "role": role, "keys": key_count},
    )
    _check_alerts(record.person, by=by)
    return record


@write_service
def person_record_reindex(*, record: PersonRecord) -> PersonRecord:
    """Re-hash a record's keys with the current blind-index key (after a key rotation)."""
    old = record.index_key_id
    record.index_key_id = indexes.current_key_id()
    record.save(update_fields=["index_key_id", "updated_at"])
    _write_keys(record)
    audit_record(
        action="linking.record_reindex",
        target=record,
        summary={"from_key": old, "to_key": record.index_key_id},
    )
    return record


# --- decisions -------------------------------------------------------------------------------


def _ordered(a: PersonRecord, b: PersonRecord) -> tuple[PersonRecord, PersonRecord]:
    return (a, b) if str(a.pk) < str(b.pk) else (b, a)


def _decide(
    *,
    record: PersonRecord,
    other: PersonRecord,
    verdict: str,
    by: User,
    note: str,
    visible: VisibilityRule | None,
) -> LinkDecision:
    if not can_decide_links(by):
        raise LinkError(_("Only police officers working on cases can decide about links."))
    if record.pk == other.pk:
        raise LinkError(_("A record cannot be linked to itself."))
    if visible_records(by, visible).filter(pk__in=[record.pk, other.pk]).count() != 2:
        raise LinkError(_("You can only decide about records you can see."))
    a, b = _ordered(record, other)
    live = (
        LinkDecision.objects.select_for_update()
        .filter(record_a=a, record_b=b, undone_at__isnull=True)
        .first()
    )
    if live is not None:
        if live.verdict == verdict:
            return live
        raise LinkError(
            _("Someone has already decided about these two records. Undo that decision first.")
        )
    if verdict == Verdict.CONFIRMED and a.person_id == b.person_id:
        raise LinkError(_("These records are already linked as the same person."))
    scored = matching.score(a.identifiers, b.identifiers)
    decision = LinkDecision.objects.create(
        record_a=a,
        record_b=b,
        verdict=verdict,
        score=round(scored.probability, 6),
        reasons=scored.reasons(),
        note=note,
        decided_by=by,
    )
    audit_record(
        action=f"linking.link_{'confirm' if verdict == Verdict.CONFIRMED else 'reject'}",
        actor=by,
        target=decision,
        summary={
            "record_a": str(a.pk),
            "record_b": str(b.pk),
            "score": decision.score,
            "reasons": decision.reasons,
        },
    )
    return decision


@write_service
def link_confirm(
    *,
    record: PersonRecord,
    other: PersonRecord,
    by: User,
    note: str = "",
    visible: VisibilityRule | None = None,
) -> LinkDecision:
    """Staff say two records are the same person: their people become one."""
    decision = _decide(
        record=record, other=other, verdict=Verdict.CONFIRMED, by=by, note=note, visible=visible
    )
    for person in _recluster([decision.record_a_id, decision.record_b_id]):
        _check_alerts(person, by=by)
    return decision


@write_service
def link_reject(
    *,
    record: PersonRecord,
    other: PersonRecord,
    by: User,
    note: str = "",
    visible: VisibilityRule | None = None,
) -> LinkDecision:
    """Staff say two records are different people: the pair is not proposed again."""
    return _decide(
        record=record, other=other, verdict=Verdict.REJECTED, by=by, note=note, visible=visible
    )


@write_service
def link_undo(
    *, decision: LinkDecision, by: User, visible: VisibilityRule | None = None
) -> LinkDecision:
    """Take a decision back. The row stays, stamped, so the history is never lost."""
    if not can_decide_links(by):
        raise LinkError(_("Only police officers working on cases can decide about links."))
    decision = LinkDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.undone_at is not None:
        raise LinkError(_("This decision has already been undone."))
    pair = [decision.record_a_id, decision.record_b_id]
    if visible_records(by, visible).filter(pk__in=pair).count() != 2:
        raise LinkError(_("You can only decide about records you can see."))
    decision.undone_at = timezone.now()
    decision.undone_by = by
    decision.save(update_fields=["undone_at", "undone_by", "updated_at"])
    audit_record(
        action="linking.link_undo",
        actor=by,
        target=decision,
        summary={"verdict": decision.verdict},
    )
    if decision.verdict == Verdict.CONFIRMED:
        for person in _recluster(pair):
            _check_alerts(person, by=by)
    return decision


def _component(start: Any, edges: dict[Any, set[Any]]) -> set[Any]:
    seen = {start}
    todo = [start]
    while todo:
        for neighbour in edges.get(todo.pop(), ()):
            if neighbour not in seen:
                seen.add(neighbour)
                todo.append(neighbour)
    return seen


def _recluster(record_ids: Sequence[Any]) -> list[Person]:
    """Make people match the connected groups of confirmed links around these records."""
    persons = PersonRecord.objects.filter(pk__in=record_ids).values("person_id")
    involved = set(PersonRecord.objects.filter(person_id__in=persons).values_list("pk", flat=True))
    involved |= set(record_ids)
    edges: dict[Any, set[Any]] = {}
    frontier = set(involved)
    while frontier:
        # Follow confirmed links outwards until no new records appear.
        links = LinkDecision.objects.filter(
            verdict=Verdict.CONFIRMED, undone_at__isnull=True
        ).filter(Q(record_a__in=frontier) | Q(record_b__in=frontier))
        new: set[Any] = set()
        for a, b in links.values_list("record_a_id", "record_b_id"):
            edges.setdefault(a, set()).add(b)
            edges.setdefault(b, set()).add(a)
            new |= {a, b} - involved
        involved |= new
        frontier = new
    owners = dict(PersonRecord.objects.filter(pk__in=involved).values_list("pk", "person_id"))
    claimed: set[Any] = set()
    result: list[Person] = []
    done: set[Any] = set()
    for record_id in sorted(involved, key=str):
        if record_id in done:
            continue
        group = _component(record_id, edges)
        done |= group
        # Keep the person that already holds most of the group, so alerts and history stay.
        counts: dict[Any, int] = {}
        for member in group:
            counts[owners[member]] = counts.get(owners[member], 0) + 1
        ranked = sorted(counts, key=lambda p: (-counts[p], str(p)))
        target_id = next((p for p in ranked if p not in claimed), None)
        person = Person.objects.get(pk=target_id) if target_id else Person.objects.create()
        claimed.add(person.pk)
        PersonRecord.objects.filter(pk__in=group).exclude(person=person).update(
            person=person, updated_at=timezone.now()
        )
        result.append(person)
    # People left with no records keep their history; withdraw their alerts.
    for person_id in set(owners.values()) - claimed:
        _check_alerts(Person.objects.get(pk=person_id), by=None)
    return result


# --- alerts ----------------------------------------------------------------------------------


def _victim_keys(person: Person) -> list[str]:
    keys = (
        PersonRecord.objects.filter(person=person, role=RecordRole.SUSPECT)
        .exclude(victim_key="")
        .values_list("victim_key", flat=True)
        .distinct()
    )
    return sorted(set(keys))


# Listeners told when a serial-perpetrator alert is raised or gains a victim, with the owners
# ("cases.case:<id>", "reporting.report:<id>") of the suspect's records. Cases registers one to
# mark each linked case and tell its officer in charge; linking cannot import cases (layers).
AlertListener = Callable[..., None]
ALERT_LISTENERS: list[AlertListener] = []


def alert_listener_register(listener: AlertListener) -> None:
    if listener not in ALERT_LISTENERS:
        ALERT_LISTENERS.append(listener)


def _withdraw(alert: Alert, *, by: User | None) -> None:
    alert.status = AlertStatus.WITHDRAWN
    alert.save(update_fields=["status", "updated_at"])
    audit_record(action="linking.alert_withdraw", actor=by, target=alert)


def _check_alerts(person: Person, *, by: User | None) -> None:
    """One alert per suspect with two or more different victims, updated as victims are added.

    A second alert for the same person split the picture across two reviews; one alert that
    grows (and asks for review again when it does) keeps it whole.
    """
    keys = _victim_keys(person)
    alerts = Alert.objects.select_for_update().filter(
        kind=AlertKind.SERIAL_PERPETRATOR, person=person
    )
    live = [a for a in alerts.order_by("created_at") if a.status != AlertStatus.WITHDRAWN]
    if len(keys) < 2:
        for stale in live:
            _withdraw(stale, by=by)
        return
    victim_set = hashlib.sha256("|".join(keys).encode()).hexdigest()
    same_set = next((a for a in alerts if a.victim_set == victim_set), None)
    alert: Alert | None = same_set or (live[0] if live else None)
    for other in live:
        if other != alert:
            _withdraw(other, by=by)
    if alert is None:
        alert = Alert.objects.create(
            kind=AlertKind.SERIAL_PERPETRATOR,
            person=person,
            victim_set=victim_set,
            victim_keys=keys,
            victim_count=len(keys),
        )
        action = "linking.alert_raise"
    elif alert.victim_set != victim_set or alert.status == AlertStatus.WITHDRAWN:
        news = bool(set(keys) - set(alert.victim_keys)) or alert.status == AlertStatus.WITHDRAWN
        alert.victim_set = victim_set
        alert.victim_keys = keys
        alert.victim_count = len(keys)
        if news:
            # A new victim (or a link made again) is new information: review it again.
            alert.status = AlertStatus.OPEN
            alert.reviewed_by = None
            alert.reviewed_at = None
        alert.save()
        action = "linking.alert_update"
        if not news:
            audit_record(action=action, actor=by, target=alert, summary={"victims": len(keys)})
            return
    else:
        return
    audit_record(
        action=action,
        actor=by,
        target=alert,
        summary={"kind": alert.kind, "victims": alert.victim_count},
    )
    _notify_coordinators(alert)
    owners = sorted(
        set(
            PersonRecord.objects.filter(person=person, role=RecordRole.SUSPECT).values_list(
                "owner", flat=True
            )
        )
    )
    for listener in ALERT_LISTENERS:
        listener(alert=alert, owners=owners, by=by)


def _notify_coordinators(alert: Alert) -> None:
    # The email says only that something needs review: mail can be read by the wrong person.
    path = absolute_url("linking:alert", alert.pk)
    coordinators = User.objects.filter(role=Role.COORDINATOR, is_active=True)
    for coordinator in coordinators:
        outbox_enqueue(
            channel=Channel.EMAIL,
            recipient=coordinator.email,
            subject=_("Vigil: a linked suspect needs your review"),
            body=_(
                "A suspect in one report or case has been linked to reports from other "
                "victims. Please sign in to Vigil and review the alert at %(path)s."
            )
            % {"path": path},
            purpose="linking.alert",
            idempotency_key=f"linking.alert:{alert.pk}:{alert.victim_set}:{coordinator.pk}",
        )


@write_service
def alert_acknowledge(*, alert: Alert, by: User) -> Alert:
    """The coordinator has looked at the alert and acted on it."""
    if not can_review_alerts(by):
        raise LinkError(_("Only the stalking coordinator or a supervisor can review alerts."))
    if alert.status != AlertStatus.OPEN:
        raise LinkError(_("This alert has already been reviewed or withdrawn."))
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.reviewed_by = by
    alert.reviewed_at = timezone.now()
    alert.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    audit_record(action="linking.alert_acknowledge", actor=by, target=alert)
    return alert


# --- from the report contract ----------------------------------------------------------------


def report_victim_key(victim: Mapping[str, Any], *, fallback: str) -> str:
    """Who the victim of a report is, as a stable key, so two reports by one victim count once.

    The first of: email, phone, name with date of birth, all normalised; otherwise the report
    itself (a victim who gave none of these counts as a new victim each time).
    """
    email = normalise.email(victim.get("email"))
    if email:
        return f"email:{email}"
    phone = normalise.phone(victim.get("phone"))
    if phone:
        return f"phone:{phone}"
    name = normalise.name(victim.get("name"))
    dob = normalise.date_of_birth(victim.get("date_of_birth"))
    if name and dob:
        return f"name_dob:{name}|{dob}"
    return fallback


def report_suspects_sync(*, report: Any, by: User | None) -> list[PersonRecord]:
    """One record per suspect named in a `reporting.Report` (see its documented shapes).

    Called by intake when a report arrives or its suspects change; returns the records so the
    officer can be shown candidates for each.
    """
    owner = f"reporting.report:{report.pk}"
    victim_key = report_victim_key(report.victim or {}, fallback=owner)
    records = []
    for index, suspect in enumerate(report.suspects or []):
        records.append(
            person_record_upsert.as_step(
                source=f"{owner}#suspect-{index}",
                owner=owner,
                by=by,
                victim_key=victim_key,
                label=_("Suspect %(n)s in report %(reference)s")
                % {"n": index + 1, "reference": report.reference},
                names=[*suspect.get("names", []), *suspect.get("aliases", [])],
                phones=suspect.get("phones", []),
                emails=suspect.get("emails", []),
                social_accounts=suspect.get("social", []),
                vehicles=suspect.get("vehicles", []),
                addresses=suspect.get("addresses", []),
            )
        )
    return records


def record_viewed(*, record: PersonRecord, by: User) -> None:
    """Reading someone's identifiers is recorded, like every read of a case."""
    audit_record(action="linking.record_view", actor=by, target=record)

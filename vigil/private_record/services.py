"""Keeping, opening, matching and releasing private records (issue 23).

Each write is one transaction with its audit row. Audit rows carry counts and ids, never an
identifier or a token: the audit log is read by more people than the record ever should be.
"""

from __future__ import annotations

import datetime
import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.common.urls import absolute_url
from vigil.contact.contract import SafeContactPrefs
from vigil.contact.services import safe_contact_create, safe_contact_update
from vigil.notifications.models import Channel
from vigil.notifications.services import outbox_enqueue
from vigil.private_record import keys
from vigil.private_record.identifiers import canonical_identifiers
from vigil.private_record.models import (
    DerivationEvent,
    IdentifierToken,
    Match,
    MatchMember,
    NamedElsewhere,
    PrivateRecord,
    SourceKind,
    Wish,
)
from vigil.reporting.models import Report, ReportDraft, SuspectRelationship
from vigil.reporting.references import (
    DUMMY_SECRET_HASH,
    check_tracking_secret,
    hash_tracking_secret,
    new_reference,
    new_tracking_secret,
    normalise_reference,
)
from vigil.reporting.services import client_address_key, draft_create, draft_save
from vigil.reporting.tracking import (
    tracking_failure_record,
    tracking_wait_message,
    tracking_wait_minutes,
)

# A report draft started from a record says so (the report then does not match that record).
FROM_RECORD = "private_record"


class PrivateRecordError(ValidationError):
    pass


class DerivationLimited(PrivateRecordError):
    pass


class SignInRefused(PrivateRecordError):
    pass


@dataclass(frozen=True)
class Opened:
    """A record with its key, as the holder has it after signing in."""

    record: PrivateRecord
    key: bytes

    @property
    def content(self) -> dict[str, Any]:
        return keys.unseal(self.key, self.record.sealed)


def identifiers_of(content_identifiers: dict[str, Any]) -> set[str]:
    ids = content_identifiers
    return canonical_identifiers(
        names=[ids.get("name", "")],
        date_of_birth=str(ids.get("date_of_birth") or ""),
        phones=ids.get("phones", []),
        emails=ids.get("emails", []),
        social=ids.get("social", []),
        vehicles=ids.get("vehicles", []),
    )


# --- rate limits on deriving identifier keys --------------------------------------------------


def _derivation_allowance_take(*, address: str | None, count: int, now: datetime.datetime) -> None:
    """Count `count` derivations from this address, unless that passes the hour's limit for the
    address or for everyone. A stalker testing whether anyone has named them must spend one
    derivation per guess, and a flood from many addresses stops at the global limit."""
    address_key = client_address_key(address)
    since = now - datetime.timedelta(hours=1)
    recent = DerivationEvent.objects.filter(created_at__gte=since)
    by_address = recent.filter(address_key=address_key).count()
    if (
        by_address + count > settings.PRIVATE_RECORD_DERIVATIONS_PER_ADDRESS_PER_HOUR
        or recent.count() + count > settings.PRIVATE_RECORD_DERIVATIONS_PER_HOUR
    ):
        raise DerivationLimited(
            _(
                "We cannot keep this record from this connection just now. Please try again "
                "later. If you are in danger now, call 999."
            )
        )
    DerivationEvent.objects.bulk_create(
        [DerivationEvent(address_key=address_key, created_at=now) for _i in range(count)]
    )


def derivations_purge(*, now: datetime.datetime) -> int:
    deleted, _kinds = DerivationEvent.objects.filter(
        created_at__lt=now - datetime.timedelta(hours=1)
    ).delete()
    return deleted


# --- keeping a record -------------------------------------------------------------------------


def _seal_and_index(
    *, record: PrivateRecord, key: bytes, content: dict[str, Any], address: str | None
) -> set[str]:
    """Seal the content under the record's key, replace its tokens, count the derivations."""
    identifiers = identifiers_of(content.get("identifiers", {}))
    now = timezone.now()
    _derivation_allowance_take(address=address, count=len(identifiers), now=now)
    record.sealed = keys.seal(key, content)
    record.last_used_at = now
    record.keep_asked_at = None
    record.save()
    record.tokens.all().delete()
    IdentifierToken.objects.bulk_create(
        [
            IdentifierToken(
                record=record,
                token=keys.token(identifier),
                wrapped_key=keys.wrap(key, under=keys.identifier_key(identifier)),
            )
            for identifier in identifiers
        ]
    )
    audit_record(
        action="private_record.derive", target=record, summary={"identifiers": len(identifiers)}
    )
    return identifiers


def _refusal_audited[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """A record whose identifiers were refused (too many derivations, DerivationLimited) rolls
    back, and the refusal is then audited in a transaction of its own: a guesser's tries are on
    the record even though nothing they sent was kept."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except DerivationLimited:
            with transaction.atomic(durable=True):
                audit_record(action="private_record.derive.limited")
            raise

    return wrapper


@_refusal_audited
def record_create(
    *,
    identifiers: dict[str, Any],
    account: str,
    prefs: SafeContactPrefs,
    contact_details: dict[str, str],
    address: str | None,
) -> tuple[Opened, str]:
    """Keep a new record; returns it opened and its secret code (shown once, never stored)."""
    secret = new_tracking_secret()
    key = keys.new_record_key()
    salt = secrets.token_hex(16)
    for _attempt in range(5):
        try:
            with transaction.atomic(durable=True):
                record = PrivateRecord(
                    reference=new_reference(),
                    secret_hash=hash_tracking_secret(secret),
                    holder_salt=salt,
                    holder_wrapped_key=keys.wrap(key, under=keys.holder_key(secret, salt)),
                    contact=safe_contact_create(prefs=prefs),
                    last_used_at=timezone.now(),
                )
                record.contact_details = contact_details
                found = _seal_and_index(
                    record=record,
                    key=key,
                    content={"identifiers": identifiers, "account": account},
                    address=address,
                )
                audit_record(action="private_record.create", target=record)
                _match_check(record=record, identifiers=found)
        except IntegrityError:
            continue  # the reference was taken: draw another
        return Opened(record=record, key=key), secret
    raise PrivateRecordError(_("Sorry, we could not keep your record. Please try again."))


@_refusal_audited
def record_update(
    *,
    opened: Opened,
    identifiers: dict[str, Any],
    account: str,
    prefs: SafeContactPrefs,
    contact_details: dict[str, str],
    address: str | None,
) -> Opened:
    record = opened.record
    with transaction.atomic(durable=True):
        record.contact_details = contact_details
        safe_contact_update(record=record.contact, prefs=prefs, by=None, source="private_record")
        found = _seal_and_index(
            record=record,
            key=opened.key,
            content={"identifiers": identifiers, "account": account},
            address=address,
        )
        audit_record(action="private_record.update", target=record)
        # A person no longer named leaves the matches only through them; withdrawing is delete.
        _match_check(record=record, identifiers=found)
    return opened


@write_service
def record_delete(*, opened: Opened) -> None:
    """Gone at once: the record, its tokens, its part in any match and what it released. A
    match left with one member is no match and goes too."""
    _record_remove(opened.record, action="private_record.delete")


def _record_remove(record: PrivateRecord, *, action: str) -> None:
    match_ids = list(record.members.values_list("match_id", flat=True))
    audit_record(action=action, summary={"record": str(record.pk), "matches": len(match_ids)})
    contact = record.contact
    record.delete()
    # A message still waiting in the outbox names this contact record: emptied, it says "do not
    # contact", so the outbox withholds the message at send time; otherwise it goes too.
    contact.data = SafeContactPrefs().to_json()
    contact.save(update_fields=["data", "updated_at"])
    try:
        with transaction.atomic():
            contact.delete()
    except ProtectedError:
        pass
    Match.objects.filter(pk__in=match_ids).annotate(size=Count("members")).filter(
        size__lt=2
    ).delete()


def record_replaced_by_report(*, record_id: Any) -> None:
    """The holder sent the report their record was turned into: the record goes."""
    with transaction.atomic():
        record = PrivateRecord.objects.select_related("contact").filter(pk=record_id).first()
        if record is not None:
            _record_remove(record, action="private_record.reported")


@write_service
def record_keep(*, opened: Opened) -> None:
    """The holder says keep it (or simply came back): the unused clock starts again."""
    PrivateRecord.objects.filter(pk=opened.record.pk).update(
        last_used_at=timezone.now(), keep_asked_at=None
    )
    audit_record(action="private_record.keep", target=opened.record)


# --- signing in -------------------------------------------------------------------------------


def record_sign_in(*, reference: str, secret: str, address: str | None) -> Opened:
    """Reference + secret code open the record. Wrong tries slow down the address, shared with
    "track my report" (vigil.reporting.tracking says why never the record); an unknown reference
    costs the same work as a wrong secret."""
    now = timezone.now()
    address_key = client_address_key(address)
    wait = tracking_wait_minutes(address_key=address_key, now=now)
    if wait:
        raise SignInRefused(tracking_wait_message(wait), code="wait")
    normalised = normalise_reference(reference)
    record = PrivateRecord.objects.filter(reference=normalised).first()
    encoded = record.secret_hash if record is not None else DUMMY_SECRET_HASH
    if record is not None and check_tracking_secret(secret, encoded):
        key = keys.unwrap(
            record.holder_wrapped_key, under=keys.holder_key(secret, record.holder_salt)
        )
        with transaction.atomic(durable=True):
            PrivateRecord.objects.filter(pk=record.pk).update(last_used_at=now, keep_asked_at=None)
            audit_record(action="private_record.sign_in", target=record)
        return Opened(record=record, key=key)
    with transaction.atomic(durable=True):
        tracking_failure_record(address_key=address_key, now=now)
    raise SignInRefused(sign_in_refused_message())


def sign_in_refused_message() -> str:
    """The same words whatever was wrong, so nobody learns which references exist."""
    return _("The reference or the secret code is not right. Check them and try again.")


def record_reopen(*, record_id: Any, key: bytes) -> Opened | None:
    """The record a signed-in browser holds, if it still exists and the key still opens it."""
    record = PrivateRecord.objects.select_related("contact").filter(pk=record_id).first()
    if record is None:
        return None
    opened = Opened(record=record, key=key)
    try:
        opened.content  # noqa: B018 - checks the key opens it
    except keys.SealBroken:
        return None
    return opened


# --- matching ---------------------------------------------------------------------------------


def _confirmed_records(
    *, record: PrivateRecord | None, identifiers: set[str]
) -> set[PrivateRecord]:
    """Other records naming one of these identifiers: a token equal and the derived key opening
    the record's wrapped key (a match is proven by deriving the same key, not just a hash)."""
    by_token = {keys.token(identifier): identifier for identifier in identifiers}
    found: set[PrivateRecord] = set()
    candidates = IdentifierToken.objects.filter(token__in=by_token).select_related("record")
    if record is not None:
        candidates = candidates.exclude(record=record)
    for candidate in candidates:
        try:
            keys.unwrap(candidate.wrapped_key, under=keys.identifier_key(by_token[candidate.token]))
        except keys.SealBroken:
            continue
        found.add(candidate.record)
    return found


def _match_check(
    *,
    identifiers: set[str],
    record: PrivateRecord | None = None,
    source: tuple[str, Any] | None = None,
) -> Match | None:
    """Is anyone else naming one of these identifiers? For a record: other records, reports and
    cases; for a report or a case (`source`): records only (two reports are linking's business).
    If so, join them in one match (an existing match of theirs, or a new one) and tell each
    newly matched record holder."""
    others = _confirmed_records(record=record, identifiers=identifiers)
    sources: set[tuple[str, Any]] = set()
    if record is not None:
        tokens = [keys.token(identifier) for identifier in identifiers]
        sources = {
            (row.source, row.source_id) for row in NamedElsewhere.objects.filter(token__in=tokens)
        }
    audit_record(
        action="private_record.match_check",
        target=record,
        summary={
            "source": source[0] if source else SourceKind.RECORD,
            "identifiers": len(identifiers),
            "found": len(others) + len(sources),
        },
    )
    if not others and not sources:
        return None
    records = others | ({record} if record is not None else set())
    if source is not None:
        sources.add(source)
    parties = Q(record__in=records)
    for kind, source_id in sources:
        parties |= Q(source=kind, source_id=source_id)
    match = (
        Match.objects.filter(pk__in=MatchMember.objects.filter(parties).values("match_id")).first()
        or Match.objects.create()
    )
    newcomers: list[MatchMember] = []
    for each in records:
        member, created = MatchMember.objects.get_or_create(
            match=match, record=each, defaults={"source": SourceKind.RECORD}
        )
        if created:
            newcomers.append(member)
    for kind, source_id in sources:
        MatchMember.objects.get_or_create(match=match, source=kind, source_id=source_id)
    audit_record(
        action="private_record.match",
        target=match,
        summary={"members": match.members.count(), "new": len(newcomers)},
    )
    for member in newcomers:
        _tell_holder(member)
    return match


def person_named(
    *, source: str, source_id: Any, identifiers: set[str], replace: bool = True
) -> Match | None:
    """A report was sent or a case's suspect was added: keep the tokens of the people it names
    (so a record made later matches it too) and check them against the records. `replace`: the
    source's tokens are these (a report) rather than these as well (one more suspect on a case).
    Called by the hook in receivers.py and through vigil.private_record.api."""
    with transaction.atomic():
        if replace:
            NamedElsewhere.objects.filter(source=source, source_id=source_id).delete()
        NamedElsewhere.objects.bulk_create(
            [
                NamedElsewhere(source=source, source_id=source_id, token=keys.token(identifier))
                for identifier in identifiers
            ],
            ignore_conflicts=True,
        )
        if not identifiers:
            return None
        return _match_check(identifiers=identifiers, source=(source, source_id))


def _tell_holder(member: MatchMember) -> None:
    """In neutral words, by a channel they marked safe, checked again at send time by the outbox.
    No reference, nothing about the person or the match: the message may be seen by others."""
    record = member.record
    assert record is not None
    prefs = record.contact_prefs
    details = record.contact_details or {}
    body = _(
        "There is something new for you to read. Sign in with your reference and secret code "
        "at %(url)s to see it.\n\nIf you are in danger now, call 999.\n\n%(sender)s"
    ) % {"url": absolute_url("private_record:sign_in"), "sender": prefs.sender_name()}
    sent = False
    if "email" in prefs.channels and details.get("email"):
        outbox_enqueue(
            channel=Channel.EMAIL,
            recipient=details["email"],
            subject=str(_("Something new for you")),
            body=str(body),
            purpose="private_record.match",
            idempotency_key=f"private-record-match-{member.pk}",
            contact=record.contact,
        )
        sent = True
    elif "text" in prefs.channels and details.get("phone"):
        outbox_enqueue(
            channel=Channel.SMS,
            recipient=details["phone"],
            subject="",
            body=str(body),
            purpose="private_record.match",
            idempotency_key=f"private-record-match-{member.pk}",
            contact=record.contact,
        )
        sent = True
    MatchMember.objects.filter(pk=member.pk).update(told_at=timezone.now() if sent else None)


# --- what the holder sees, and releases -------------------------------------------------------


def record_matches(*, opened: Opened) -> list[MatchMember]:
    """The holder's own part in each match (they never learn who the others are)."""
    return list(opened.record.members.select_related("match").order_by("created_at"))


@write_service
def match_consent(*, opened: Opened, member_id: Any, release: list[str], wish: str) -> MatchMember:
    """The holder agrees to release what they ticked, copied now from their sealed record, for
    the coordinator to read. Nothing else of theirs ever reaches staff."""
    if wish not in Wish.values:
        raise PrivateRecordError(_("Select what you would like to happen next"))
    member = (
        MatchMember.objects.select_for_update().filter(pk=member_id, record=opened.record).first()
    )
    if member is None:
        raise PrivateRecordError(_("This is no longer there. It may have been withdrawn."))
    content = opened.content
    released: dict[str, Any] = {"wish": wish}
    if "contact" in release:
        released["contact"] = {
            **(opened.record.contact_details or {}),
            "prefs": opened.record.contact_prefs.to_json(),
        }
    if "identifiers" in release:
        released["identifiers"] = content.get("identifiers", {})
    if "account" in release:
        released["account"] = content.get("account", "")
    member.released = released
    member.consented_at = timezone.now()
    member.save(update_fields=["released", "consented_at", "updated_at"])
    audit_record(
        action="private_record.release",
        target=member.match,
        summary={"released": sorted(k for k in released if k != "wish"), "wish": wish},
    )
    return member


@write_service
def match_withdraw(*, opened: Opened, member_id: Any) -> None:
    """Take back what was released (the match itself stays while the record names the person)."""
    updated = MatchMember.objects.filter(pk=member_id, record=opened.record).update(
        released={}, consented_at=None
    )
    if updated:
        audit_record(action="private_record.release_withdrawn", target=opened.record)


# --- periodic work ----------------------------------------------------------------------------


def _ask_to_keep(record: PrivateRecord, now: datetime.datetime) -> None:
    prefs = record.contact_prefs
    details = record.contact_details or {}
    body = _(
        "You saved something with us a while ago. If you want us to keep it, sign in with your "
        "reference and secret code at %(url)s within %(days)s days. If you do not, we will "
        "delete it.\n\n%(sender)s"
    ) % {
        "url": absolute_url("private_record:sign_in"),
        "days": settings.PRIVATE_RECORD_KEEP_ANSWER_DAYS,
        "sender": prefs.sender_name(),
    }
    key = f"private-record-keep-{record.pk}-{now.date().isoformat()}"
    if "email" in prefs.channels and details.get("email"):
        outbox_enqueue(
            channel=Channel.EMAIL,
            recipient=details["email"],
            subject=str(_("Do you want us to keep this?")),
            body=str(body),
            purpose="private_record.keep",
            idempotency_key=key,
            contact=record.contact,
        )
    elif "text" in prefs.channels and details.get("phone"):
        outbox_enqueue(
            channel=Channel.SMS,
            recipient=details["phone"],
            subject="",
            body=str(body),
            purpose="private_record.keep",
            idempotency_key=key,
            contact=record.contact,
        )


def private_record_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Ask once about each record unused for PRIVATE_RECORD_UNUSED_DAYS; delete those whose
    holder did not come back within PRIVATE_RECORD_KEEP_ANSWER_DAYS of being asked. Running it
    twice changes nothing more: the ask is marked, and deletion is by date."""
    now = now or timezone.now()
    unused_since = now - datetime.timedelta(days=settings.PRIVATE_RECORD_UNUSED_DAYS)
    answer_by = now - datetime.timedelta(days=settings.PRIVATE_RECORD_KEEP_ANSWER_DAYS)
    asked = deleted = 0
    for record in PrivateRecord.objects.filter(
        last_used_at__lt=unused_since, keep_asked_at__isnull=True
    ).select_related("contact"):
        with transaction.atomic(durable=True):
            _ask_to_keep(record, now)
            PrivateRecord.objects.filter(pk=record.pk).update(keep_asked_at=now)
            audit_record(action="private_record.keep_asked", target=record)
        asked += 1
    for record in PrivateRecord.objects.filter(keep_asked_at__lt=answer_by).select_related(
        "contact"
    ):
        with transaction.atomic(durable=True):
            _record_remove(record, action="private_record.expire")
        deleted += 1
    purged = derivations_purge(now=now)
    # A report deleted under the retention policy names nobody any more.
    gone, _kinds = (
        NamedElsewhere.objects.filter(source=SourceKind.REPORT)
        .exclude(source_id__in=Report.objects.values("pk"))
        .delete()
    )
    return {
        "asked": asked,
        "deleted": deleted,
        "derivations_purged": purged,
        "gone_reports_forgotten": gone,
    }


# --- turning it into a report -----------------------------------------------------------------


@write_service
def record_to_report_draft(*, opened: Opened, address: str | None) -> ReportDraft:
    """Start an online report filled in with what the record holds; the person checks every page
    and sends it themselves. The record stays until they delete it."""
    content = opened.content
    ids = content.get("identifiers", {})
    social = []
    for line in ids.get("social", []):
        platform, sep, handle = str(line).partition(":")
        social.append(
            {"platform": platform.strip(), "handle": handle.strip()}
            if sep
            else {"platform": "", "handle": line}
        )
    suspect = {
        "relationship": SuspectRelationship.UNKNOWN,
        "names": [ids["name"]] if ids.get("name") else [],
        "aliases": [],
        "phones": list(ids.get("phones", [])),
        "emails": list(ids.get("emails", [])),
        "social": social,
        "vehicles": list(ids.get("vehicles", [])),
        "addresses": [],
        "description": "",
    }
    prefs = opened.record.contact_prefs
    details = opened.record.contact_details or {}
    draft = draft_create(address=address)
    draft.data["started_from"] = f"{FROM_RECORD}:{opened.record.pk}"
    draft.data["suspects"] = [suspect]
    answers = draft.data["answers"]
    answers["victim-contact"] = {
        "email": details.get("email", ""),
        "phone": details.get("phone", ""),
    }
    answers["contact-channels"] = {"channels": list(prefs.channels) or ["none"]}
    if content.get("account"):
        answers["anything-else"] = {"anything_else": content["account"]}
    draft_save(draft=draft)
    audit_record(action="private_record.to_report", target=opened.record)
    return draft

"""Writing and checking the audit log."""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from vigil.audit.models import AuditChainHead, AuditEvent
from vigil.audit.write_service import note_audit_row
from vigil.common import sql
from vigil.common.client_address import client_address_hash
from vigil.common.request_context import current_request_context

GENESIS_HASH = "0" * 64


def _content(event: AuditEvent) -> dict[str, Any]:
    content = {
        "id": event.id,
        "created_at": event.created_at.isoformat(),
        "actor": str(event.actor_id) if event.actor_id else "",
        "actor_label": event.actor_label,
        "actor_role": event.actor_role,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "summary": event.summary,
        "request_id": event.request_id,
        "ip_address": event.ip_address or "",
        "prev_hash": event.prev_hash,
    }
    if event.ip_hash:  # only then: rows from before the field existed must still verify
        content["ip_hash"] = event.ip_hash
    return content


def client_hash(address: str | None) -> str:
    """What the audit keeps of a client's address: a keyed hash, never the address."""
    return client_address_hash(address, purpose="audit") if address else ""


def compute_hash(event: AuditEvent) -> str:
    message = json.dumps(_content(event), sort_keys=True, separators=(",", ":"), default=str)
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def _describe_target(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


def audit_record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    summary: dict[str, Any] | None = None,
    together_with: Sequence[sql.Statement] = (),
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    Call it from the service that makes the change, so the change and its audit row commit or
    roll back together. `summary` must hold identifiers and facts, never personal data in clear.

    `together_with`: the change's own writes, compiled with vigil.common.sql, when it is on a
    measured hot path. On PostgreSQL they travel in the statement that takes the chain's lock,
    which saves a round trip.
    """
    target_type, target_id = _describe_target(target)
    context = current_request_context()
    # No savepoint: if the audit row cannot be written, the caller's whole change must fail
    # with it (a caught error must not leave a change without its audit row), and it saves two
    # round trips on every audited write.
    with transaction.atomic(savepoint=False):
        last_id, last_hash = _lock_head(together_with)
        is_user = actor is not None and getattr(actor, "is_authenticated", False)
        event = AuditEvent(
            id=last_id + 1,
            created_at=timezone.now(),
            actor_id=actor.pk if is_user else None,
            actor_label=str(actor) if is_user else (str(actor) if actor else ""),
            actor_role=getattr(actor, "role", "") if is_user else "",
            action=action,
            target_type=target_type,
            target_id=target_id,
            summary=summary or {},
            request_id=context.request_id if context else "",
            ip_hash=client_hash(context.ip_address if context else None),
            prev_hash=last_hash,
        )
        event.hash = compute_hash(event)
        _append(event)
        note_audit_row()
    return event


def _lock_head(together_with: Sequence[sql.Statement]) -> tuple[int, str]:
    """Lock the chain's head and return (last id, last hash); the lock is held to the end of
    the caller's transaction, so two writers cannot fork the chain."""
    row = sql.execute_together(
        AuditChainHead, together_with, then=sql.Statement(_head_sql(connection.vendor), [])
    )
    if row is None:  # the very first event: make the head
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_hash": GENESIS_HASH, "last_id": 0}
        )
        return head.last_id, head.last_hash
    return int(row[0]), str(row[1])


@functools.cache
def _head_sql(vendor: str) -> str:
    table, last_id, last_hash, pk = sql.quoted(AuditChainHead, "last_id", "last_hash", "id")
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return f"SELECT {last_id}, {last_hash} FROM {table} WHERE {pk} = 1{lock}"  # noqa: S608


def _append(event: AuditEvent) -> None:
    """Write the row and move the head to it, with statements compiled once (see
    vigil.common.sql): every audited action in every app comes through here, often on a page a
    member of staff is waiting for. On PostgreSQL both go as one statement."""
    sql.execute_together(
        AuditEvent,
        [
            sql.insert_statement(event),
            sql.update_statement(
                AuditChainHead, {"last_hash": event.hash, "last_id": event.id}, pk=1
            ),
        ],
    )


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""


def audit_verify(events: Iterable[AuditEvent] | None = None) -> VerifyResult:
    """Walk the chain in order and report the first row that does not verify."""
    if events is None:
        events = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    previous = GENESIS_HASH
    checked = 0
    for event in events:
        if event.prev_hash != previous:
            return VerifyResult(False, checked, event.id, "the link to the previous row is broken")
        if not hmac.compare_digest(event.hash, compute_hash(event)):
            return VerifyResult(False, checked, event.id, "the row's content has been changed")
        previous = event.hash
        checked += 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.last_hash != previous:
        return VerifyResult(False, checked, None, "rows after the last one have been removed")
    return VerifyResult(True, checked)


def audit_term_digest(text: str) -> str:
    """A search term as the audit keeps it: a keyed hash of its normalised form, so the DPO can
    tell whether someone searched for a given name or number without the log holding it."""
    normalised = " ".join(text.casefold().split())
    return hmac.new(
        settings.AUDIT_HMAC_KEY.encode(), f"search-term:{normalised}".encode(), hashlib.sha256
    ).hexdigest()


def audit_denied(*, actor: Any, target_type: str, target_id: Any, action: str = "view") -> None:
    """Record an attempt to reach something out of the actor's scope (answered with 404), so the
    DPO can see someone probing for a victim's records. The row names what was asked for; it
    exists or not, the answer the user saw was the same."""
    audit_record(
        action="access.denied",
        actor=actor,
        summary={"target_type": target_type, "target_id": str(target_id), "action": action},
    )


# --- anchoring the chain outside the database ----------------------------------------------------
# The chain shows a row changed, removed or inserted, but not the last rows removed with the head
# moved back, nor the whole table and head wiped: what is left is a valid chain. A nightly
# `manage.py audit_anchor` prints the head, signed with the audit key; kept off the machine, it
# is later given to `audit_verify --expect-head`, which fails unless that row is still there and
# the chain still runs through it (docs/operations.md, "The audit anchor").


class AnchorError(ValueError):
    pass


@dataclass(frozen=True)
class Anchor:
    last_id: int
    last_hash: str

    def signature(self) -> str:
        message = f"audit-anchor:{self.last_id}:{self.last_hash}"
        return hmac.new(
            settings.AUDIT_HMAC_KEY.encode(), message.encode(), hashlib.sha256
        ).hexdigest()

    def __str__(self) -> str:
        return f"{self.last_id}:{self.last_hash}:{self.signature()}"

    @classmethod
    def parse(cls, value: str) -> Anchor:
        try:
            last_id, last_hash, signature = value.strip().split(":")
            anchor = cls(int(last_id), last_hash)
        except ValueError as error:
            raise AnchorError("the anchor is not in the form id:hash:signature") from error
        if not hmac.compare_digest(anchor.signature(), signature):
            raise AnchorError("the anchor's signature does not match: it was not made here")
        return anchor


def audit_anchor() -> Anchor:
    """The chain's head now, to be kept outside the database."""
    head = AuditChainHead.objects.filter(id=1).first()
    if head is None:
        return Anchor(0, GENESIS_HASH)
    return Anchor(head.last_id, head.last_hash)


def audit_verify_anchor(anchor: Anchor, result: VerifyResult | None = None) -> VerifyResult:
    """The chain verifies, and still holds the anchored row: nothing up to it has gone."""
    result = result or audit_verify()
    if not result.ok:
        return result
    if anchor.last_id == 0:
        return result
    row = AuditEvent.objects.filter(id=anchor.last_id).values_list("hash", flat=True).first()
    if row is None:
        return VerifyResult(
            False, result.checked, anchor.last_id, "rows up to the anchored one have been removed"
        )
    if not hmac.compare_digest(row, anchor.last_hash):
        return VerifyResult(
            False, result.checked, anchor.last_id, "the anchored row has been replaced"
        )
    return result

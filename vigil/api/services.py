"""Writes for API clients and tokens, each in one transaction with its audit row."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import Agency, Team, User
from vigil.api.models import (
    KIND_ROLE,
    ApiClient,
    ApiToken,
    ClientKind,
    operations_not_allowed,
)
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service

TOKEN_PREFIX = "vgl"  # noqa: S105 - the public start of every token, not a secret
DEFAULT_LIFETIME = datetime.timedelta(days=365)
RATE_WINDOW = datetime.timedelta(minutes=1)


class ApiClientError(ValidationError):
    """A client or token that cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    # The whole bearer token. It exists only here: show it once, never store or log it.
    secret: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _service_email(client_id: str) -> str:
    # A reserved domain (RFC 2606): no mail can ever go to a service account.
    return f"api-client-{client_id}@api.invalid"


@write_service
def api_client_create(
    *,
    name: str,
    kind: str,
    agency: Agency,
    operations: list[str],
    by: User | None,
    team: Team | None = None,
    expires_at: datetime.datetime | None = None,
    rate_limit_per_minute: int = 120,
) -> tuple[ApiClient, IssuedToken]:
    """A new client, its service account and its first token."""
    if kind not in ClientKind.values:
        raise ApiClientError(_("Choose a kind of client."))
    not_allowed = operations_not_allowed(kind, operations)
    if not_allowed:
        raise ApiClientError(
            _("This kind of client cannot be given: %(operations)s.")
            % {"operations": ", ".join(not_allowed)}
        )
    if ApiClient.objects.filter(name=name).exists():
        raise ApiClientError(_("There is already a client with this name."))
    expires_at = expires_at or timezone.now() + DEFAULT_LIFETIME
    client = ApiClient(
        name=name,
        kind=kind,
        agency=agency,
        team=team,
        operations=sorted(set(operations)),
        expires_at=expires_at,
        rate_limit_per_minute=rate_limit_per_minute,
        created_by=by,
    )
    # The service account cannot sign in (no usable password, not active): it exists so that
    # the scoped selectors and the audit log see the client as who it is.
    user = User.objects.create_user(
        _service_email(str(client.pk)),
        password=None,
        full_name=f"API client: {name}"[:200],
        role=KIND_ROLE[kind],
        agency=agency,
        team=team,
        is_active=False,
    )
    client.user = user
    client.save(force_insert=True)
    audit_record(
        action="api.client.create",
        actor=by,
        target=client,
        summary={"client": name, "kind": kind, "operations": client.operations},
    )
    return client, _token_issue(client=client, expires_at=expires_at)


def _token_issue(*, client: ApiClient, expires_at: datetime.datetime) -> IssuedToken:
    prefix = secrets.token_hex(6)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        client=client,
        prefix=prefix,
        secret_hash=_hash(secret),
        expires_at=min(expires_at, client.expires_at),
    )
    return IssuedToken(token=token, secret=secret)


@write_service
def api_token_create(
    *, client: ApiClient, by: User | None, expires_at: datetime.datetime | None = None
) -> IssuedToken:
    """Another token for the client, e.g. to rotate: the old one works until it is revoked."""
    if client.revoked_at is not None:
        raise ApiClientError(_("This client has been revoked."))
    issued = _token_issue(client=client, expires_at=expires_at or client.expires_at)
    audit_record(
        action="api.token.create",
        actor=by,
        target=client,
        summary={"client": client.name, "prefix": issued.token.prefix},
    )
    return issued


@write_service
def api_token_revoke(*, token: ApiToken, by: User | None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        action="api.token.revoke",
        actor=by,
        target=token.client,
        summary={"client": token.client.name, "prefix": token.prefix},
    )
    return token


@write_service
def api_client_revoke(*, client: ApiClient, by: User | None) -> ApiClient:
    """Stop the client and every one of its tokens at once."""
    now = timezone.now()
    if client.revoked_at is None:
        client.revoked_at = now
        client.save(update_fields=["revoked_at", "updated_at"])
    client.tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    audit_record(
        action="api.client.revoke", actor=by, target=client, summary={"client": client.name}
    )
    return client


class TokenRefused(Exception):
    """A token that is unknown, revoked or expired. The reason is for the client's developers."""

    def __init__(self, reason: str, *, token: ApiToken | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.token = token


def api_token_authenticate(*, secret: str) -> ApiToken:
    """The live token for this bearer secret, with its client; else TokenRefused."""
    parts = secret.split("_")
    if len(parts) < 3 or parts[0] != TOKEN_PREFIX:
        raise TokenRefused("The token is not one of ours.")
    token = (
        ApiToken.objects.select_related("client", "client__user").filter(prefix=parts[1]).first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        raise TokenRefused("The token is not one of ours.")
    now = timezone.now()
    if token.revoked_at is not None or token.client.revoked_at is not None:
        raise TokenRefused("The token has been revoked.", token=token)
    if token.expires_at <= now or token.client.expires_at <= now:
        raise TokenRefused("The token has expired.", token=token)
    # The service account is stored inactive so that nobody can ever sign in as it and it is in
    # no list of staff; for this call, and in memory only, it acts as the live client it stands
    # for, so the scoped querysets (which see nothing for an inactive account) apply to it.
    token.client.user.is_active = True
    return token


def api_rate_take(*, token: ApiToken, limit: int) -> int | None:
    """Count one call against the token's window. None if allowed, else seconds to wait.

    One conditional UPDATE counts and checks together, so two app servers cannot both let the
    last call of a window through.
    """
    now = timezone.now()
    window = now.replace(second=0, microsecond=0)
    allowed = (
        ApiToken.objects.filter(pk=token.pk)
        .exclude(Q(window_start=window) & Q(window_count__gte=limit))
        .update(
            window_count=Case(
                When(window_start=window, then=F("window_count") + 1), default=Value(1)
            ),
            window_start=window,
            last_used_at=now,
        )
    )
    if allowed:
        return None
    return max(1, math.ceil((window + RATE_WINDOW - now).total_seconds()))

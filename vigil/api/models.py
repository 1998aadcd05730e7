"""API clients: a partner's case system, a reporting app, an offender management system.

Each client acts through a service account (`user`) of its own, with the role its kind maps to,
so the API reaches data through the same scoped selectors and permission rules as the staff
pages: there is no second copy of who may see what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Agency, Role, Team
from vigil.common.models import UUIDModel


class ClientKind(models.TextChoices):
    PARTNER_SYSTEM = "partner_system", _("Partner agency system")
    REPORTING_APP = "reporting_app", _("Reporting app")
    OFFENDER_MANAGEMENT = "offender_management", _("Offender management system")
    COORDINATION = "coordination", _("Force stalking coordination system")


class Operation(models.TextChoices):
    """The named scopes a client may be given. Each endpoint needs exactly one."""

    REPORTS_SUBMIT = "reports:submit", _("Send reports")
    CASES_READ = "cases:read", _("Read cases and timelines")
    CASES_UPDATE = "cases:update", _("Update case actions")
    MESSAGES_READ = "messages:read", _("Read messages with the victim")
    MESSAGES_SEND = "messages:send", _("Send messages to the victim")
    RISK_READ = "risk:read", _("Read the risk level")
    LINKS_READ = "links:read", _("Read link candidates")


# What each kind of client may ever be given. A reporting app only sends reports; link
# candidates (possible serial perpetrators) are for the force's coordination system alone.
KIND_OPERATIONS: dict[str, frozenset[str]] = {
    # Never the messages: the contact log with the victim is police work, and no referral
    # shares it (vigil.sharing.parts).
    ClientKind.PARTNER_SYSTEM: frozenset({Operation.CASES_READ, Operation.RISK_READ}),
    ClientKind.REPORTING_APP: frozenset({Operation.REPORTS_SUBMIT}),
    ClientKind.OFFENDER_MANAGEMENT: frozenset(
        {
            Operation.CASES_READ,
            Operation.CASES_UPDATE,
            Operation.MESSAGES_READ,
            Operation.MESSAGES_SEND,
            Operation.RISK_READ,
        }
    ),
    ClientKind.COORDINATION: frozenset(
        {
            Operation.CASES_READ,
            Operation.CASES_UPDATE,
            Operation.MESSAGES_READ,
            Operation.MESSAGES_SEND,
            Operation.RISK_READ,
            Operation.LINKS_READ,
        }
    ),
}


def operations_not_allowed(kind: str, operations: list[str]) -> list[str]:
    """The operations this kind of client may never be given."""
    return sorted(set(operations) - KIND_OPERATIONS.get(kind, frozenset()))


# The role of the client's service account: its scope is that role's scope. A reporting app
# gets no role at all, so it can see no case and no report, not even the ones it sent.
KIND_ROLE: dict[str, str] = {
    ClientKind.PARTNER_SYSTEM: Role.PARTNER,
    ClientKind.REPORTING_APP: "",
    ClientKind.OFFENDER_MANAGEMENT: Role.OFFENDER_MANAGER,
    ClientKind.COORDINATION: Role.COORDINATOR,
}


class ApiClient(UUIDModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=ClientKind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="api_clients")
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        help_text=_("Offender management systems see the cases of this team."),
    )
    operations = models.JSONField(_("allowed operations"), default=list, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    rate_limit_per_minute = models.PositiveIntegerField(_("requests a minute"), default=120)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_client",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name

    def may(self, operation: str) -> bool:
        return operation in self.operations and operation in KIND_OPERATIONS.get(self.kind, ())


class ApiToken(UUIDModel):
    """A bearer token. Only a SHA-256 of its secret part is kept: it is shown once, at creation.

    The secret is 32 random bytes, so a fast hash is enough (there is nothing to guess); the
    prefix finds the row without comparing hashes across the table.
    """

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # The rate limit's fixed window: counted in one conditional UPDATE, so it holds across
    # every app server without a shared cache.
    window_start = models.DateTimeField(null=True, blank=True, editable=False)
    window_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.client} ({self.prefix})"


class IdempotencyRecord(UUIDModel):
    """The result of a create, kept under the client's Idempotency-Key so a retry gets it back."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    body = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="api_idempotency_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.key}"

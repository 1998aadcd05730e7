from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from vigil.common.models import UUIDModel


class Role(models.TextChoices):
    CALL_HANDLER = "call_handler", _("Call handler")
    INVESTIGATOR = "investigator", _("Investigator")
    OFFENDER_MANAGER = "offender_manager", _("Offender manager")
    COORDINATOR = "coordinator", _("Stalking coordinator")
    SUPERVISOR = "supervisor", _("Supervisor")
    PARTNER = "partner", _("Partner caseworker")
    DPO = "dpo", _("Data protection officer")
    ADMINISTRATOR = "administrator", _("Administrator")


POLICE_ROLES = frozenset(
    {
        Role.CALL_HANDLER,
        Role.INVESTIGATOR,
        Role.OFFENDER_MANAGER,
        Role.COORDINATOR,
        Role.SUPERVISOR,
    }
)


class Agency(UUIDModel):
    """The force itself, or a partner agency (advocacy service, helpline, local authority)."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Police force")
        PARTNER = "partner", _("Partner agency")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(UUIDModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name_in_agency")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("Staff accounts need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        """`createsuperuser` makes an administrator: no role is a superuser, and
        administrators keep configuration only (vigil.accounts.adminsite)."""
        extra["role"] = Role.ADMINISTRATOR
        extra["is_superuser"] = False
        extra.setdefault("is_staff", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff: police or partner agency. Victims never have accounts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, related_name="members", null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Django admin access; only administrators and the DPO should have it.
    is_staff = models.BooleanField(_("admin site access"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Raised by "sign out everywhere": every session made before it stops being valid.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="partner") | models.Q(agency__isnull=False),
                name="partner_caseworker_has_agency",
            ),
            # No role is a superuser: every permission comes from the role (rules.py files).
            models.CheckConstraint(condition=models.Q(is_superuser=False), name="no_superuser"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def is_two_factor_verified(self) -> bool:
        """True once this session passed the TOTP step (django-otp adds is_verified)."""
        is_verified = getattr(self, "is_verified", None)
        return bool(is_verified and is_verified())

    @property
    def is_police(self) -> bool:
        return self.role in POLICE_ROLES

    def get_session_auth_hash(self) -> str:
        # Sessions are bound to the password and to the generation, so a password change
        # or "sign out everywhere" ends every other session.
        key_salt = "vigil.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_generation}", algorithm="sha256"
        ).hexdigest()

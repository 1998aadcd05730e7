"""Every change to who may sign in, and as what, is audited, whichever way it is made (the
admin, a management command, the sign-in pages): an account made, a password set, a role,
agency, team or access changed, a second-factor device added or removed."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts.adminsite import admin_actor
from vigil.accounts.models import User
from vigil.audit.services import audit_record

WATCHED_FIELDS = ("role", "agency_id", "team_id", "is_active", "is_staff", "is_superuser")


@receiver(pre_save, sender=User)
def _remember_before(sender: Any, instance: User, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading a fixture: not a change anyone made
        return
    before = User.objects.filter(pk=instance.pk).values(*WATCHED_FIELDS, "password").first()
    instance._audit_before = before  # type: ignore[attr-defined]


@receiver(post_save, sender=User)
def _audit_account(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    actor = admin_actor.get()
    if created:
        audit_record(
            action="account.create",
            actor=actor,
            target=instance,
            summary={"role": instance.role, "is_staff": instance.is_staff},
        )
        if instance.has_usable_password():
            audit_record(action="account.password_set", actor=actor, target=instance)
        return
    before = getattr(instance, "_audit_before", None) or {}
    changed = {
        field: {"from": str(before.get(field) or ""), "to": str(getattr(instance, field) or "")}
        for field in WATCHED_FIELDS
        if field in before and before[field] != getattr(instance, field)
    }
    if changed:
        action = "account.role_change" if "role" in changed else "account.change"
        audit_record(action=action, actor=actor, target=instance, summary=changed)
    if before and before.get("password") != instance.password:
        # Only the fact: never the hash.
        audit_record(action="account.password_set", actor=actor, target=instance)


@receiver(pre_save, sender=TOTPDevice)
def _remember_device(sender: Any, instance: TOTPDevice, **kwargs: Any) -> None:
    instance._audit_before = (
        TOTPDevice.objects.filter(pk=instance.pk).values("key", "confirmed", "user_id").first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=TOTPDevice)
def _audit_device_saved(sender: Any, instance: TOTPDevice, created: bool, **kwargs: Any) -> None:
    # Every sign-in saves the device (its last code used); only a new key, a confirmation or a
    # move to another account is a change worth a row.
    before = getattr(instance, "_audit_before", None) or {}
    now = {"key": instance.key, "confirmed": instance.confirmed, "user_id": instance.user_id}
    if created or before != now:
        audit_record(
            action="auth.2fa.device_added" if created else "auth.2fa.device_changed",
            actor=admin_actor.get() or instance.user,
            target=instance.user,
            summary={"device": instance.persistent_id, "confirmed": instance.confirmed},
        )


@receiver(post_delete, sender=TOTPDevice)
def _audit_device_removed(sender: Any, instance: TOTPDevice, **kwargs: Any) -> None:
    audit_record(
        action="auth.2fa.device_removed",
        actor=admin_actor.get(),
        target=instance.user,
        summary={"device": instance.persistent_id},
    )

"""Demo staff for `make run`: one person per role, with known passwords and TOTP keys.

Only ever loaded on a developer's machine; the command refuses in production mode.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts.models import Agency, Role, Team, User
from vigil.accounts.services import totp_secret_base32

DEMO_PASSWORD = "vigil-demo-password"  # noqa: S105 - public on purpose, demo data only


@dataclass(frozen=True)
class DemoStaff:
    email: str
    full_name: str
    role: str
    partner: bool = False


DEMO_STAFF = [
    DemoStaff("call.handler@demo.police.uk", "Cal Handler", Role.CALL_HANDLER),
    DemoStaff("investigator@demo.police.uk", "Ivy Stone", Role.INVESTIGATOR),
    DemoStaff("investigator2@demo.police.uk", "Imran Shah", Role.INVESTIGATOR),
    DemoStaff("offender.manager@demo.police.uk", "Owen Marsh", Role.OFFENDER_MANAGER),
    DemoStaff("coordinator@demo.police.uk", "Cora Lane", Role.COORDINATOR),
    DemoStaff("supervisor@demo.police.uk", "Sam Price", Role.SUPERVISOR),
    DemoStaff("advocate@demo-advocacy.org.uk", "Ada Quinn", Role.PARTNER, partner=True),
    DemoStaff("dpo@demo.police.uk", "Dee Porter", Role.DPO),
    DemoStaff("admin@demo.police.uk", "Alex Admin", Role.ADMINISTRATOR),
]


def demo_totp_key(email: str) -> str:
    """A stable key per demo user, so the authenticator entry survives `make run` restarts."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:totp:{email}".encode()).hexdigest()[:40]


@transaction.atomic
def load_demo_staff() -> list[User]:
    force, _ = Agency.objects.get_or_create(
        name=settings.VIGIL_FORCE_NAME, defaults={"kind": Agency.Kind.POLICE}
    )
    partner, _ = Agency.objects.get_or_create(
        name="Demo Stalking Advocacy Service", defaults={"kind": Agency.Kind.PARTNER}
    )
    investigations, _ = Team.objects.get_or_create(agency=force, name="Public Protection Unit")
    control_room, _ = Team.objects.get_or_create(agency=force, name="Control Room")
    advocates, _ = Team.objects.get_or_create(agency=partner, name="Advocates")
    teams: dict[str, Team] = {
        Role.CALL_HANDLER: control_room,
        Role.PARTNER: advocates,
    }
    users = []
    for person in DEMO_STAFF:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(
                person.email,
                DEMO_PASSWORD,
                full_name=person.full_name,
                role=person.role,
                agency=partner if person.partner else force,
                team=teams.get(person.role, investigations),
                is_staff=person.role == Role.ADMINISTRATOR,
            )
        TOTPDevice.objects.update_or_create(
            user=user,
            name="Demo authenticator",
            defaults={"key": demo_totp_key(person.email), "confirmed": True},
        )
        users.append(user)
    return users


def demo_logins() -> list[User]:
    """Every demo login: the staff above in their order, then those the other apps' demo loaders
    add (the IDVA partner from sharing), found by their demo authenticator."""
    places = {person.email: place for place, person in enumerate(DEMO_STAFF)}
    users = User.objects.filter(totpdevice__name="Demo authenticator").distinct()
    return sorted(users, key=lambda user: (places.get(user.email, len(places)), user.email))


def demo_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, name="Demo authenticator")


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def demo_secret(device: TOTPDevice) -> str:
    return totp_secret_base32(device)


def load_demo() -> str:
    """Called by `manage.py load_demo` (see vigil/common/demo.py)."""
    return f"Demo data ready: {len(load_demo_staff())} staff accounts."

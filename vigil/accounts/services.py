"""Staff accounts: two-factor enrolment and verification, signing out everywhere."""

from __future__ import annotations

import base64
from urllib.parse import quote

import segno
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts.models import User
from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service


class TwoFactorError(Exception):
    pass


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


@write_service
def totp_enrolment_device(user: User) -> TOTPDevice:
    """The device being set up: one unconfirmed device per user, kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
        # A new second-factor key exists from here: who started setting one up is on record.
        audit_record(action="auth.2fa.setup_started", actor=user, target=user)
    return device


def totp_secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def totp_provisioning_uri(device: TOTPDevice) -> str:
    issuer = settings.OTP_TOTP_ISSUER
    label = quote(f"{issuer}:{device.user.email}")
    return (
        f"otpauth://totp/{label}?secret={totp_secret_base32(device)}"
        f"&issuer={quote(issuer)}&digits={device.digits}&period={device.step}"
    )


def totp_qr_svg(device: TOTPDevice) -> str:
    """The QR code as inline SVG: drawn here, so no image is fetched from anywhere else."""
    qr = segno.make(totp_provisioning_uri(device), error="m")
    return qr.svg_inline(
        scale=4, dark="#0b0c0c", light="#ffffff", omitsize=False, title=gettext("QR code")
    )


def _verify(device: TOTPDevice, token: str) -> bool:
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise TwoFactorError("throttled")
    return bool(device.verify_token(token))


@write_service
def two_factor_confirm(*, request: HttpRequest, user: User, token: str) -> bool:
    """Finish enrolment: the first right code confirms the device and completes sign-in."""
    device = totp_enrolment_device.as_step(user)
    if not _verify(device, token):
        audit_record(action="auth.2fa.setup_failed", actor=user, target=user)
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    otp_login(request, device)
    audit_record(action="auth.2fa.enrolled", actor=user, target=user)
    return True


@write_service
def two_factor_verify(*, request: HttpRequest, user: User, token: str) -> bool:
    device = confirmed_totp_device(user)
    if device is None:
        raise TwoFactorError("not enrolled")
    if not _verify(device, token):
        audit_record(action="auth.2fa.failed", actor=user, target=user)
        return False
    otp_login(request, device)
    audit_record(action="auth.login.verified", actor=user, target=user)
    return True


@write_service
def user_sign_out_everywhere(*, user: User) -> None:
    """End every session of this user, on every device, by changing their session hash."""
    user.session_generation += 1
    user.save(update_fields=["session_generation"])
    audit_record(action="auth.logout_everywhere", actor=user, target=user)

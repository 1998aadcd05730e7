"""Sign-ins, sign-outs and failed sign-ins go into the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from vigil.audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(action="auth.login.password", actor=user, target=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="auth.logout", actor=user, target=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # The address tried is kept so the DPO can see an attack on an account;
    # Django has already removed the password from the credentials.
    audit_record(
        action="auth.login.failed", summary={"username": str(credentials.get("username", ""))}
    )

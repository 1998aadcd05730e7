"""The errors case services raise, in a module of their own so that every case module can use
them without importing the services."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class CaseError(ValidationError):
    """A request the case rules refuse, with a message a member of staff can act on."""


class ContactRefused(CaseError):
    """Contacting the victim this way or now could put them at risk."""

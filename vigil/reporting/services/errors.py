"""The problems a person can read and act on, raised by the report's services."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ReportingError(ValidationError):
    """A problem the person can read and act on."""


class EvidenceRejected(ReportingError):
    pass


class SubmitLimited(ReportingError):
    pass


class TrackingLocked(ReportingError):
    pass


class DraftLimited(ReportingError):
    """This address has started as many reports as it may in an hour."""


class TrackingSignInFailed(ReportingError):
    pass


class UploadLimited(EvidenceRejected):
    """This address has added as many files, or bytes, as it may in an hour."""

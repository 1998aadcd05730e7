"""Writes for the public site: feedback. Public visitors are anonymous, so nothing here records
who they are (not even their IP address: the rate limit keeps only a keyed hash, briefly)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

from vigil.audit.services import audit_record
from vigil.audit.write_service import write_service
from vigil.public_site.models import Feedback


@write_service
def feedback_submit(*, rating: str, comments: str) -> Feedback:
    feedback = Feedback.objects.create(rating=rating, comments=comments.strip())
    audit_record(action="feedback.submit", target=feedback, summary={"rating": rating})
    return feedback


def feedback_rate_limited(*, ip_address: str | None) -> bool:
    """True once an address has sent the allowed amount of feedback in the window.

    Counting (not just checking) here means a refused attempt still counts, so a script that
    keeps trying stays refused.
    """
    limit = settings.VIGIL_FEEDBACK_RATE_LIMIT
    window = settings.VIGIL_FEEDBACK_RATE_WINDOW_SECONDS
    digest = hmac.new(
        settings.SECRET_KEY.encode(), (ip_address or "unknown").encode(), hashlib.sha256
    ).hexdigest()[:32]
    key = f"vigil:feedback-rate:{digest}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit

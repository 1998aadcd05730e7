"""Work the public report leaves to the worker."""

from __future__ import annotations

from django.tasks import task

from vigil.common.deferred import deferrable
from vigil.reporting.sign_in_links import tracking_link_send


@deferrable
@task(queue_name="default")
def tracking_link_send_task(report_id: str, email_index: str) -> str:
    """Decide, away from the request, whether to email a sign-in link (see sign_in_links.py)."""
    return tracking_link_send(report_id=report_id, email_index=email_index)

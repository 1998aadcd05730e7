from __future__ import annotations

from django.tasks import task

from vigil.common.deferred import deferrable
from vigil.notifications.services import outbox_deliver


@deferrable
@task(queue_name="default")
def deliver_outbox_message(message_id: str) -> str:
    message = outbox_deliver(message_id=message_id)
    return message.status if message else "skipped"

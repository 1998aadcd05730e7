"""Signals the outbox sends, for apps above it (cases) to act on without the outbox knowing them.

Each is sent inside the transaction that records the message's new state, so what a listener
writes (a duty done, a task for the officer) lands with it or not at all.
"""

from __future__ import annotations

from django.dispatch import Signal

# A message to a victim was not sent because their wishes do not allow it.
# Sent with: message (OutboxMessage), contact (SafeContact), reason (str).
message_withheld = Signal()

# A message was handed to the provider: `message.sent_at` is when it went. Only then may a
# caller say the person was told (a queued message may wait hours, or never go).
# Sent with: message (OutboxMessage).
message_sent = Signal()

# A message will not go unless staff send it again: retries ran out, or a stopped worker left
# it in doubt. Sent with: message (OutboxMessage).
message_failed = Signal()

"""Signals the outbox sends, for apps above it (cases) to act on without the outbox knowing them."""

from __future__ import annotations

from django.dispatch import Signal

# A message to a victim was not sent because their wishes do not allow it.
# Sent with: message (OutboxMessage), contact (SafeContact), reason (str).
message_withheld = Signal()

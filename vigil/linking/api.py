"""What other apps may use of the linking engine. Anything not named here is private to it."""

from __future__ import annotations

from vigil.linking.querysets import record_scope, register_owner_scope

__all__ = ["record_scope", "register_owner_scope"]

"""Who may use offender management at all. Which people and orders: querysets.py."""

from __future__ import annotations

import rules

from vigil.offenders.querysets import OffenderReach, offender_reach


@rules.predicate
def can_use_offenders(user: object) -> bool:
    return offender_reach(user) is not OffenderReach.NONE


rules.add_perm("offenders.use_offenders", can_use_offenders)

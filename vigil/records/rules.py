"""Who manages records: the data protection officer, and nobody else.

Retention and subject access reach every case by role (the DPO answers for the force's
compliance with the data protection law), so they are not in CASE_REACH, which is about case
work: the DPO's pages show dates, references and decisions, and subject access shows personal
data only inside an audited export.
"""

from __future__ import annotations

from typing import Any

import rules

from vigil.accounts.models import Role
from vigil.cases.querysets import role_of


def is_records_officer(user: Any) -> bool:
    return role_of(user) == Role.DPO


@rules.predicate
def is_records_officer_predicate(user: Any) -> bool:
    return is_records_officer(user)


rules.add_perm("records.manage_records", is_records_officer_predicate)

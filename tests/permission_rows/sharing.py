"""Referrals to partner agencies (vigil.sharing): the police pages, the partner view, the log.

The world: Alice's case ("in") is referred to the partner's agency, accepted; Bea's case
("out") has a referral waiting for partnerB's agency, one waiting for the partner's agency
("pending"), and Alice's case one waiting for a supervisor's approval ("approval").
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.permission_rows import Arguments, Row, row
from vigil.accounts.models import Role
from vigil.sharing import services
from vigil.sharing.exports import SALT
from vigil.sharing.models import Basis, Referral
from vigil.sharing.tests.factories import refer

# fmt: off
ROWS: list[Row] = [
    #   URL name, arguments,                   anon handler ivy oscar om coord super partner partnerB dpo admin  # noqa: E501
    # --- partner caseworkers ---
    row("sharing:inbox", "",                    "302 404 404 404 404 404 404 200 200 404 404"),
    row("sharing:referral", "referral",         "302 404 404 404 404 404 404 200 404 404 404",
                                                "302 404 404 404 404 404 404 404 200 404 404"),
    row("sharing:decline", "pending",           "302 404 404 404 404 404 404 200 404 404 404",
                                                "302 404 404 404 404 404 404 404 404 404 404"),
    row("sharing:update_add", "referral",       "302 404 404 404 404 404 404 200 404 404 404",
                                                "302 404 404 404 404 404 404 404 404 404 404"),
    row("sharing:export", "export_token",       "302 404 404 404 404 404 404 200 404 404 404",
                                                "302 404 404 404 404 404 404 404 404 404 404"),
    row("sharing:accept", "pending",            "302 405 405 405 405 405 405 405 405 405 405",
                                                "302 405 405 405 405 405 405 405 405 405 405"),
    # --- police staff ---
    row("sharing:case", "case",                 "302 200 200 404 404 200 200 404 404 404 404",
                                                "302 404 404 404 404 200 200 404 404 404 404"),
    row("sharing:refer", "case",                "302 200 200 404 404 200 200 404 404 404 404",
                                                "302 404 404 404 404 200 200 404 404 404 404"),
    row("sharing:approve", "approval",          "302 404 404 404 404 404 200 404 404 404 404",
                                                "302 404 404 404 404 404 404 404 404 404 404"),
    row("sharing:end", "referral",              "302 200 200 404 404 200 200 404 404 404 404",
                                                "302 404 404 404 404 200 200 404 404 404 404"),
    row("sharing:export_link", "referral",      "302 405 405 405 405 405 405 405 405 405 405",
                                                "302 405 405 405 405 405 405 405 405 405 405"),
    # --- the data protection officer ---
    row("sharing:log_index", "",                "302 404 404 404 404 404 404 404 404 200 404"),
    row("sharing:log", "case",                  "302 404 404 404 404 404 404 404 404 200 404",
                                                "302 404 404 404 404 404 404 404 404 200 404"),
    # --- POST-only: "act" where the role may act, 404 (nothing changed) elsewhere ---
    row("sharing:accept", "pending",            "302 404 404 404 404 404 404 act 404 404 404",
                                                "302 404 404 404 404 404 404 404 404 404 404",
        "post"),
    # "out" waits for partnerB's agency to accept: nothing of it can be exported yet, by anyone.
    row("sharing:export_link", "referral",      "302 act act 404 404 act act act 404 404 404",
                                                "302 404 404 404 404 404 404 404 404 404 404",
        "post", data={"format": "json"}),
]
# fmt: on


def _referral(key: str) -> Arguments:
    def build(w: dict[str, Any], side: str) -> dict[str, Any]:
        found = w[side].get(key)
        return {"referral_id": found.pk if found is not None else uuid.uuid4()}

    return build


def _export_token(w: dict[str, Any], side: str) -> dict[str, Any]:
    from django.core import signing

    if side == "out":
        return {"token": "not-a-signed-token"}
    payload = {"r": str(w["in"]["referral"].pk), "f": "json"}
    return {"token": signing.dumps(payload, salt=SALT, compress=True)}


ARGUMENTS: dict[str, Arguments] = {
    "referral": _referral("referral"),
    "pending": _referral("pending"),
    "approval": _referral("approval"),
    "export_token": _export_token,
}


def extend_world(w: dict[str, Any]) -> None:
    users = w["users"]
    alices, beas = w["in"]["case"], w["out"]["case"]
    w["in"]["referral"] = Referral.objects.get(case=alices, agency=users["partner"].agency)
    w["out"]["referral"] = refer(case=beas, agency=users["partnerB"].agency, by=users["coord"])
    w["in"]["pending"] = refer(case=beas, agency=users["partner"].agency, by=users["coord"])
    w["in"]["approval"] = services.referral_make(
        case=alices,
        agency=users["partnerB"].agency,
        by=users["ivy"],
        reason="High risk: she needs an advocate now",
        parts=["summary"],
        basis=Basis.SAFEGUARDING,
        lawful_basis_reason="Threats to kill; she cannot be reached to ask",
    )
    assert users["super"].role == Role.SUPERVISOR

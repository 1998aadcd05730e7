"""Offender management: people and their orders.

In the world: Alice's suspect has an offender record managed by `om` (an offender manager of
another team) and an order applied for; Bea's suspect has one with no manager. The offender
manager reaches the person they manage and that person's orders, never the victim's case
(cases:detail stays 404 for them); the investigator in charge reaches the person through the
case; coordinators and supervisors reach everyone.
"""

from __future__ import annotations

from typing import Any

from tests.permission_rows import Arguments, Row, row

# Columns:     anon handler ivy oscar om coord super partner partnerB dpo admin
PERSON_IN = "302 404 200 404 200 200 200 404 404 404 404"
PERSON_OUT = "302 404 404 404 404 200 200 404 404 404 404"

# fmt: off
ROWS: list[Row] = [
    row("offenders:home", "",                    "302 404 200 200 200 200 200 404 404 404 404"),
    row("offenders:consider", "case",            "302 404 200 404 404 200 200 404 404 404 404",
                                                 PERSON_OUT),
    row("offenders:person", "offender",          PERSON_IN, PERSON_OUT),
    row("offenders:person_edit", "offender",     PERSON_IN, PERSON_OUT),
    row("offenders:marker_add", "offender",      PERSON_IN, PERSON_OUT),
    row("offenders:other_order_add", "offender", PERSON_IN, PERSON_OUT),
    row("offenders:right_to_know", "offender",   PERSON_IN, PERSON_OUT),
    row("offenders:order", "order",              PERSON_IN, PERSON_OUT),
    row("offenders:draft", "order",              PERSON_IN, PERSON_OUT),
    row("offenders:condition_add", "order",      PERSON_IN, PERSON_OUT),
    row("offenders:apply", "order",              PERSON_IN, PERSON_OUT),
    row("offenders:court_step", "order+step",    PERSON_IN, PERSON_OUT),
    row("offenders:notification", "order",       PERSON_IN, PERSON_OUT),
    row("offenders:breach", "order",             PERSON_IN, PERSON_OUT),
    row("offenders:bundle", "order",             PERSON_IN, PERSON_OUT),
]
# fmt: on


def _pk(key: str, kwarg: str) -> Arguments:
    def build(w: dict[str, Any], side: str) -> dict[str, Any]:
        return {kwarg: w[side][key].pk}

    return build


ARGUMENTS: dict[str, Arguments] = {
    "offender": _pk("offender", "offender_id"),
    "order": _pk("order", "order_id"),
    "order+step": lambda w, side: {"order_id": w[side]["order"].pk, "step": "hearing"},
}


def extend_world(w: dict[str, Any]) -> None:
    from vigil.offenders import services
    from vigil.offenders.models import ConditionKind

    coord = w["users"]["coord"]
    for side, manager in (("in", w["users"]["om"]), ("out", None)):
        order = services.spo_consider(
            case=w[side]["case"], suspect=w[side]["suspect"], pursue=True, reasons="", by=coord
        )
        services.offender_update(
            offender=order.offender, by=coord, manager=manager, plan="", bail_conditions=""
        )
        services.condition_add(
            order=order,
            kind=ConditionKind.PROHIBITION,
            text="No contact.",
            reason="Calls at night.",
            by=coord,
        )
        w[side]["offender"] = order.offender
        w[side]["order"] = order

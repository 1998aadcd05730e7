"""Safety plans and multi-agency meetings (vigil.safeguarding).

Plans follow the case's scope for police staff; partners get 404 until referrals (vigil.sharing)
say what was shared with their agency. Meetings are run by the coordinator and supervisors and
seen by the officers of their cases; "in" is a MARAC with Alice's case on it, "out" one with
only Bea's.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.permission_rows import Arguments, Row, row

# fmt: off
ROWS: list[Row] = [
    #   URL name, arguments,                       anon handler ivy oscar om coord super partner partnerB dpo admin  # noqa: E501
    row("safeguarding:plan", "case",              "302 200 200 404 404 200 200 404 404 404 404",
                                                  "302 404 404 404 404 200 200 404 404 404 404"),
    row("safeguarding:measure_edit", "case+measure", "302 200 200 404 404 200 200 404 404 404 404",
                                                  "302 404 404 404 404 200 200 404 404 404 404"),
    row("safeguarding:plan_review", "case",       "302 200 200 404 404 200 200 404 404 404 404",
                                                  "302 404 404 404 404 200 200 404 404 404 404"),
    row("safeguarding:refer", "case",             "302 200 200 404 404 200 200 404 404 404 404",
                                                  "302 404 404 404 404 200 200 404 404 404 404"),
    row("safeguarding:meetings", "",              "302 404 200 200 200 200 200 404 404 404 404"),
    row("safeguarding:meeting_new", "",           "302 404 404 404 404 200 200 404 404 404 404"),
    row("safeguarding:meeting", "meeting",        "302 404 200 404 404 200 200 404 404 404 404",
                                                  "302 404 404 404 404 200 200 404 404 404 404"),
    row("safeguarding:meeting_case_new", "meeting", "302 404 404 404 404 200 200 404 404 404 404",
                                                  "302 404 404 404 404 200 200 404 404 404 404"),
    row("safeguarding:attendee_new", "meeting",   "302 404 404 404 404 200 200 404 404 404 404",
                                                  "302 404 404 404 404 200 200 404 404 404 404"),
    row("safeguarding:information_new", "meeting+entry",
                                                  "302 404 404 404 404 200 200 404 404 404 404",
                                                  "302 404 404 404 404 200 200 404 404 404 404"),
    row("safeguarding:action_new", "meeting+entry", "302 404 404 404 404 200 200 404 404 404 404",
                                                  "302 404 404 404 404 200 200 404 404 404 404"),
    row("safeguarding:minutes", "meeting",        "302 404 404 404 404 200 200 404 404 404 404",
                                                  "302 404 404 404 404 200 200 404 404 404 404"),
]
# fmt: on

ARGUMENTS: dict[str, Arguments] = {
    "case+measure": lambda w, side: {
        "case_id": w[side]["case"].pk,
        "measure_id": w[side]["measure"].pk,
    },
    "meeting": lambda w, side: {"meeting_id": w[side]["meeting"].pk},
    "meeting+entry": lambda w, side: {
        "meeting_id": w[side]["meeting"].pk,
        "entry_id": w[side]["entry"].pk,
    },
}


def extend_world(w: dict[str, Any]) -> None:
    from vigil.safeguarding import meetings
    from vigil.safeguarding.plans import safety_measure_add

    coord = w["users"]["coord"]
    for side in ("in", "out"):
        case = w[side]["case"]
        w[side]["measure"] = safety_measure_add(
            case=case, by=coord, measure_code="alarm", owner_user=coord, status="in_place"
        )
        meeting = meetings.meeting_create(
            kind="marac",
            held_on=timezone.localdate() + datetime.timedelta(days=7),
            place="",
            by=coord,
        )
        w[side]["meeting"] = meeting
        w[side]["entry"] = meetings.meeting_case_add(
            meeting=meeting, case=case, reason="judgement", note="", by=coord
        )

"""Private records (issue 23): public pages behind reference + secret, and the coordinator's
list of matches. No staff URL reaches a record itself."""

from __future__ import annotations

import uuid
from typing import Any

from tests.permission_rows import Arguments, Row, row

# fmt: off
ROWS: list[Row] = [
    #   URL name, arguments,                         anon handler ivy oscar om coord super partner partnerB dpo admin  # noqa: E501
    row("private_record:start", "",                  "200 200 200 200 200 200 200 200 200 200 200"),
    row("private_record:new", "",                    "200 200 200 200 200 200 200 200 200 200 200"),
    row("private_record:kept", "",                   "302 302 302 302 302 302 302 302 302 302 302"),
    row("private_record:sign_in", "",                "200 200 200 200 200 200 200 200 200 200 200"),
    row("private_record:sign_out", "",               "405 405 405 405 405 405 405 405 405 405 405"),
    row("private_record:yours", "",                  "302 302 302 302 302 302 302 302 302 302 302"),
    row("private_record:edit", "",                   "302 302 302 302 302 302 302 302 302 302 302"),
    row("private_record:delete", "",                 "302 302 302 302 302 302 302 302 302 302 302"),
    row("private_record:deleted", "",                "200 200 200 200 200 200 200 200 200 200 200"),
    row("private_record:keep", "",                   "405 405 405 405 405 405 405 405 405 405 405"),
    row("private_record:to_report", "",              "405 405 405 405 405 405 405 405 405 405 405"),
    # Only the holder, signed in with reference + secret, reaches their part in a match.
    row("private_record:share", "match_member",      "302 302 302 302 302 302 302 302 302 302 302"),
    row("private_record:unshare", "match_member",    "405 405 405 405 405 405 405 405 405 405 405"),
    row("private_record_staff:matches", "",          "302 404 404 404 404 200 404 404 404 404 404"),
]
# fmt: on


def _member(w: dict[str, Any], side: str) -> dict[str, Any]:
    return {"member_id": uuid.uuid4()}


ARGUMENTS: dict[str, Arguments] = {"match_member": _member}

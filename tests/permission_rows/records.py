"""Records management (vigil/records): the data protection officer's pages only."""

from __future__ import annotations

from tests.permission_rows import Row, row

# fmt: off
ROWS: list[Row] = [
    #   URL name, arguments,      anon handler ivy oscar om coord super partner partnerB dpo admin
    row("records:queue", "",       "302 404 404 404 404 404 404 404 404 200 404"),
    row("records:subject_access", "", "302 404 404 404 404 404 404 404 404 200 404"),
    row("records:erased", "",      "302 404 404 404 404 404 404 404 404 200 404"),
    # The DPO reaches every case here (dates, references and decisions, no personal data).
    row("records:case", "case",    "302 404 404 404 404 404 404 404 404 200 404",
                                   "302 404 404 404 404 404 404 404 404 200 404"),
    # And every report's, whether or not it became a case.
    row("records:report", "report",  "302 404 404 404 404 404 404 404 404 200 404",
                                   "302 404 404 404 404 404 404 404 404 200 404"),
    # (The matrix's "out" phone report is an id that names nothing: 404 even for the DPO.)
    row("records:phone_report", "phone", "302 404 404 404 404 404 404 404 404 200 404",
                                   "302 404 404 404 404 404 404 404 404 404 404"),
]
# fmt: on

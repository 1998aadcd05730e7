"""Keep one-time tokens out of the logs.

A sign-in link or a trusted contact's confirmation link carries its token in the URL path (the
person clicks it in an email). Web servers log every path they serve, and logs are read by more
people, kept longer and copied further than the database: a token in a log line is a way into a
victim's report. Every log record passes through `RedactTokens`, which replaces the token part
of such paths before the line is written.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[token]"

# Every URL whose path carries a one-time token, as it starts; the next path segment is the
# token. vigil/common/tests/test_log_filters.py fails if a URL with a `token` argument is missing.
TOKEN_PATH_PREFIXES = (
    "/report/track/email/",
    "/safety/confirm/",
    "/safety/timer/stop/",
    "/staff/sharing/export/",
)
# Tokens are long (secrets.token_urlsafe(32) gives 43 characters); shorter segments such as
# /report/track/email/asked/ are ordinary pages.
_TOKEN_PATH = re.compile(
    "(" + "|".join(re.escape(prefix) for prefix in TOKEN_PATH_PREFIXES) + r")[^/\s?#\"']{16,}"
)


def redact_tokens(text: str) -> str:
    return _TOKEN_PATH.sub(lambda match: match.group(1) + REDACTED, text)


class RedactTokens(logging.Filter):
    """A logging filter for every handler: runserver's and gunicorn's access lines, Django's
    "Not Found" warnings and errors with their request path."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: let logging report it as it would
            return True
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True

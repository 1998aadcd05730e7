"""Django's database sessions, with the one read every signed-in request makes compiled once.

Set as SESSION_ENGINE. Everything else (saving, rotating, clearing, expiry) is Django's own."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from vigil.common import sql

_UNEXPIRED = "session_key = %s AND expire_date > %s"


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        session = sql.fetch_one(
            Session,
            _UNEXPIRED,
            [self.session_key, sql.prepare_value(Session, "expire_date", timezone.now())],
        )
        if session is None:
            # As Django's does: an unknown or expired key gets a new one when next saved.
            self._session_key = None
        return session

"""Who is acting and from where, for the audit log, without passing the request everywhere."""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None


_current: ContextVar[RequestContext | None] = ContextVar("vigil_request_context", default=None)


def current_request_context() -> RequestContext | None:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def set_request_context(context: RequestContext | None) -> object:
    return _current.set(context)


def reset_request_context(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]

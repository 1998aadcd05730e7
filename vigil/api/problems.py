"""Every error the API gives, in one shape: RFC 9457 problem details (application/problem+json).

Clients can rely on `status`, `title` and, for bad input, `errors`: one entry per field, named by
its path in the request body (`victim.name`, `suspects[0].relationship`).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    422: "Invalid request",
    428: "Precondition required",
    429: "Too many requests",
    500: "Server error",
}


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    errors: list[FieldError] = []


class ApiProblem(Exception):
    def __init__(
        self,
        status: int,
        detail: str = "",
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}


def problem_response(
    request: HttpRequest,
    status: int,
    detail: str = "",
    *,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path,
        "errors": errors or [],
    }
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _location(loc: Any) -> str:
    """Pydantic's location ("body", "payload", "victim", "name") as a path: victim.name."""
    parts = [p for p in loc if p not in ("body", "query", "path", "header", "payload")]
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "body"


def _on_problem(request: HttpRequest, exc: Exception) -> HttpResponse:
    assert isinstance(exc, ApiProblem)
    return problem_response(request, exc.status, exc.detail, errors=exc.errors, headers=exc.headers)


def _on_validation(request: HttpRequest, exc: Exception) -> HttpResponse:
    assert isinstance(exc, NinjaValidationError)
    errors = []
    for error in exc.errors:
        if "loc" in error:
            errors.append({"field": _location(error["loc"]), "message": str(error.get("msg", ""))})
        else:  # django-ninja's own shape, {"field": "message"}
            errors.extend({"field": str(k), "message": str(v)} for k, v in error.items())
    return problem_response(request, 422, "Some answers need changing.", errors=errors)


def _on_domain_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A service refused (a channel the victim did not mark safe, a closed case): its message
    # is written for people and says why.
    assert isinstance(exc, DjangoValidationError)
    return problem_response(request, 422, " ".join(str(m) for m in exc.messages))


def _on_authentication(request: HttpRequest, exc: Exception) -> HttpResponse:
    reason = getattr(request, "api_refusal", "") or "Send a token: Authorization: Bearer <token>."
    return problem_response(request, 401, reason, headers={"WWW-Authenticate": "Bearer"})


def _on_throttled(request: HttpRequest, exc: Exception) -> HttpResponse:
    assert isinstance(exc, Throttled)
    wait = int(exc.wait or 60)
    return problem_response(
        request,
        429,
        f"This token has made too many requests. Try again in {wait} seconds.",
        headers={"Retry-After": str(wait)},
    )


def _on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Out of scope and not there at all look the same, so nothing can be learnt by asking.
    return problem_response(request, 404, "There is nothing here, or it is not shared with you.")


def _on_http_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    assert isinstance(exc, HttpError)
    return problem_response(request, exc.status_code, str(exc))


def _on_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s", request.path, exc_info=exc)
    return problem_response(request, 500, "Something went wrong on our side. Nothing was kept.")


def install(api: Any) -> None:
    api.add_exception_handler(Exception, _on_error)
    api.add_exception_handler(HttpError, _on_http_error)
    api.add_exception_handler(Throttled, _on_throttled)
    api.add_exception_handler(AuthenticationError, _on_authentication)
    api.add_exception_handler(NinjaValidationError, _on_validation)
    api.add_exception_handler(DjangoValidationError, _on_domain_error)
    api.add_exception_handler(Http404, _on_not_found)
    api.add_exception_handler(ApiProblem, _on_problem)


# Declared on every operation, so the spec says what each can answer.
ERRORS: dict[int, type[Problem]] = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    422: Problem,
    429: Problem,
}

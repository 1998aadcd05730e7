"""Vigil's API, version 1: thin handlers over the same services and selectors as the staff pages.

Each handler names one operation (its scope), fetches through vigil.api.scope, and calls one
service or selector. Anything out of the client's scope is 404, exactly as on the staff pages.
"""

import hashlib
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Header, NinjaAPI, Query, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import CursorPagination
from pydantic import ValidationError as PydanticValidationError

from vigil.api import problems, scope
from vigil.api.auth import ClientToken, calling_client
from vigil.api.idempotency import idempotent
from vigil.api.models import Operation
from vigil.api.problems import ERRORS, ApiProblem, Problem
from vigil.api.reports import ReportIn, ReportOut, report_submit_for_client
from vigil.api.schemas import (
    ActionOut,
    ActionPatch,
    CaseOut,
    CasePage,
    LinkCandidateList,
    MessageIn,
    MessageOut,
    MessagePage,
    RiskOut,
    TimelinePage,
)
from vigil.cases import services as case_services
from vigil.cases.models import ActionStatus, Case, CaseAction, ContactLogEntry
from vigil.risk import selectors as risk_selectors

API_VERSION = "1.0.0"


class VigilApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Errors are declared as application/problem+json, the type they are sent with."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[problems.PROBLEM_TYPE] = content.pop("application/json")
        return schema


api = VigilApi(
    title="Vigil API",
    version=API_VERSION,
    description=(
        "For partner agencies' case systems, reporting apps and offender management systems. "
        "See docs/api.md for worked examples, the error shape and the versioning policy."
    ),
    urls_namespace="api:api-v1",
    docs_url=None,
    openapi_url="/openapi.json",
)
problems.install(api)


def needs(operation: str) -> dict[str, Any]:
    """The one operation (named scope) an endpoint needs: checked on every call, and named in
    the spec as x-vigil-operation so clients and the permission matrix test can read it."""
    return {"auth": ClientToken(operation), "openapi_extra": {"x-vigil-operation": operation}}


IdempotencyKey = Header(
    None,
    alias="Idempotency-Key",
    max_length=200,
    description="Send the same key to retry safely: one object is made, the answer repeats.",
)
WITH_412 = {**ERRORS, 412: Problem, 428: Problem}


class PageQuery(CursorPagination.Input):
    pass


def _page(request: HttpRequest, items: QuerySet[Any], page: PageQuery, ordering: str) -> Any:
    """One page of `items`, with cursors to the next and previous pages (django-ninja's)."""
    unknown = sorted(set(request.GET) - {"cursor", "page_size"})
    if unknown:
        # A misspelt filter must not quietly return everything.
        raise ApiProblem(
            422,
            "Lists take only cursor and page_size.",
            errors=[{"field": name or "query", "message": "Unknown parameter"} for name in unknown],
        )
    pager = CursorPagination(ordering=(ordering, "-id"), page_size=25, max_page_size=100)
    try:
        return pager.paginate_queryset(items, pagination=page, request=request)
    except (PydanticValidationError, NinjaValidationError, ValidationError, ValueError):
        raise ApiProblem(
            422,
            "The cursor is not one we gave.",
            errors=[{"field": "cursor", "message": "Invalid"}],
        ) from None


def _etag(instance: Model) -> str:
    version = f"{instance.pk}:{instance.updated_at.isoformat()}"  # type: ignore[attr-defined]
    return '"' + hashlib.sha256(version.encode()).hexdigest()[:32] + '"'


def _case_out(case: Case, fields: frozenset[str]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": case.pk,
        "reference": case.reference,
        "status": case.status,
        "principal_classification": case.principal_classification,
        "risk_level": case.risk_level,
        "opened_at": case.opened_at,
        "last_activity_at": case.last_activity_at,
        "closed_at": case.closed_at,
        "outcome": case.outcome,
        "title": case.title,
        "outcome_reason": case.outcome_reason,
        "officer": case.officer.full_name if case.officer else None,
        "team": case.team.name if case.team else None,
        "response_due_at": case.response_due_at,
        "first_contact_at": case.first_contact_at,
    }
    return {name: value for name, value in values.items() if name in fields}


def _message_out(entry: ContactLogEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "victim_id": entry.victim_id,
        "channel": entry.channel,
        "direction": entry.direction,
        "at": entry.at,
        "body": entry.summary,
    }


# --- reports ---------------------------------------------------------------------------------


@api.post(
    "/reports",
    **needs(Operation.REPORTS_SUBMIT),
    response={201: ReportOut, **ERRORS},
    tags=["reports"],
    summary="Send a report (reporting apps)",
)
@idempotent
def report_create(
    request: HttpRequest, payload: ReportIn, idempotency_key: str | None = IdempotencyKey
) -> Status[Any]:
    client = calling_client(request)
    report, secret = report_submit_for_client.as_step(client=client, report=payload)
    return Status(
        201,
        ReportOut(
            id=str(report.pk),
            reference=report.reference,
            status=report.status,
            received_at=report.received_at,
            tracking_secret=secret or None,
        ),
    )


# --- cases -----------------------------------------------------------------------------------


@api.get(
    "/cases",
    **needs(Operation.CASES_READ),
    response={200: CasePage, **ERRORS},
    exclude_unset=True,
    tags=["cases"],
    summary="The cases this client may read, most recently active first",
)
def case_list(request: HttpRequest, page: Query[PageQuery]) -> Any:
    client = calling_client(request)
    cases = scope.cases(client).select_related("officer", "team")
    result = _page(request, cases, page, "-last_activity_at")
    result["results"] = [
        _case_out(case, scope.case_fields(client, case)) for case in result["results"]
    ]
    return result


@api.get(
    "/cases/{case_id}",
    **needs(Operation.CASES_READ),
    response={200: CaseOut, **ERRORS},
    exclude_unset=True,
    tags=["cases"],
    summary="One case",
)
def case_detail(request: HttpRequest, case_id: UUID, response: HttpResponse) -> Any:
    client = calling_client(request)
    case = scope.case_read(client, case_id, page="case")
    response["ETag"] = _etag(case)
    return _case_out(case, scope.case_fields(client, case))


@api.get(
    "/cases/{case_id}/timeline",
    **needs(Operation.CASES_READ),
    response={200: TimelinePage, **ERRORS},
    tags=["cases"],
    summary="The case's timeline, newest first",
)
def case_timeline(request: HttpRequest, case_id: UUID, page: Query[PageQuery]) -> Any:
    client = calling_client(request)
    case = scope.case_read(client, case_id, page="timeline")
    return _page(request, scope.timeline(client, case), page, "-occurred_at")


@api.get(
    "/cases/{case_id}/risk",
    **needs(Operation.RISK_READ),
    response={200: RiskOut, **ERRORS},
    tags=["cases"],
    summary="The case's risk level and its latest assessment",
)
def case_risk(request: HttpRequest, case_id: UUID) -> Any:
    case = scope.case_read(calling_client(request), case_id, page="risk", part=scope.RISK)
    latest = risk_selectors.case_assessments(case=case).order_by("-submitted_at").first()
    return {
        "level": case.risk_level,
        "tool": latest.tool.code if latest else None,
        "assessed_at": latest.submitted_at if latest else None,
        "review_due": latest.review_due if latest else None,
    }


# --- messages with the victim ------------------------------------------------------------------


@api.get(
    "/cases/{case_id}/messages",
    **needs(Operation.MESSAGES_READ),
    response={200: MessagePage, **ERRORS},
    tags=["messages"],
    summary="Messages and contact with the victim, newest first",
)
def message_list(request: HttpRequest, case_id: UUID, page: Query[PageQuery]) -> Any:
    # The contact log is never shared: no part names it.
    case = scope.case_read(calling_client(request), case_id, page="messages", part=scope.NEVER)
    result = _page(request, scope.messages(case), page, "-at")
    result["results"] = [_message_out(entry) for entry in result["results"]]
    return result


@api.post(
    "/cases/{case_id}/messages",
    **needs(Operation.MESSAGES_SEND),
    response={201: MessageOut, **ERRORS},
    tags=["messages"],
    summary="Send the victim a message, only by a way and at a time they marked safe",
)
@idempotent
def message_create(
    request: HttpRequest,
    case_id: UUID,
    payload: MessageIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[Any]:
    client = calling_client(request)
    case = scope.case_change(client, case_id, page="message_send")
    victim = next((v for v in scope.victims(case) if v.pk == payload.victim_id), None)
    if victim is None:
        raise ApiProblem(
            422,
            "Choose a victim on this case.",
            errors=[{"field": "victim_id", "message": "Not a victim on this case"}],
        )
    try:
        entry = case_services.victim_message_send.as_step(
            case=case, victim=victim, channel=payload.channel, body=payload.body, by=client.user
        )
    except case_services.CaseError as refused:
        raise ApiProblem(
            422,
            " ".join(str(m) for m in refused.messages),
            errors=[{"field": "channel", "message": str(m)} for m in refused.messages],
        ) from None
    return Status(201, _message_out(entry))


# --- case actions (the one update, with ETag / If-Match) ----------------------------------------


def _action(case: Case, action_id: UUID) -> CaseAction:
    action = scope.actions(case).filter(pk=action_id).first()
    if action is None:
        raise ApiProblem(404, "There is nothing here, or it is not shared with you.")
    return action


def _action_out(action: CaseAction) -> dict[str, Any]:
    return {
        "id": action.pk,
        "title": action.title,
        "status": action.status,
        "due_on": action.due_on,
        "completed_at": action.completed_at,
    }


@api.get(
    "/cases/{case_id}/actions/{action_id}",
    **needs(Operation.CASES_READ),
    response={200: ActionOut, **ERRORS},
    tags=["cases"],
    summary="One action on the case, with its ETag",
)
def action_detail(
    request: HttpRequest, case_id: UUID, action_id: UUID, response: HttpResponse
) -> Any:
    case = scope.case_read(calling_client(request), case_id, page="action", part=scope.NEVER)
    action = _action(case, action_id)
    response["ETag"] = _etag(action)
    return _action_out(action)


@api.patch(
    "/cases/{case_id}/actions/{action_id}",
    **needs(Operation.CASES_UPDATE),
    response={200: ActionOut, **WITH_412},
    tags=["cases"],
    summary="Mark an action done, not needed, or to do again (If-Match required)",
)
def action_update(
    request: HttpRequest,
    case_id: UUID,
    action_id: UUID,
    payload: ActionPatch,
    response: HttpResponse,
    if_match: str | None = Header(
        None, alias="If-Match", max_length=100, description="The ETag you last read"
    ),
) -> Any:
    client = calling_client(request)
    case = scope.case_change(client, case_id, page="action_update")
    action = _action(case, action_id)
    if not if_match:
        raise ApiProblem(428, "Send If-Match with the ETag you read, so no change is lost.")
    if if_match.strip() not in {_etag(action), "*"}:
        raise ApiProblem(
            412, "The action has changed since you read it. Read it again, then decide."
        )
    if payload.status not in ActionStatus.values:
        raise ApiProblem(
            422,
            "Choose open, done or cancelled.",
            errors=[{"field": "status", "message": "Choose open, done or cancelled"}],
        )
    action = case_services.action_set_status(action=action, status=payload.status, by=client.user)
    response["ETag"] = _etag(action)
    return _action_out(action)


# --- link candidates (the force's coordination system only) ------------------------------------


@api.get(
    "/cases/{case_id}/link-candidates",
    **needs(Operation.LINKS_READ),
    response={200: LinkCandidateList, **ERRORS},
    tags=["linking"],
    summary="Records elsewhere that may be the same suspect",
)
def link_candidates(request: HttpRequest, case_id: UUID) -> Any:
    client = calling_client(request)
    case = scope.case_read(client, case_id, page="link_candidates", part=scope.NEVER)
    results = []
    for record in scope.link_records(case):
        for candidate in scope.link_candidates(client, record):
            reasons = candidate.score.reasons()
            results.append(
                {
                    "record_id": record.pk,
                    "candidate_id": candidate.record.pk,
                    "percent": candidate.percent,
                    "shares_an_identifier": candidate.score.shares_an_identifier,
                    "agreed": reasons.get("agreed", []),
                    "differed": reasons.get("differed", []),
                }
            )
    return {"results": results}

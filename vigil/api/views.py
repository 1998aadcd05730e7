"""The API's documentation page: the OpenAPI spec drawn as a plain page on the site's own
styles. Not Swagger UI, which loads its code from another site; this page needs no script."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from vigil.api.v1 import api

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(ref: dict[str, Any]) -> str:
    target = ref.get("$ref") or ref.get("items", {}).get("$ref", "")
    return str(target).rsplit("/", 1)[-1]


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            responses = [
                {
                    "status": status,
                    "description": response.get("description", ""),
                    "schema": next(
                        (
                            _schema_name(c.get("schema", {}))
                            for c in response.get("content", {}).values()
                        ),
                        "",
                    ),
                }
                for status, response in operation.get("responses", {}).items()
            ]
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    # Broken at each "/" so a long path wraps on a narrow screen.
                    "path_parts": path.split("/"),
                    "summary": operation.get("summary", ""),
                    "needs": operation.get("x-vigil-operation", ""),
                    "operation_id": operation.get("operationId", ""),
                    "parameters": operation.get("parameters", []),
                    "body": _schema_name(body.get("schema", {})) if body else "",
                    "responses": responses,
                }
            )
    return rows


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    spec = api.get_openapi_schema(path_prefix="/api/v1")
    return render(
        request,
        "api/docs.html",
        {
            "info": spec.get("info", {}),
            "operations": _operations(spec),
            "schemas": sorted(spec.get("components", {}).get("schemas", {}).items()),
        },
    )

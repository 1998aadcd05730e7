"""Bearer tokens: who is calling, may they do this operation, and have they called too often."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import Throttled
from ninja.security import HttpBearer

from vigil.api.models import ApiClient
from vigil.api.problems import ApiProblem
from vigil.api.services import TokenRefused, api_rate_take, api_token_authenticate


class ClientToken(HttpBearer):
    """`Authorization: Bearer vgl_...` for a live token whose client may do `operation`."""

    def __init__(self, operation: str) -> None:
        self.operation = operation
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        try:
            api_token = api_token_authenticate(secret=token)
        except TokenRefused as refused:
            request.api_refusal = refused.reason  # type: ignore[attr-defined]
            if refused.token is not None:
                # Known but revoked or expired: the refusal is audited under the client's name.
                request.api_client = refused.token.client  # type: ignore[attr-defined]
            return None
        client = api_token.client
        request.api_client = client  # type: ignore[attr-defined]
        wait = api_rate_take(token=api_token, limit=client.rate_limit_per_minute)
        if wait is not None:
            raise Throttled(wait)
        if not client.may(self.operation):
            raise ApiProblem(403, f"This client has not been given the {self.operation} operation.")
        return client


def calling_client(request: HttpRequest) -> ApiClient:
    """The client ninja authenticated for this request."""
    client: Any = getattr(request, "auth", None)
    assert isinstance(client, ApiClient)
    return client

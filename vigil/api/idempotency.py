"""Idempotency keys on every create: a retried request gets the first answer, and one object.

The key's row is written first, in the same transaction as the create. A second request with the
same key waits on the row's unique index until the first commits, then reads its answer: so even
two requests at the same moment make one object.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja import Status
from pydantic import BaseModel

from vigil.api.auth import calling_client
from vigil.api.models import IdempotencyRecord
from vigil.api.problems import ApiProblem
from vigil.audit.write_service import write_service

# Never kept in the record: a replay leaves it out (it is shown once).
NOT_REPLAYED = frozenset({"tracking_secret"})


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode() if request.method else b"")
    digest.update(request.path.encode())
    digest.update(b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _jsonable(body: Any) -> Any:
    if isinstance(body, BaseModel):
        return body.model_dump(mode="json")
    return json.loads(json.dumps(body, cls=DjangoJSONEncoder))


def idempotent(handler: Callable[..., Status[Any]]) -> Callable[..., Status[Any]]:
    """For a create handler returning Status(code, body) and taking `idempotency_key`."""

    @functools.wraps(handler)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Status[Any]:
        key = kwargs.get("idempotency_key")
        if not key:
            return handler(request, *args, **kwargs)
        return _kept(handler, request, *args, **kwargs)

    return wrapper


# The create, its kept answer and its audit row are one write service; the handler's services
# run in it as steps (`service.as_step`). Without a key the handler runs on its own, so a scope
# refusal's audit row (answered 404) is kept.
@write_service
def _kept(
    handler: Callable[..., Status[Any]], request: HttpRequest, *args: Any, **kwargs: Any
) -> Status[Any]:
    key = kwargs["idempotency_key"]
    client = calling_client(request)
    fingerprint = _fingerprint(request)
    try:
        # A savepoint: the duplicate key is caught and the transaction carries on.
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                client=client, key=key, fingerprint=fingerprint
            )
    except IntegrityError:
        record = IdempotencyRecord.objects.get(client=client, key=key)
        if record.fingerprint != fingerprint:
            raise ApiProblem(
                422,
                "This Idempotency-Key was used for a different request. "
                "Use a new key for each new thing you create.",
            ) from None
        return Status(record.status_code, record.body)
    result = handler(request, *args, **kwargs)
    # The first answer and every replay are rendered from the same JSON, so a replay is
    # the first answer byte for byte (a model rendered directly and the same model kept
    # as JSON write some times differently, e.g. "…54Z" and "…54.000Z").
    answer = _jsonable(result.value)
    kept = answer
    if isinstance(answer, dict):
        kept = {k: v for k, v in answer.items() if k not in NOT_REPLAYED}
    record.status_code = result.status_code
    record.body = kept
    record.save(update_fields=["status_code", "body", "updated_at"])
    return Status(result.status_code, answer)

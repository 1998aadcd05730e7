from __future__ import annotations

import uuid

from django.db import models


class UUIDModel(models.Model):
    """Objects appear in URLs by UUID so that no one can guess or count them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

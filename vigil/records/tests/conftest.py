"""What the records tests share: stored files in a folder of their own, the DPO, and the
rebuilding of subject access's search rows."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from vigil.accounts.models import Role, User
from vigil.records.models import ReportIdentifier


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def dpo(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.DPO)


@pytest.fixture
def reindex_then_rotate(settings: Any) -> Callable[[Callable[[], Any]], list[Any]]:
    """What `look` finds after each step: the search rows lost (as for reports made before
    the index existed) and rebuilt by `records_reindex`; a new blind-index key (old hashes);
    `rotate_keys`, which runs the reindex again."""
    from vigil.operations.rotation import keys_rotate

    def run(look: Callable[[], Any]) -> list[Any]:
        ReportIdentifier.objects.all().delete()
        call_command("records_reindex", stdout=StringIO())
        seen = [look()]
        settings.BLIND_INDEX_KEY = "a-new-blind-index-key-for-this-test-0123456789"
        seen.append(look())
        assert "records_reindex" in keys_rotate().reindexed
        seen.append(look())
        return seen

    return run

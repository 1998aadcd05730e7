"""Load risk tools from the JSON files in vigil/risk/tools/ (replaceable by each force)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

TOOLS_DIR = Path(__file__).resolve().parent / "tools"


def tool_files() -> list[Path]:
    return sorted(TOOLS_DIR.glob("*.json"))


@transaction.atomic
def load_tools(tool_model: Any, question_model: Any, paths: list[Path] | None = None) -> int:
    """Create or update tools by code, and their questions by number. Returns tools loaded.

    Takes the models as arguments so a data migration can pass its historical models.
    """
    documents = [json.loads(path.read_text()) for path in (paths or tool_files())]
    tools = {}
    for doc in documents:
        tool, _ = tool_model.objects.update_or_create(
            code=doc["code"],
            defaults={
                "name": doc["name"],
                "description": doc.get("description", ""),
                "medium_from": doc.get("medium_from"),
                "high_from": doc.get("high_from"),
                "marac_from": doc.get("marac_from"),
            },
        )
        tools[doc["code"]] = tool
    for doc in documents:
        for item in doc["questions"]:
            question_model.objects.update_or_create(
                tool=tools[doc["code"]],
                number=item["number"],
                defaults={
                    "text": item["text"],
                    "help_text": item.get("help", ""),
                    "prompts_tool": tools.get(item.get("prompts", "")),
                },
            )
    return len(documents)

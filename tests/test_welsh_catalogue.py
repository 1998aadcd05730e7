"""The Welsh catalogue stays complete (STYLE.md rule 13): every string in the code is in it, every
entry is translated and none is fuzzy, and no translation loses a placeholder, a number or a tag.

A lost %(name)s breaks the page; a lost 999 or 0808 number sends a frightened person nowhere.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"
# Python-format placeholders as Django writes them: %(name)s, %s, %d, and %% for a literal %.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0\- +]*\d*(?:\.\d+)?[sdifr%]")
TAG = re.compile(r"<[^>]+>")
NUMBER = re.compile(r"\d+")


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source)


def entries(catalogue: Catalog) -> list[Message]:
    return [message for message in catalogue if message.id]


def forms(message: Message) -> tuple[list[str], list[str]]:
    """The English (singular and plural) and every Welsh form of one entry."""
    english = list(message.id) if message.pluralizable else [message.id]
    welsh = list(message.string) if message.pluralizable else [message.string]
    return english, [text or "" for text in welsh]


def label(message: Message) -> str:
    english = message.id[0] if message.pluralizable else message.id
    return f"{english[:70]!r}" + (f" ({message.context})" if message.context else "")


def test_the_catalogue_is_for_welsh_with_welsh_plurals() -> None:
    catalogue = read_catalogue(CATALOGUE)
    assert str(catalogue.locale) == "cy"
    assert catalogue.num_plurals == 4
    assert not catalogue.fuzzy
    assert "Welsh-speaking reviewer" in (CATALOGUE.read_text(encoding="utf-8").split("msgid")[0])


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    catalogue = read_catalogue(CATALOGUE)
    problems = []
    for message in entries(catalogue):
        _english, welsh = forms(message)
        if message.fuzzy:
            problems.append(f"fuzzy: {label(message)}")
        if len(welsh) != (catalogue.num_plurals if message.pluralizable else 1) or not all(
            text.strip() for text in welsh
        ):
            problems.append(f"not translated: {label(message)}")
    assert problems == []
    assert len(entries(catalogue)) > 1000


def test_every_translation_keeps_the_placeholders_numbers_and_html() -> None:
    problems = []
    for message in entries(read_catalogue(CATALOGUE)):
        english, welsh = forms(message)
        placeholders = {p for text in english for p in PLACEHOLDER.findall(text)}
        for text in welsh:
            if set(PLACEHOLDER.findall(text)) != placeholders:
                problems.append(f"placeholders differ: {label(message)}")
            if Counter(TAG.findall(text)) != Counter(TAG.findall(english[0])):
                problems.append(f"HTML differs: {label(message)}")
            # Phone numbers (999, 101, 0808 802 0300), ages, limits: all kept as written.
            lost = Counter(NUMBER.findall(PLACEHOLDER.sub("", english[0]))) - Counter(
                NUMBER.findall(PLACEHOLDER.sub("", text))
            )
            if lost:
                problems.append(f"numbers lost {sorted(lost)}: {label(message)}")
    assert problems == []


def test_the_checks_catch_a_lost_placeholder_and_a_lost_number() -> None:
    assert set(PLACEHOLDER.findall("Closes at %(time)s, 100%% sure")) == {"%(time)s", "%%"}
    assert set(PLACEHOLDER.findall("Yn cau am, 100%% yn siŵr")) == {"%%"}
    assert NUMBER.findall("Call 999 or 0808 802 0300") == ["999", "0808", "802", "0300"]


def test_the_catalogue_has_every_translatable_string_in_the_code(tmp_path: Path) -> None:
    """Extract the strings again (as `make translations` does, in a copy of the code) and merge
    them into a copy of the catalogue: anything new arrives untranslated, anything removed from
    the code is left over as obsolete."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext is not installed (.ci/run installs it)")
    copy = tmp_path / "vigil"
    copy.mkdir()
    for name in ("manage.py", "vigil", "templates", "locale"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source,
                copy / name,
                ignore=shutil.ignore_patterns("dist", "__pycache__", "*.mo"),
            )
        else:
            shutil.copy2(source, copy / name)
    command = [sys.executable, "manage.py", "makemessages", "-l", "cy", "--add-location", "file"]
    env = {**os.environ, "VIGIL_ENV": "test", "VIGIL_VAR_DIR": str(tmp_path / "var")}
    subprocess.run(command, cwd=copy, env=env, check=True, capture_output=True)

    merged = read_catalogue(copy / "locale" / "cy" / "LC_MESSAGES" / "django.po")
    missing = [
        label(message)
        for message in entries(merged)
        if message.fuzzy or not all(text.strip() for text in forms(message)[1])
    ]
    obsolete = [label(message) for message in merged.obsolete.values()]
    assert (missing, obsolete) == ([], []), "run `make translations` and translate what it adds"

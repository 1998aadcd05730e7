"""The systemd units in deploy/: valid for systemd, and naming only commands that exist."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

DEPLOY = Path(settings.BASE_DIR) / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("vigil-*"))
PREFIX = "/opt/vigil"


def parse(unit: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(unit)
    return parser


def test_there_is_a_web_server_a_worker_and_every_scheduled_job() -> None:
    names = {unit.name for unit in UNITS}
    assert {"vigil-web.service", "vigil-worker@.service"} <= names
    for job in (
        "outbox-sweep",
        "safety-sweep",
        "purge-drafts",
        "audit-verify",
        "backup",
        "private-record-sweep",
        "retention-sweep",
        "sharing-sweep",
        "safeguarding-sweep",
        "cases-sweep",
        "offenders-sweep",
    ):
        assert {f"vigil-{job}.service", f"vigil-{job}.timer"} <= names


def test_every_manage_py_command_named_exists() -> None:
    commands = get_commands()
    for unit in UNITS:
        service = parse(unit)
        if not service.has_section("Service"):
            continue
        words = shlex.split(service.get("Service", "ExecStart"))
        if "manage.py" in words:
            name = words[words.index("manage.py") + 1]
            assert name in commands, f"{unit.name} runs manage.py {name}, which does not exist"
    script = (DEPLOY / "backup-offsite").read_text()
    assert "manage.py backup" in script and "restore" in script and "--check" in script


def test_jobs_that_fail_raise_the_alert() -> None:
    for unit in UNITS:
        if unit.suffix == ".service" and unit.name not in {
            "vigil-web.service",
            "vigil-worker@.service",
            "vigil-alert@.service",
        }:
            assert parse(unit).get("Unit", "OnFailure").startswith("vigil-alert@")


def test_the_backup_script_is_valid_shell() -> None:
    shell = shutil.which("sh")
    assert shell is not None
    subprocess.run([shell, "-n", str(DEPLOY / "backup-offsite")], check=True)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not here")
def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    """Installed under a scratch prefix (verify insists that every ExecStart exists)."""
    root = tmp_path / "vigil"
    for executable in (".venv/bin/python", ".venv/bin/gunicorn", "deploy/backup-offsite"):
        path = root / executable
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)
    units = tmp_path / "units"
    units.mkdir()
    for unit in UNITS:
        (units / unit.name).write_text(unit.read_text().replace(PREFIX, str(root)))
    result = subprocess.run(
        [str(shutil.which("systemd-analyze")), "verify", *sorted(str(p) for p in units.iterdir())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr

"""Issue 14, finding 8: under `make run`, /static/../settings.py answered 500 (Django's
development static handler) and CSS and JS went uncompressed. `make run` now serves static
files as production does: collected, compressed, by WhiteNoise."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

TRAVERSALS = [
    "/static/../settings.py",
    "/static/..%2fsettings.py",
    "/static/%2e%2e/vigil/settings.py",
    "/static/dist/../../settings.py",
    "/static/dist/..%5c..%5csettings.py",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """runserver as scripts/run-dev starts it, after the same collectstatic."""
    if not (Path(settings.BASE_DIR) / "vigil" / "static" / "dist" / "vigil.css").exists():
        pytest.skip("the front end is not built (npm run build)")
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIGIL_", "DATABASE_URL"))}
    env.update(
        VIGIL_ENV="development",
        VIGIL_DEBUG="1",
        VIGIL_VAR_DIR=str(var),
        VIGIL_STATIC_AS_PRODUCTION="1",
        DATABASE_URL=f"sqlite:///{var / 'db.sqlite3'}",
    )
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                _get(port, "/static/dist/vigil.css")
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize("path", TRAVERSALS)
def test_a_path_outside_the_static_files_is_not_found(served: int, path: str) -> None:
    assert _get(served, path).status == 404


def test_css_and_javascript_are_served_compressed(served: int) -> None:
    for path in ("/static/dist/vigil.css", "/static/dist/govuk-frontend.min.js"):
        response = _get(served, path, **{"Accept-Encoding": "br, gzip"})
        assert response.status == 200
        assert response.getheader("Content-Encoding") in {"br", "gzip"}, path


def test_a_browser_that_cannot_decompress_still_gets_the_file(served: int) -> None:
    response = _get(served, "/static/dist/vigil.css")
    assert response.status == 200
    assert response.getheader("Content-Encoding") is None

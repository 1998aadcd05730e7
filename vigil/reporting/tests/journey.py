"""Fill in the report page by page with Django's test client, as a person would."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

from django.test import Client

ANSWERS: list[tuple[str, dict[str, Any]]] = [
    ("who", {"reporter_type": "victim"}),
    ("danger", {"immediate_danger": "no"}),
    (
        "victim-name",
        {
            "name": "Alice Example",
            "date_of_birth_0": "3",
            "date_of_birth_1": "4",
            "date_of_birth_2": "1990",
        },
    ),
    ("victim-contact", {"email": "alice@example.org", "phone": "07700 900123"}),
    ("victim-address", {"line_1": "1 High Street", "town": "Exampleton", "postcode": "EX1 1AA"}),
    ("equality", {}),
    ("contact-channels", {"channels": ["email", "phone"]}),
    (
        "contact-safety",
        {
            "safe_times": "weekdays 9 to 3",
            "voicemail_ok": "no",
            "can_say_police": "no",
            "safe_word": "bluebell",
            "others_may_read": "no",
        },
    ),
]
SUSPECT = {
    "relationship": "ex_partner",
    "names": "Mallory Example",
    "phones": "07700 900999",
    "social": "Instagram: @mallory",
}
AFTER_SUSPECTS: list[tuple[str, dict[str, Any]]] = [
    ("behaviours", {"behaviours": ["following", "calls_messages"]}),
    (
        "when",
        {
            "started_on_0": "1",
            "started_on_1": "6",
            "started_on_2": "2026",
            "most_recent_on_0": "20",
            "most_recent_on_1": "11",
            "most_recent_on_2": "2026",
            "frequency": "daily",
        },
    ),
]
INCIDENT = {
    "date_0": "20",
    "date_1": "11",
    "date_2": "2026",
    "time": "18:30",
    "place": "Outside work",
    "what_happened": "He waited by my car and followed me home.",
}
AFTER_INCIDENTS: list[tuple[str, dict[str, Any]]] = [
    ("impact", {"impact": "I cannot sleep.", "changes_made": "I changed my route to work."}),
]


def png_bytes() -> bytes:
    """A real, tiny PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def named(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def post(client: Client, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
    response = client.post(url, data, **kwargs)
    assert response.status_code == 302, (url, response.status_code, response.content[:3000])
    return response


def fill_until_check(client: Client, *, files: list[io.BytesIO] | None = None) -> None:
    post(client, "/report/", {"action": "start"})
    for slug, data in ANSWERS:
        post(client, f"/report/{slug}/", data)
    post(client, "/report/suspects/0/", SUSPECT)
    post(client, "/report/suspects/", {"add_another": "no"})
    for slug, data in AFTER_SUSPECTS:
        post(client, f"/report/{slug}/", data)
    post(client, "/report/incidents/0/", INCIDENT)
    post(client, "/report/incidents/", {"add_another": "no"})
    for slug, data in AFTER_INCIDENTS:
        post(client, f"/report/{slug}/", data)
    for handle in files or []:
        post(client, "/report/evidence/", {"action": "upload", "files": handle})
    post(client, "/report/evidence/", {"action": "continue"})
    post(client, "/report/anything-else/", {"anything_else": ""})


def current_draft(client: Client) -> Any:
    """The report in progress this browser holds (by its draft cookie)."""
    from django.test import RequestFactory

    from vigil.reporting.drafts import draft_id_from_cookie
    from vigil.reporting.models import ReportDraft

    request = RequestFactory().get("/report/")
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    return ReportDraft.objects.get(pk=draft_id_from_cookie(request))


def submission_key(client: Client) -> str:
    return str(current_draft(client).submission_key)


def send(client: Client) -> Any:
    return client.post(
        "/report/send/", {"confirm": "on", "submission_key": submission_key(client), "website": ""}
    )

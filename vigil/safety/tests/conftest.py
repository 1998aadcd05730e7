"""Personas for the safety tools: Alice reported and is signed in to "track my report"; her
friend Bob agreed to be her trusted contact; Charlie was added but never agreed."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from vigil.cases.tests.factories import make_report
from vigil.reporting.models import Report
from vigil.reporting.tracking import TRACK_KEY
from vigil.safety import services
from vigil.safety.models import TrustedContact


@pytest.fixture
def report(db: None) -> Report:
    return make_report()


def signed_in(report: Report) -> Client:
    client = Client()
    session = client.session
    session[TRACK_KEY] = {"report": str(report.pk), "seen": time.time()}
    session.save()
    return client


@pytest.fixture
def alice(report: Report) -> Client:
    return signed_in(report)


def add_contact(
    report: Report, *, name: str = "Bob", email: str = "bob@example.org", confirm: bool = True
) -> TrustedContact:
    contact = services.contact_add(
        report=report,
        name=name,
        email=email,
        phone="",
        known_as="Alice",
        site_url="http://testserver/",
    )
    if confirm:
        contact.confirmed_at = contact.created_at
        contact.save(update_fields=["confirmed_at"])
    return contact

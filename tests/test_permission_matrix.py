"""The permission matrix: every URL pattern, every role, the status each must get.

HOW TO ADD A URL (a new URL without a row fails `test_every_url_pattern_has_a_row`):
1. Add one row to MATRIX below (or, for an app with many URLs, to its own file in
   tests/permission_rows/, which says how): the URL name, which objects fill its arguments (a key of
   ARGUMENTS, or "" for none), the method, and one status per role column for an object IN the
   role's scope; for URLs that take an object, a second line for an object OUT of scope.
2. Read the column headers: anon = not signed in; handler = the call handler who made the case;
   ivy = the investigator in charge; oscar = an investigator of another team; om = an offender
   manager of another team; coord, super = coordinator and supervisor; partner = a caseworker of
   the agency the case is referred to (accepted); partnerB = one of another agency; dpo; admin.
3. Out of scope is 404, never 403: a user must not learn that an object exists.
4. If its arguments need a new kind of object, add it to `world` and to ARGUMENTS.
5. POST-only URLs: the row is a GET (405 for whoever passes the sign-in check), and a second row
   with method "post": "act" for each role that may act, which POSTs the row's `data` (the least
   the view needs, e.g. data={"status": "done"}) and must get past authorisation (not 403, 404,
   405 or 500: a form shown again with its errors, or a redirect, is fine); every other role gets
   404 and changes nothing. Each POST is undone afterwards, so one role acting does not change
   the world for the next.
Admin URLs are many and generated, so they are one row each by pattern ("admin:*_changelist");
a model's pages are walked with a stored object of that model (ADMIN_OBJECT) and a missing one.

Run with VIGIL_MATRIX_PRINT=1 to print the statuses the code gives today, in the table's shape,
and VIGIL_MATRIX_ONLY="linking:*" to walk only the rows whose name matches.
"""

from __future__ import annotations

import fnmatch
import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import sign_in_verified
from tests.permission_rows import Arguments, Row, contributions, row
from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import AgencyFactory, TeamFactory
from vigil.audit.models import AuditEvent
from vigil.cases import services
from vigil.cases.models import CaseAction, PhoneReport, VictimsCodeDuty
from vigil.cases.tests.factories import make_case, make_report, suspect_of, victim_of
from vigil.linking.models import Alert, AlertKind, LinkDecision, PersonRecord, Verdict
from vigil.notifications.models import OutboxMessage, OutboxStatus
from vigil.risk.models import RiskAssessment, RiskTool
from vigil.sharing.tests.factories import refer_and_accept

# The admin's pages for one object take it from the URL's own route: see `_admin_object`.
ADMIN_OBJECT = "admin_object"
# A POST row's status for a role that may act: it must get past authorisation (see `_post`).
ACTS = "act"

COLUMNS = [
    "anon",
    "handler",
    "ivy",
    "oscar",
    "om",
    "coord",
    "super",
    "partner",
    "partnerB",
    "dpo",
    "admin",
]


# fmt: off
MATRIX: list[Row] = [
    #   URL name, arguments,                 anon handler ivy oscar om coord super partner partnerB dpo admin  # noqa: E501
    # --- the admin: administrators only, configuration data only (vigil/accounts/adminsite.py) ---
    # A model's pages: "in" is a stored object of the page's model, "out" an id naming nothing.
    row("admin:index", "",                    "302 302 302 302 302 302 302 302 302 302 200"),
    row("admin:login", "",                    "302 200 200 200 200 200 200 200 200 200 302"),
    row("admin:logout", "",                   "302 302 302 302 302 302 302 302 302 302 405"),
    row("admin:password_change", "",          "302 302 302 302 302 302 302 302 302 302 200"),
    row("admin:password_change_done", "",     "302 302 302 302 302 302 302 302 302 302 200"),
    row("admin:autocomplete", "",             "302 302 302 302 302 302 302 302 302 302 403"),
    row("admin:jsi18n", "",                   "302 302 302 302 302 302 302 302 302 302 200"),
    row("admin:view_on_site", "view_on_site", "302 302 302 302 302 302 302 302 302 302 404"),
    row("admin:app_list", "app_label",        "302 302 302 302 302 302 302 302 302 302 200"),
    row("admin:*_changelist", "",             "302 302 302 302 302 302 302 302 302 302 200"),
    row("admin:*_add", "",                    "302 302 302 302 302 302 302 302 302 302 200"),
    row("admin:*_history", ADMIN_OBJECT,      "302 302 302 302 302 302 302 302 302 302 200",
                                              "302 302 302 302 302 302 302 302 302 302 302"),
    # An API client is revoked, never deleted: the audit log refers to it.
    row("admin:api_apiclient_delete", ADMIN_OBJECT,
                                              "302 302 302 302 302 302 302 302 302 302 403",
                                              "302 302 302 302 302 302 302 302 302 302 403"),
    row("admin:*_delete", ADMIN_OBJECT,       "302 302 302 302 302 302 302 302 302 302 200",
                                              "302 302 302 302 302 302 302 302 302 302 302"),
    row("admin:*_change", ADMIN_OBJECT,       "302 302 302 302 302 302 302 302 302 302 200",
                                              "302 302 302 302 302 302 302 302 302 302 302"),
    row("admin:auth_user_password_change", ADMIN_OBJECT,
                                              "302 302 302 302 302 302 302 302 302 302 200",
                                              "302 302 302 302 302 302 302 302 302 302 404"),
    # An object's bare address sends to its change page; anything else under the admin is 404.
    row("admin:(unnamed) staff/admin/*/<path:object_id>/", ADMIN_OBJECT,
                                              "302 302 302 302 302 302 302 302 302 302 302",
                                              "302 302 302 302 302 302 302 302 302 302 302"),
    row("admin:(unnamed) staff/admin/(?P<url>.*)$", "admin_nothing",
                                              "302 302 302 302 302 302 302 302 302 302 404"),
    # --- staff: notifications ---
    row("notifications:failed", "",           "302 404 404 404 404 200 200 404 404 404 200"),
    row("notifications:retry", "message",     "302 405 405 405 405 405 405 405 405 405 405"),
    # --- staff: cases ---
    row("cases:list", "",                     "302 200 200 200 200 200 200 404 404 404 404"),
    row("cases:intake", "",                   "302 200 404 404 404 200 200 404 404 404 404"),
    row("cases:phone_report_new", "",         "302 200 404 404 404 200 200 404 404 404 404"),
    row("cases:triage_online", "untriaged",   "302 200 404 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 302 302 404 404 404 404"),
    row("cases:triage_phone", "phone",        "302 200 404 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 404 404 404 404 404 404"),
    row("cases:overdue", "",                  "302 404 200 200 200 200 200 404 404 404 404"),
    row("cases:audit_log", "",                "302 404 404 404 404 404 404 404 404 200 404"),
    row("cases:detail", "case",               "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("cases:timeline", "case",             "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("cases:incident_new", "case",         "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("cases:conduct_decision", "case+conduct", "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("cases:person_new", "case+role",      "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("cases:safe_contact", "case+victim",  "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("cases:evidence", "case",             "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("cases:classify", "case",             "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("cases:assign", "case",               "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("cases:close", "case",                "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("cases:reopen", "case",               "302 302 302 404 404 302 302 404 404 404 404",
                                              "302 404 404 404 404 302 302 404 404 404 404"),
    row("cases:actions", "case",              "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("cases:action_status", "case+action", "302 405 405 405 405 405 405 405 405 405 405",
                                              "302 405 405 405 405 405 405 405 405 405 405"),
    row("cases:contact", "case",              "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("cases:duties", "case",               "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("cases:duty_done", "case+duty",       "302 405 405 405 405 405 405 405 405 405 405",
                                              "302 405 405 405 405 405 405 405 405 405 405"),
    row("cases:enhanced_rights", "case",      "302 405 405 405 405 405 405 405 405 405 405",
                                              "302 405 405 405 405 405 405 405 405 405 405"),
    row("cases:notes", "case",                "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("cases:sharing", "case",              "302 302 302 404 404 302 302 404 404 404 404",
                                              "302 404 404 404 404 302 302 404 404 404 404"),
    row("cases:case_file", "case",            "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    # --- staff: linking ---
    row("linking:home", "",                   "302 404 200 200 200 200 200 404 404 404 404"),
    row("linking:record", "record",           "302 404 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("linking:decide", "record",           "302 405 405 405 405 405 405 405 405 405 405",
                                              "302 405 405 405 405 405 405 405 405 405 405"),
    row("linking:decisions", "",              "302 404 200 200 200 200 200 404 404 404 404"),
    row("linking:undo", "decision",           "302 405 405 405 405 405 405 405 405 405 405",
                                              "302 405 405 405 405 405 405 405 405 405 405"),
    row("linking:alert", "alert",             "302 404 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("linking:alert_acknowledge", "alert", "302 405 405 405 405 405 405 405 405 405 405",
                                              "302 405 405 405 405 405 405 405 405 405 405"),
    # --- staff: feedback ---
    row("feedback:list", "",                  "302 404 404 404 404 200 200 404 404 404 200"),
    row("feedback:export", "",                "302 404 404 404 404 200 200 404 404 404 200"),
    # --- staff: online reports ---
    row("reporting_staff:list", "",           "302 200 200 200 404 200 200 404 404 404 404"),
    row("reporting_staff:detail", "report",   "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("reporting_staff:evidence", "report+file", "302 404 404 404 404 404 404 404 404 404 404",
                                              "302 404 404 404 404 404 404 404 404 404 404"),
    # --- staff: risk ---
    row("risk:case", "case",                  "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("risk:new", "case+tool",              "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("risk:assessment", "assessment",      "302 200 200 404 404 200 200 404 404 404 404",
                                              "302 404 404 404 404 200 200 404 404 404 404"),
    row("risk:high_risk_overdue", "",         "302 404 404 404 404 200 200 404 404 404 404"),
    row("risk:judgement_queue", "",           "302 404 404 404 404 404 200 404 404 404 404"),
    row("risk:judgement_review", "judgement", "302 404 404 404 404 404 404 404 404 404 404"),
    row("cases:attention_seen", "attention",  "302 405 405 405 405 405 405 405 405 405 405"),
    # --- staff: accounts and sign-in ---
    row("accounts:home", "",                  "302 200 200 200 200 200 200 200 200 200 200"),
    row("accounts:login", "",                 "200 302 302 302 302 302 302 302 302 302 302"),
    row("accounts:verify", "",                "302 302 302 302 302 302 302 302 302 302 302"),
    row("accounts:setup", "",                 "302 302 302 302 302 302 302 302 302 302 302"),
    row("accounts:logout", "",                "405 405 405 405 405 405 405 405 405 405 405"),
    row("accounts:logout_everywhere", "",     "302 405 405 405 405 405 405 405 405 405 405"),
    row("accounts:keepalive", "",             "302 405 405 405 405 405 405 405 405 405 405"),
    row("accounts:account", "",               "302 200 200 200 200 200 200 200 200 200 200"),
    # --- public: reporting and tracking ---
    row("reporting:start", "",                "200 200 200 200 200 200 200 200 200 200 200"),
    row("reporting:call_999", "",             "302 302 302 302 302 302 302 302 302 302 302"),
    row("reporting:evidence", "",             "302 302 302 302 302 302 302 302 302 302 302"),
    row("reporting:evidence_remove", "no_file", "405 405 405 405 405 405 405 405 405 405 405"),
    row("reporting:check", "",                "302 302 302 302 302 302 302 302 302 302 302"),
    row("reporting:declaration", "",          "302 302 302 302 302 302 302 302 302 302 302"),
    row("reporting:sent", "",                 "302 302 302 302 302 302 302 302 302 302 302"),
    row("reporting:track", "",                "200 200 200 200 200 200 200 200 200 200 200"),
    row("reporting:track_report", "",         "302 302 302 302 302 302 302 302 302 302 302"),
    row("reporting:track_evidence", "",       "302 302 302 302 302 302 302 302 302 302 302"),
    row("reporting:track_incident", "",       "302 302 302 302 302 302 302 302 302 302 302"),
    row("reporting:track_contact", "",        "302 302 302 302 302 302 302 302 302 302 302"),
    row("reporting:track_withdraw", "",       "302 302 302 302 302 302 302 302 302 302 302"),
    row("reporting:track_sign_out", "",       "405 405 405 405 405 405 405 405 405 405 405"),
    row("reporting:track_link_request", "",   "200 200 200 200 200 200 200 200 200 200 200"),
    row("reporting:track_link_asked", "",     "200 200 200 200 200 200 200 200 200 200 200"),
    row("reporting:track_link", "token",      "200 200 200 200 200 200 200 200 200 200 200"),
    row("reporting:collection", "collection", "302 302 302 302 302 302 302 302 302 302 302"),
    row("reporting:item", "item",             "302 302 302 302 302 302 302 302 302 302 302"),
    row("reporting:item_remove", "item",      "405 405 405 405 405 405 405 405 405 405 405"),
    row("reporting:step", "step",             "302 302 302 302 302 302 302 302 302 302 302"),
    # --- public: safety tools (need a tracking sign-in) ---
    row("safety:hub", "",                     "302 302 302 302 302 302 302 302 302 302 302"),
    row("safety:contacts", "",                "302 302 302 302 302 302 302 302 302 302 302"),
    row("safety:contact_add", "",             "302 302 302 302 302 302 302 302 302 302 302"),
    row("safety:contact_remove", "no_contact", "302 302 302 302 302 302 302 302 302 302 302"),
    row("safety:contact_confirm", "token",    "404 404 404 404 404 404 404 404 404 404 404"),
    row("safety:timer", "",                   "302 302 302 302 302 302 302 302 302 302 302"),
    row("safety:timer_stop", "",              "405 405 405 405 405 405 405 405 405 405 405"),
    row("safety:location", "",                "405 405 405 405 405 405 405 405 405 405 405"),
    row("safety:alert_now", "",               "302 302 302 302 302 302 302 302 302 302 302"),
    row("safety:diary", "",                   "302 302 302 302 302 302 302 302 302 302 302"),
    row("safety:diary_new", "",               "302 302 302 302 302 302 302 302 302 302 302"),
    row("safety:diary_export", "",            "302 302 302 302 302 302 302 302 302 302 302"),
    row("safety:diary_entry", "no_entry", "302 302 302 302 302 302 302 302 302 302 302"),
    row("safety:diary_share", "no_entry", "302 302 302 302 302 302 302 302 302 302 302"),
    row("safety:diary_delete", "no_entry", "302 302 302 302 302 302 302 302 302 302 302"),
    row("public_site:robots_txt", "",         "200 200 200 200 200 200 200 200 200 200 200"),
    row("public_site:sitemap", "",            "200 200 200 200 200 200 200 200 200 200 200"),
    row("reporting:resume", "",               "200 200 200 200 200 200 200 200 200 200 200"),
    row("reporting:save", "",                 "302 302 302 302 302 302 302 302 302 302 302"),
    row("safety:diary_edit", "no_entry",      "302 302 302 302 302 302 302 302 302 302 302"),
    row("safety:diary_file", "no_entry+file", "302 302 302 302 302 302 302 302 302 302 302"),
    # No place given: nothing to show.
    row("safety:place", "",                   "404 404 404 404 404 404 404 404 404 404 404"),
    row("safety:timer_status", "",            "302 302 302 302 302 302 302 302 302 302 302"),
    row("safety:timer_stop_link", "token",    "200 200 200 200 200 200 200 200 200 200 200"),
    # --- the API: a token, never a staff session (its own matrix: vigil/api/tests) ---
    row("api:docs", "",                       "200 200 200 200 200 200 200 200 200 200 200"),
    row("api:api-v1:openapi-json", "",        "200 200 200 200 200 200 200 200 200 200 200"),
    row("api:api-v1:api-root", "",            "404 404 404 404 404 404 404 404 404 404 404"),
    row("api:api-v1:case_list", "",           "401 401 401 401 401 401 401 401 401 401 401"),
    # POST only.
    row("api:api-v1:report_create", "",       "405 405 405 405 405 405 405 405 405 405 405"),
    row("api:api-v1:case_*", "api_case",
        "401 401 401 401 401 401 401 401 401 401 401",
        "401 401 401 401 401 401 401 401 401 401 401"),
    row("api:api-v1:link_candidates", "api_case",
        "401 401 401 401 401 401 401 401 401 401 401",
        "401 401 401 401 401 401 401 401 401 401 401"),
    row("api:api-v1:message_*", "api_case",
        "401 401 401 401 401 401 401 401 401 401 401",
        "401 401 401 401 401 401 401 401 401 401 401"),
    row("api:api-v1:action_*", "api_case+action",
        "401 401 401 401 401 401 401 401 401 401 401",
        "401 401 401 401 401 401 401 401 401 401 401"),
    # --- public: information pages ---
    row("public_site:home", "",               "200 200 200 200 200 200 200 200 200 200 200"),
    row("public_site:exit", "",               "302 302 302 302 302 302 302 302 302 302 302"),
    row("public_site:healthz", "",            "200 200 200 200 200 200 200 200 200 200 200"),
    row("public_site:self_check", "",         "200 200 200 200 200 200 200 200 200 200 200"),
    row("public_site:get_help", "",           "200 200 200 200 200 200 200 200 200 200 200"),
    row("public_site:cookies", "",            "200 200 200 200 200 200 200 200 200 200 200"),
    row("public_site:feedback", "",           "200 200 200 200 200 200 200 200 200 200 200"),
    row("public_site:feedback_sent", "",      "200 200 200 200 200 200 200 200 200 200 200"),
    row("public_site:language", "",           "405 405 405 405 405 405 405 405 405 405 405"),
    row("public_site:page", "page",           "200 200 200 200 200 200 200 200 200 200 200"),
    # --- POST-only staff URLs: "act" where the role may act (it POSTs `data`, and must get past
    # authorisation); 404 elsewhere, with nothing changed (feature tests cover what acting does) ---
    row("cases:action_status", "case+action",  "302 act act 404 404 act act 404 404 404 404",
                                               "302 404 404 404 404 act act 404 404 404 404",
        "post", data={"status": "done"}),
    row("cases:duty_done", "case+duty",        "302 act act 404 404 act act 404 404 404 404",
                                               "302 404 404 404 404 act act 404 404 404 404",
        "post"),
    row("cases:enhanced_rights", "case",       "302 act act 404 404 act act 404 404 404 404",
                                               "302 404 404 404 404 act act 404 404 404 404",
        "post"),
    row("linking:decide", "record",            "302 404 act 404 404 act act 404 404 404 404",
                                               "302 404 404 404 404 act act 404 404 404 404",
        "post"),
    row("linking:undo", "decision",            "302 404 act 404 404 act act 404 404 404 404",
                                               "302 404 404 404 404 act act 404 404 404 404",
        "post"),
    row("linking:alert_acknowledge", "alert",  "302 404 404 404 404 act act 404 404 404 404",
                                               "302 404 404 404 404 act act 404 404 404 404",
        "post"),
    # The outbox is no one's case: who may send a failed message again is a matter of role.
    row("notifications:retry", "message",      "302 404 404 404 404 act act 404 404 404 act",
        method="post"),
    # Nobody's "needs attention" list holds this item.
    row("cases:attention_seen", "attention",   "302 404 404 404 404 404 404 404 404 404 404",
        method="post"),
    row("accounts:logout", "",                 "302 act act act act act act act act act act",
        method="post"),
    row("accounts:logout_everywhere", "",      "302 act act act act act act act act act act",
        method="post"),
    row("accounts:keepalive", "",              "302 act act act act act act act act act act",
        method="post"),
    # --- POST-only public URLs: a browser's own session; with none, back to where it starts ---
    row("reporting:evidence_remove", "no_file", "302 302 302 302 302 302 302 302 302 302 302",
        method="post"),
    row("reporting:track_sign_out", "",        "302 302 302 302 302 302 302 302 302 302 302",
        method="post"),
    row("reporting:item_remove", "item",       "302 302 302 302 302 302 302 302 302 302 302",
        method="post"),
    row("safety:timer_stop", "",               "302 302 302 302 302 302 302 302 302 302 302",
        method="post"),
    row("safety:location", "",                 "302 302 302 302 302 302 302 302 302 302 302",
        method="post"),
    row("safety:diary_undo", "undo_entry",     "302 302 302 302 302 302 302 302 302 302 302",
        method="post"),
    row("safety:contact_undo", "undo_contact", "302 302 302 302 302 302 302 302 302 302 302",
        method="post"),
    row("public_site:language", "",            "302 302 302 302 302 302 302 302 302 302 302",
        method="post", data={"language": "cy"}),
    row("private_record:sign_out", "",         "302 302 302 302 302 302 302 302 302 302 302",
        method="post"),
    row("private_record:keep", "",             "302 302 302 302 302 302 302 302 302 302 302",
        method="post"),
    row("private_record:to_report", "",        "302 302 302 302 302 302 302 302 302 302 302",
        method="post"),
    row("private_record:unshare", "match_member", "302 302 302 302 302 302 302 302 302 302 302",
        method="post"),
]
# fmt: on


# --- the world every row is checked against ---------------------------------------------------


@pytest.fixture
def world(make_staff: Callable[..., User]) -> dict[str, Any]:
    """Alice's case: taken by the call handler, Ivy in charge, referred to the partner's agency.
    Bea's case: taken by another call handler, nobody's team, shared with nobody."""
    ppu = TeamFactory(name="Public Protection Unit")
    other_team = TeamFactory(name="Other Team")
    users = {
        "handler": make_staff(Role.CALL_HANDLER),
        "ivy": make_staff(Role.INVESTIGATOR, team=ppu),
        "oscar": make_staff(Role.INVESTIGATOR, team=other_team),
        "om": make_staff(Role.OFFENDER_MANAGER, team=other_team),
        "coord": make_staff(Role.COORDINATOR),
        "super": make_staff(Role.SUPERVISOR),
        "partner": make_staff(Role.PARTNER),
        "partnerB": make_staff(
            Role.PARTNER, agency=AgencyFactory(name="Other Advocacy", kind="partner")
        ),
        "dpo": make_staff(Role.DPO),
        "admin": make_staff(Role.ADMINISTRATOR, is_staff=True),
    }
    w: dict[str, Any] = {"users": users}
    for key, by, officer in (
        ("in", users["handler"], users["ivy"]),
        ("out", make_staff(Role.CALL_HANDLER), None),
    ):
        case = make_case(by=by, officer=officer)
        services.incident_add(
            case=case,
            occurred_at=case.opened_at,
            summary="Second time",
            source="victim",
            victim=victim_of(case),
            suspect=suspect_of(case),
            by=officer or by,
        )
        report = case.triages.get().report
        assert report is not None
        record = PersonRecord.objects.filter(owner=f"reporting.report:{report.pk}").first()
        assert record is not None
        w[key] = {
            "case": case,
            "victim": victim_of(case),
            "suspect": suspect_of(case),
            "action": CaseAction.objects.create(case=case, title="CCTV", created_by=by),
            "duty": VictimsCodeDuty.objects.filter(case=case).first(),
            "report": report,
            "evidence": uuid.uuid4(),
            "record": record,
            "assessment": _assessment(case, officer or users["coord"]),
        }
    refer_and_accept(
        case=w["in"]["case"],
        agency=users["partner"].agency,  # type: ignore[arg-type]
        by=users["ivy"],
        partner=users["partner"],
    )
    for key in ("in", "out"):
        w[key]["decision"] = _decision(w[key]["record"], users["coord"])
        w[key]["alert"] = Alert.objects.create(
            kind=AlertKind.SERIAL_PERPETRATOR,
            person=w[key]["record"].person,
            victim_set=key,
            victim_count=2,
        )
    w["untriaged"] = make_report()
    w["phone"] = PhoneReport.objects.create(
        reference="PH-MATRIX1", taken_by=users["handler"], summary="Calls every night."
    )
    # A message that could not be sent, for the outbox managers to send again.
    w["message"] = OutboxMessage.objects.create(
        channel="email",
        recipient="officer@test.police.uk",
        body="Matrix",
        idempotency_key="matrix.failed",
        purpose="staff.matrix",
        status=OutboxStatus.FAILED,
    ).pk
    _configuration(w)
    for extend in WORLD_EXTENSIONS:
        extend(w)
    return w


def _configuration(w: dict[str, Any]) -> None:
    """Configuration data the admin's pages show that migrations do not load."""
    from vigil.api.services import api_client_create
    from vigil.cases.models import DutySupervisor
    from vigil.insights.models import Area
    from vigil.sharing.models import AgencyType, PartnerAgency

    DutySupervisor.objects.create(user=w["users"]["super"])
    Area.objects.create(name="Matrix North").teams.add(w["users"]["ivy"].team)
    PartnerAgency.objects.get_or_create(
        agency=w["users"]["partner"].agency,
        defaults={"agency_type": AgencyType.objects.order_by("pk").first()},
    )
    api_client_create(
        name="Matrix partner system",
        kind="partner_system",
        agency=w["users"]["partner"].agency,
        operations=["cases:read"],
        by=w["users"]["admin"],
    )


def _assessment(case: Any, officer: User) -> uuid.UUID:
    from vigil.risk.tests.test_assessments import all_answers

    tool = RiskTool.objects.get(code="sdash")
    from vigil.risk.services import risk_assessment_submit

    assessment: RiskAssessment = risk_assessment_submit(
        case=case,
        tool=tool,
        answers=all_answers(tool),
        level="standard",
        reasons="None of the questions answered yes.",
        by=officer,
    )
    return assessment.pk


def _decision(record: PersonRecord, by: User) -> uuid.UUID:
    from vigil.linking.services import person_record_upsert

    other = person_record_upsert(
        source=f"{record.owner}#matrix",
        owner=record.owner,
        names=["Matrix Other"],
        by=by,
    )
    decision = LinkDecision.objects.create(
        record_a=record, record_b=other, verdict=Verdict.REJECTED, decided_by=by
    )
    return decision.pk


def _case(w: dict[str, Any], side: str, **more: str) -> dict[str, Any]:
    """The case's id, and the ids of the case's own objects named in `more` (kwarg=object)."""
    kwargs: dict[str, Any] = {"case_id": w[side]["case"].pk}
    for kwarg, key in more.items():
        found = w[side][key]
        kwargs[kwarg] = getattr(found, "pk", found)
    return kwargs


def _pk(key: str, kwarg: str) -> Callable[[dict[str, Any], str], dict[str, Any]]:
    def build(w: dict[str, Any], side: str) -> dict[str, Any]:
        found = w[side][key]
        return {kwarg: getattr(found, "pk", found)}

    return build


ARGUMENTS: dict[str, Arguments] = {
    "": lambda w, side: {},
    "case": lambda w, side: _case(w, side),
    "case+conduct": lambda w, side: _case(w, side, victim_id="victim", suspect_id="suspect"),
    "case+role": lambda w, side: {**_case(w, side), "role": "suspect"},
    "case+victim": lambda w, side: _case(w, side, person_id="victim"),
    "case+action": lambda w, side: _case(w, side, action_id="action"),
    "case+duty": lambda w, side: _case(w, side, duty_id="duty"),
    "case+tool": lambda w, side: {**_case(w, side), "tool_code": "sdash"},
    "report": _pk("report", "report_id"),
    "report+file": lambda w, side: {
        "report_id": w[side]["report"].pk,
        "evidence_id": w[side]["evidence"],
    },
    # Triage pages: in = a report nobody has triaged; out = a report triaged into Bea's case.
    "untriaged": lambda w, side: {
        "report_id": (w["untriaged"] if side == "in" else w["out"]["report"]).pk
    },
    "phone": lambda w, side: {"phone_report_id": w["phone"].pk if side == "in" else uuid.uuid4()},
    "record": _pk("record", "record_id"),
    "decision": _pk("decision", "decision_id"),
    "alert": _pk("alert", "alert_id"),
    "assessment": _pk("assessment", "assessment_id"),
    "message": lambda w, side: {"message_id": w["message"]},
    # Public pages: the objects belong to a browser's own session, so none is "in scope" here.
    "no_file": lambda w, side: {"evidence_id": uuid.uuid4()},
    "no_contact": lambda w, side: {"contact_id": uuid.uuid4()},
    "no_entry": lambda w, side: {"entry_id": uuid.uuid4()},
    "no_entry+file": lambda w, side: {"entry_id": uuid.uuid4(), "file_id": uuid.uuid4()},
    "attention": lambda w, side: {"item_id": uuid.uuid4()},
    "judgement": lambda w, side: {"review_id": uuid.uuid4()},
    # The API names objects by their own ids, under its own argument names.
    "api_case": lambda w, side: {"case_id": w[side]["case"].pk},
    "api_case+action": lambda w, side: {
        "case_id": w[side]["case"].pk,
        "action_id": w[side]["action"].pk,
    },
    "token": lambda w, side: {"token": "x" * 40},
    "collection": lambda w, side: {"collection": "suspects"},
    "item": lambda w, side: {"collection": "suspects", "index": "0"},
    "step": lambda w, side: {"slug": "who"},
    "page": lambda w, side: {"slug": "privacy"},
    # The admin: its generated URLs, with an object that does not exist.
    "app_label": lambda w, side: {"app_label": "accounts"},
    "view_on_site": lambda w, side: {"content_type_id": "1", "object_id": "1"},
    "admin_nothing": lambda w, side: {"url": "no-such-page/"},
}

# Rows, arguments and objects that apps keep in their own files (tests/permission_rows/).
WORLD_EXTENSIONS: list[Callable[[dict[str, Any]], None]] = []
for _module in contributions():
    MATRIX.extend(getattr(_module, "ROWS", []))
    for _key, _build in getattr(_module, "ARGUMENTS", {}).items():
        assert _key not in ARGUMENTS, f"{_module.__name__} redefines argument {_key!r}"
        ARGUMENTS[_key] = _build
    if hasattr(_module, "extend_world"):
        WORLD_EXTENSIONS.append(_module.extend_world)


# --- the checks ---------------------------------------------------------------------------------


def url_patterns() -> Iterator[tuple[str, str]]:
    """(namespaced name, route) of every URL pattern the project answers."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                # An unnamed pattern (the admin's redirects) cannot be reversed: it is named
                # by its route, and its URL is built from the route.
                yield namespace + (pattern.name or f"(unnamed) {route}"), route

    yield from walk(get_resolver().url_patterns, "", "")


def row_for(name: str, method: str = "get") -> Row | None:
    """The row that checks a URL name's `method`: its own row, else the first pattern row."""
    rows = [r for r in MATRIX if r.method == method]
    exact = [r for r in rows if r.name == name]
    if exact:
        return exact[0]
    globbed = [r for r in rows if "*" in r.name and fnmatch.fnmatchcase(name, r.name)]
    return globbed[0] if globbed else None


def test_every_url_pattern_has_a_row() -> None:
    missing = sorted(
        f"{name}  ({route})" for name, route in url_patterns() if row_for(name) is None
    )
    assert not missing, "URL patterns without a row in MATRIX:\n" + "\n".join(missing)


def test_every_row_stands_for_a_url_pattern() -> None:
    """A row left behind by a URL that went would check nothing and read as if it did."""
    names = {name for name, _route in url_patterns()}
    stale = sorted(
        {r.name for r in MATRIX if not any(fnmatch.fnmatchcase(n, r.name) for n in names)}
    )
    assert not stale, "Rows in MATRIX for no URL pattern (remove them):\n" + "\n".join(stale)


def test_every_post_only_url_has_a_post_row() -> None:
    """A URL that only takes a POST is checked by its POST row: who may act, and who gets 404."""
    post_only = [
        r.name
        for r in MATRIX
        if r.method == "get"
        and set(r.inside.split()[1:]) == {"405"}  # to every signed-in role
        and "*" not in r.name
        and not r.name.startswith("api:")  # a token's, not a session's: vigil/api/tests
    ]
    missing = sorted(name for name in post_only if row_for(name, "post") is None)
    assert not missing, "POST-only URLs without a POST row in MATRIX:\n" + "\n".join(missing)


def test_every_row_is_well_formed() -> None:
    for r in MATRIX:
        assert r.args in ARGUMENTS or r.args == ADMIN_OBJECT, r.name
        for line in filter(None, (r.inside, r.outside)):
            statuses = line.split()
            assert len(statuses) == len(COLUMNS), r.name
            # Every status is checked: a POST row says "act" where a role may act.
            allowed = {ACTS} if r.method == "post" else set()
            assert all(s.isdigit() or s in allowed for s in statuses), f"{r.name}: {line}"
        assert r.data is None or r.method == "post", f"{r.name}: data is for POST rows"


def _clients(world: dict[str, Any]) -> dict[str, Client]:
    # An error must show as the 500 a user would get, not stop the walk.
    clients = {"anon": Client(raise_request_exception=False)}
    for column, user in world["users"].items():
        clients[column] = sign_in_verified(Client(raise_request_exception=False), user)
    return clients


def _concrete(r: Row) -> list[tuple[str, str]]:
    """(name, route) of the URL patterns a row stands for: a pattern row stands for every name it
    matches that has no row of its own."""
    return sorted(
        (name, route)
        for name, route in url_patterns()
        if fnmatch.fnmatchcase(name, r.name) and row_for(name, r.method) is r
    )


def _admin_object(w: dict[str, Any], side: str, route: str) -> dict[str, Any]:
    """An admin page's object: in = a stored object of the page's model, out = an id naming none.
    The model is the route's own (staff/admin/<app>/<model>/<id>/...), so every model registered
    later is walked with no new row."""
    found = re.search(r"admin/(\w+)/(\w+)/<(?:\w+:)?(\w+)>", route)
    assert found, f"{route}: not an admin object page"
    app_label, model_name, kwarg = found.groups()
    if side == "out":
        return {kwarg: str(uuid.uuid4())}
    model = django_apps.get_model(app_label, model_name)
    stored = model._default_manager.order_by("pk").first()
    assert stored is not None, (
        f"The world holds no {model._meta.label} for the admin's pages: add one in _configuration"
    )
    return {kwarg: str(stored.pk)}


def _url(r: Row, name: str, route: str, world: dict[str, Any], side: str) -> str:
    if r.args == ADMIN_OBJECT:
        kwargs = _admin_object(world, side, route)
    else:
        kwargs = ARGUMENTS[r.args](world, side)
    if name.startswith("admin:(unnamed)"):
        # No name to reverse: fill the route's own parameters (path converters and regex groups).
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), path)
        return "/" + path.replace("^", "").rstrip("$")
    return reverse(name, kwargs=kwargs)


# Rows written only by the request itself, whatever its answer: the audit of a denied attempt
# (and the chain head it moves).
_ANSWER_ONLY = {"audit.AuditChainHead"}


def _stored_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every Vigil model, to tell that a refused POST changed nothing."""
    state: dict[str, list[tuple[Any, ...]]] = {}
    for model in django_apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("vigil.") or label in _ANSWER_ONLY:
            continue
        rows = model._base_manager.order_by("pk")
        if model is AuditEvent:
            rows = rows.exclude(action="access.denied")
        state[label] = list(rows.values_list())
    return state


@contextmanager
def _undone_afterwards() -> Iterator[None]:
    """Run a request, then put the database back: a role that acts must not change the world the
    next role is checked against. The block is marked as the test case's own, as Django's
    TestCase marks its blocks, so that services' durable atomic blocks run inside it as they do at
    the top of a request."""
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined]
    with block:
        yield
        transaction.set_rollback(True)


def _post(client: Client, url: str, data: dict[str, str], want: str) -> tuple[str, str]:
    """POST as one role: (the status, what is wrong with it, or "")."""
    before = _stored_state() if want == "404" else None
    with _undone_afterwards():
        status = client.post(url, data).status_code
        changed = []
        if before is not None:
            after = _stored_state()
            changed = sorted(label for label in after if after[label] != before[label])
    if want == ACTS:
        if status in (403, 404, 405) or status >= 500:
            return str(status), (
                f"may act but got {status} (if the view needs answers to get past its checks, "
                f"give the row a minimal valid payload: data={{...}})"
            )
        return ACTS, ""
    if str(status) != want:
        return str(status), f"expected {want}, got {status}"
    if changed:
        return str(status), f"answered {status} but changed {', '.join(changed)}"
    return str(status), ""


def _only(r: Row) -> bool:
    """VIGIL_MATRIX_ONLY="admin:*,linking:*" walks only the rows whose name matches (while
    writing rows: the whole walk takes minutes)."""
    only = [p for p in os.environ.get("VIGIL_MATRIX_ONLY", "").split(",") if p]
    return not only or any(fnmatch.fnmatchcase(r.name, p) for p in only)


@pytest.mark.django_db
def test_every_role_gets_the_status_in_the_matrix(world: dict[str, Any]) -> None:
    wrong: list[str] = []
    printed: list[str] = []
    for r in filter(_only, MATRIX):
        # Fresh sessions for every row: some pages end them (quick exit clears everything).
        clients = _clients(world)
        for side, expected in (("in", r.inside), ("out", r.outside)):
            if side == "out" and not r.outside:
                continue
            for name, route in _concrete(r):
                url = _url(r, name, route, world, side)
                got = []
                for column, want in zip(COLUMNS, expected.split(), strict=True):
                    if r.method == "post":
                        actual, problem = _post(clients[column], url, r.payload(world, side), want)
                    else:
                        actual = str(clients[column].get(url).status_code)
                        problem = "" if actual == want else f"expected {want}, got {actual}"
                    got.append(actual)
                    if problem:
                        wrong.append(f"{name} ({side}, {r.method}) as {column}: {problem}")
                printed.append(f"{name:40} {r.method} {side:4} {' '.join(got)}")
    if os.environ.get("VIGIL_MATRIX_PRINT"):
        print("\n".join(printed))
    assert not wrong, "\n".join(wrong)

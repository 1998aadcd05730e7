"""Staff pages for intake and cases, one module per sub-domain; urls.py reads them from here."""

from vigil.cases.views.case import (
    assign,
    case_detail,
    case_file,
    case_timeline,
    classify,
    close,
    notes,
    reopen,
    sharing,
)
from vigil.cases.views.case_actions import action_status, actions
from vigil.cases.views.incidents import conduct_decision, evidence, incident_new
from vigil.cases.views.intake import intake_queue, phone_report_new, triage_online, triage_phone
from vigil.cases.views.lists import attention_seen, audit_log, case_list, overdue
from vigil.cases.views.people import person_new, safe_contact_edit
from vigil.cases.views.victim_contact import contact
from vigil.cases.views.victims_code import duties, duty_done, enhanced_rights

__all__ = [
    "action_status",
    "actions",
    "assign",
    "attention_seen",
    "audit_log",
    "case_detail",
    "case_file",
    "case_list",
    "case_timeline",
    "classify",
    "close",
    "conduct_decision",
    "contact",
    "duties",
    "duty_done",
    "enhanced_rights",
    "evidence",
    "incident_new",
    "intake_queue",
    "notes",
    "overdue",
    "person_new",
    "phone_report_new",
    "reopen",
    "safe_contact_edit",
    "sharing",
    "triage_online",
    "triage_phone",
]

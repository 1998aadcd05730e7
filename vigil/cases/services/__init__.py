"""Writes on cases, one module per sub-domain; this package re-exports their public names.

Callers keep `from vigil.cases import services` / `from vigil.cases.services import X`.
"""

from vigil.cases.errors import CaseError, ContactRefused
from vigil.cases.services.actions import (
    action_add,
    action_set_status,
    actions_done_by_tool,
    checklist_apply,
)
from vigil.cases.services.contact import (
    contact_log,
    victim_message_delivered,
    victim_message_send,
    victim_message_undelivered,
)
from vigil.cases.services.evidence import evidence_add
from vigil.cases.services.incidents import (
    conduct_decision_record,
    incident_add,
    incident_from_victim,
)
from vigil.cases.services.intake import intake_json, phone_report_create, triage_record
from vigil.cases.services.notes import note_add
from vigil.cases.services.people import (
    case_person_add,
    person_identifiers_reindex,
    victim_safe_contact_change,
    victim_safe_contact_update,
)
from vigil.cases.services.status import case_assign, case_classify, case_reopen
from vigil.cases.services.timeline import new_case_reference, timeline_add
from vigil.cases.services.victims_code import (
    case_enhanced_rights_set,
    duty_complete,
    duty_settle,
    key_decision_due,
    key_decision_duty_add,
)

__all__ = [
    "CaseError",
    "ContactRefused",
    "action_add",
    "action_set_status",
    "actions_done_by_tool",
    "case_assign",
    "case_classify",
    "case_enhanced_rights_set",
    "case_person_add",
    "case_reopen",
    "checklist_apply",
    "conduct_decision_record",
    "contact_log",
    "duty_complete",
    "duty_settle",
    "evidence_add",
    "incident_add",
    "incident_from_victim",
    "intake_json",
    "key_decision_due",
    "key_decision_duty_add",
    "new_case_reference",
    "note_add",
    "person_identifiers_reindex",
    "phone_report_create",
    "timeline_add",
    "triage_record",
    "victim_message_delivered",
    "victim_message_send",
    "victim_message_undelivered",
    "victim_safe_contact_change",
    "victim_safe_contact_update",
]

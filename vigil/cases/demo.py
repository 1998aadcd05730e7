"""Synthetic cases for demos and benchmarks. Every person, place and number is made up.

`demo_cases_create` goes through the real services (triage, incidents, decisions, contact), so
the demo shows timelines and audit rows as real use would make them. `bulk_cases_create` writes
rows in batches for benchmarks, skipping the audit log and the timeline on purpose.
"""

# ruff: noqa: S311 - random only picks made-up demo values; nothing secret depends on it
from __future__ import annotations

import datetime
import random
import secrets
from typing import Any

from django.utils import timezone

from vigil.accounts.models import Role, User
from vigil.audit.write_service import audited_transaction
from vigil.cases import closing, services
from vigil.cases.models import (
    Case,
    CaseIdentifier,
    CasePerson,
    CaseStatus,
    ChecklistTemplate,
    Classification,
    ContactChannel,
    CourseOfConductOutcome,
    Incident,
    IncidentSource,
    IncludedClassification,
    PersonRole,
    PhoneReport,
    PriorityGrade,
    RiskLevel,
    Triage,
    VictimsCodeDuty,
)
from vigil.cases.name_search import name_words_remember
from vigil.cases.policy import identifier_index, normalise_name
from vigil.common.behaviours import BEHAVIOURS
from vigil.contact.contract import SafeContactPrefs
from vigil.contact.models import SafeContact
from vigil.contact.services import safe_contact_create
from vigil.reporting.models import Report, ReporterType, ReportStatus, SuspectRelationship

PLACES = [
    "Outside the victim's home, Elm Street",
    "Car park at the leisure centre",
    "Bus stop on the High Street",
    "Victim's workplace reception",
    "Online (Instagram)",
    "Online (WhatsApp)",
    "Supermarket on Station Road",
    "Outside the children's school",
]
WHAT_HAPPENED = [
    "Sent 40 messages overnight asking to meet and saying they would not give up.",
    "Was waiting by the car when the victim finished work, and followed them home.",
    "Left flowers and a note on the doorstep; the victim had asked for no contact.",
    "Made a new account after being blocked and posted photos of the victim's house.",
    "Called the victim's mother and sister several times asking where the victim was.",
    "Scratched the victim's car and let the tyres down overnight.",
    "Turned up at the gym and stood watching the victim for an hour.",
    "Victim found a tracking tag in the lining of their bag.",
]
REPORT_TEXT = [
    "My ex keeps turning up wherever I go and messaging me from new numbers.",
    "Someone I used to work with will not leave me alone online and now knows my address.",
    "A neighbour watches my house and follows me to the shops.",
]


def _faker(seed: int) -> Any:
    from faker import Faker  # a development dependency: demo data is never made in production

    fake = Faker("en_GB")
    fake.seed_instance(seed)
    return fake


def _drama_mobile(rng: random.Random) -> str:
    # Ofcom's range for drama: never a real person's number.
    return f"07700 900{rng.randint(0, 999):03d}"


def demo_report_create(
    *,
    rng: random.Random,
    fake: Any,
    received_at: datetime.datetime,
    immediate_danger: bool = False,
) -> Report:
    """An online report in the documented contract shape, as the public form would save it."""
    victim_name = fake.name()
    suspect_name = fake.name()
    behaviours = rng.sample([b.code for b in BEHAVIOURS], 3)
    incidents = [
        {
            "date": (received_at - datetime.timedelta(days=days)).date().isoformat(),
            "time": f"{rng.randint(7, 22):02d}:{rng.choice(['00', '15', '30', '45'])}",
            "place": rng.choice(PLACES),
            "what_happened": rng.choice(WHAT_HAPPENED),
        }
        for days in sorted(rng.sample(range(1, 60), 2), reverse=True)
    ]
    fields: dict[str, Any] = dict(
        reference="WEB-" + secrets.token_hex(4).upper(),
        received_at=received_at,
        status=ReportStatus.RECEIVED,
        reporter_type=ReporterType.VICTIM,
        immediate_danger=immediate_danger,
        victim={
            "name": victim_name,
            "email": f"{victim_name.split()[0].lower()}@example.com",
            "phone": _drama_mobile(rng),
        },
        contact=safe_contact_create(
            prefs=SafeContactPrefs(
                channels=tuple(rng.choice([["email"], ["phone", "text"], ["text", "email"]])),
                safe_times="weekdays 9 to 3",
                voicemail_ok=rng.random() < 0.5,
                can_say_police=rng.random() < 0.5,
            )
        ),
        suspects=[
            {
                "relationship": rng.choice(SuspectRelationship.values),
                "names": [suspect_name],
                "phones": [_drama_mobile(rng)],
                "emails": [],
            }
        ],
        details={
            "behaviours": behaviours,
            "incidents": incidents,
            "impact": "I have changed my route to work and do not go out alone.",
            "anything_else": rng.choice(REPORT_TEXT),
        },
        tracking_secret_hash="demo-" + secrets.token_hex(8),
        submission_key=secrets.token_hex(16),
    )
    return Report.objects.create(**fields)


def _staff() -> dict[str, list[User]]:
    staff: dict[str, list[User]] = {}
    for user in User.objects.filter(is_active=True).select_related("team"):
        staff.setdefault(user.role, []).append(user)
    return staff


def demo_cases_create(*, count: int, seed: int = 6) -> list[Case]:
    """Cases made through the services, with incidents, decisions, actions and contact."""
    rng = random.Random(seed)
    fake = _faker(seed)
    staff = _staff()
    handlers = staff.get(Role.CALL_HANDLER) or staff.get(Role.COORDINATOR) or []
    handler = handlers[0] if handlers else None
    investigators = staff.get(Role.INVESTIGATOR, [])
    supervisor = next(iter(staff.get(Role.SUPERVISOR, [])), None)
    if handler is None or not investigators:
        raise ValueError("Load demo staff first (manage.py load_demo).")
    grades = list(PriorityGrade.objects.all())
    template = ChecklistTemplate.objects.filter(code="stalking").first()
    cases = []
    now = timezone.now()
    for n in range(count):
        with audited_transaction("vigil.cases.demo.demo_cases_create"):
            received = now - datetime.timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 23))
            report = demo_report_create(rng=rng, fake=fake, received_at=received)
            triage = services.triage_record.as_step(
                by=handler,
                report=report,
                thrive={
                    "threat": "Repeated unwanted contact; suspect knows the victim's address.",
                    "harm": "Victim frightened, not sleeping.",
                    "risk": "Escalating over weeks.",
                    "investigation": "Messages on the victim's phone; CCTV at work.",
                    "vulnerability": "Lives alone.",
                    "engagement": "Wants police action; prefers email.",
                },
                grade=rng.choice(grades),
                principal_classification=rng.choice(
                    [
                        Classification.STALKING_S2A,
                        Classification.HARASSMENT_S2,
                        Classification.MALICIOUS_COMMS,
                        Classification.CRIMINAL_DAMAGE,
                    ]
                ),
            )
            case = triage.case
            officer = investigators[n % len(investigators)]
            services.case_assign.as_step(
                case=case, officer=officer, team=officer.team, supervisor=supervisor, by=handler
            )
            victim = case.people.filter(role=PersonRole.VICTIM).get()
            suspect = case.people.filter(role=PersonRole.SUSPECT).first()
            if n % 3 == 0 and suspect is not None:
                services.conduct_decision_record.as_step(
                    case=case,
                    victim=victim,
                    suspect=suspect,
                    fixated=True,
                    obsessive=True,
                    unwanted=True,
                    repeated=True,
                    outcome=CourseOfConductOutcome.STALKING_S2A,
                    reasons="Repeated unwanted contact and following; all four FOUR answers yes.",
                    by=officer,
                )
            if template is not None and n % 2 == 0:
                services.checklist_apply.as_step(case=case, template=template, by=officer)
                # Some demo work is late, so the overdue lists have something to show.
                case.actions.filter(title__startswith="Ask for and secure CCTV").update(
                    due_on=timezone.localdate() - datetime.timedelta(days=3)
                )
            if n % 4 == 1:
                VictimsCodeDuty.objects.filter(case=case).update(
                    due_on=timezone.localdate() - datetime.timedelta(days=2)
                )
            if n % 2 == 1:
                services.victim_message_send.as_step(
                    case=case,
                    victim=victim,
                    channel=ContactChannel.ONLINE_REPORT,
                    body="I am the officer dealing with your report. I will call you this week.",
                    by=officer,
                )
            cases.append(case)
        if n % 5 == 4:
            # Closing is a durable transaction of its own, as when staff close a case.
            closing.case_close(
                case=case,
                outcome="nfa",
                reason="Victim did not want to support a prosecution; safety plan in place.",
                carry_over={
                    item.key: "Carried over: the safety plan stays in place after closing."
                    for item in closing.open_items(case=case)
                },
                by=officer,
            )
    return cases


def demo_intake_create(*, seed: int = 7) -> None:
    """A few reports waiting in the intake queue, one of them already overdue."""
    rng = random.Random(seed)
    fake = _faker(seed)
    handler = User.objects.filter(role=Role.CALL_HANDLER).first()
    now = timezone.now()
    demo_report_create(rng=rng, fake=fake, received_at=now - datetime.timedelta(minutes=20))
    demo_report_create(
        rng=rng, fake=fake, received_at=now - datetime.timedelta(hours=3), immediate_danger=True
    )
    if handler is not None:
        services.phone_report_create(
            by=handler,
            summary="Caller says a former friend keeps messaging and waited outside her flat.",
            victim={"name": fake.name(), "phone": _drama_mobile(rng)},
            safe_contact={"channels": ["phone"], "voicemail_ok": False},
            suspects=[{"relationship": "acquaintance", "names": [fake.name()]}],
            behaviours=["calls_messages", "loitering"],
        )


def load_demo() -> str:
    """Called by `manage.py load_demo` (see vigil/common/demo.py)."""
    made = load_demo_cases()
    triage_safety_demo_report()
    return f"Demo cases: {made} new." if made else ""


def triage_safety_demo_report() -> None:
    """The safety tools' demo victim has a case, with the demo investigator in charge; the
    diary entry she shared reaches it at triage, as a real one would."""
    from vigil.safety.demo import demo_report

    report = demo_report()
    handler = User.objects.filter(email="call.handler@demo.police.uk").first()
    if handler is None or Triage.objects.filter(report=report).exists():
        return
    triage = services.triage_record(
        by=handler,
        thrive={key: "Demo" for key in ("threat", "harm", "risk", "investigation")},
        grade=PriorityGrade.objects.order_by("order").first(),  # type: ignore[arg-type]
        report=report,
        principal_classification="stalking_s2a",
    )
    officer = User.objects.filter(email="investigator@demo.police.uk").first()
    if officer is not None:
        services.case_assign(
            case=triage.case, officer=officer, team=officer.team, supervisor=None, by=handler
        )


def load_demo_cases(*, count: int = 8) -> int:
    """Called by `manage.py load_demo`: adds demo cases once."""
    if Case.objects.exists() or PhoneReport.objects.exists():
        return 0
    demo_cases_create(count=count)
    demo_intake_create()
    return count


# --- bulk, for benchmarks ---------------------------------------------------------------------


def bulk_cases_create(
    *, cases: int, incidents_per_case: int = 5, batch: int = 2000, seed: int = 1, log: Any = None
) -> None:
    """Many cases fast: bulk inserts in batches, no audit rows or timelines."""
    rng = random.Random(seed)
    fake = _faker(seed)
    creator = User.objects.filter(role=Role.CALL_HANDLER).first()
    officers = list(User.objects.filter(role=Role.INVESTIGATOR))
    if creator is None or not officers:
        raise ValueError("Load demo staff first (manage.py load_demo).")
    behaviour_codes = [b.code for b in BEHAVIOURS]
    classifications = Classification.values
    now = timezone.now()
    done = 0
    while done < cases:
        size = min(batch, cases - done)
        case_rows = []
        for i in range(size):
            officer = officers[(done + i) % len(officers)]
            opened = now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 730))
            case_rows.append(
                Case(
                    reference=f"BN-{done + i:08d}",
                    principal_classification=rng.choice(classifications),
                    status=CaseStatus.OPEN if rng.random() < 0.6 else CaseStatus.CLOSED,
                    officer=officer,
                    team_id=officer.team_id,
                    created_by=creator,
                    risk_level=rng.choice(RiskLevel.values[1:]),
                    opened_at=opened,
                    last_activity_at=opened,
                )
            )
        Case.objects.bulk_create(case_rows)
        people = []
        included = []
        records = [SafeContact(version=1) for _ in case_rows]
        for record in records:
            record.data = SafeContactPrefs(channels=("email",)).to_json()
        SafeContact.objects.bulk_create(records)
        for case, record in zip(case_rows, records, strict=True):
            people.append(
                CasePerson(
                    case=case,
                    role=PersonRole.VICTIM,
                    name=(v := fake.name()),
                    name_search=normalise_name(v),
                    contact=record,
                )
            )
            people.append(
                CasePerson(
                    case=case,
                    role=PersonRole.SUSPECT,
                    name=(s := fake.name()),
                    name_search=normalise_name(s),
                )
            )
            if rng.random() < 0.2:
                included.append(
                    IncludedClassification(case=case, classification=Classification.STALKING_S2A)
                )
        CasePerson.objects.bulk_create(people)
        name_words_remember(person.name_search for person in people)
        IncludedClassification.objects.bulk_create(included, ignore_conflicts=True)
        identifiers = []
        for person in people:
            phone = f"07{rng.randint(0, 999_999_999):09d}"
            identifiers.append(
                CaseIdentifier(
                    case_id=person.case_id,
                    person=person,
                    kind="phone",
                    value=phone,
                    blind_index=identifier_index("phone", phone),
                )
            )
        CaseIdentifier.objects.bulk_create(identifiers)
        incidents = []
        for index in range(0, len(people), 2):
            victim, suspect = people[index], people[index + 1]
            for _ in range(incidents_per_case):
                incidents.append(
                    Incident(
                        case_id=victim.case_id,
                        occurred_at=now - datetime.timedelta(minutes=rng.randint(0, 10**6)),
                        place=rng.choice(PLACES),
                        behaviours=rng.sample(behaviour_codes, 2),
                        summary=rng.choice(WHAT_HAPPENED),
                        source=IncidentSource.VICTIM,
                        victim=victim,
                        suspect=suspect,
                        recorded_by=creator,
                    )
                )
        Incident.objects.bulk_create(incidents, batch_size=5000)
        done += size
        if log:
            log(f"{done} cases")

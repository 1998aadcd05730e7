"""Default policy data (response grades, Victims' Code timeframes, a stalking checklist) and
the trigram index for fuzzy name search on PostgreSQL."""

from django.db import migrations

GRADES = [
    # code, label, response in minutes, order. Forces change these in the admin.
    ("emergency", "Emergency", 15, 1),
    ("priority", "Priority", 60, 2),
    ("standard", "Standard", 48 * 60, 3),
    ("scheduled", "Scheduled", 7 * 24 * 60, 4),
]
DUTIES = [
    # kind, working days, working days with enhanced rights, every N calendar days
    ("referral", 2, 2, None),
    ("key_decision", 5, 1, None),
    ("update", None, None, 28),
]
STALKING_CHECKLIST = [
    ("Secure digital evidence (phones, accounts, messages, call logs)", 2),
    ("Ask for and secure CCTV before it is overwritten", 2),
    ("Complete stalking risk screening (S-DASH) and record your judgement", 1),
    ("Offer a referral to a stalking advocate (ISAC)", 2),
    ("Arrange the suspect interview", 14),
    ("Consider a Stalking Protection Order (interim or full)", 7),
    ("Consider Right to Know disclosure of an online stalker's identity", 14),
    ("Agree a safety plan with the victim", 3),
]


def load_defaults(apps, schema_editor):
    PriorityGrade = apps.get_model("cases", "PriorityGrade")
    VictimsCodeRule = apps.get_model("cases", "VictimsCodeRule")
    ChecklistTemplate = apps.get_model("cases", "ChecklistTemplate")
    ChecklistItem = apps.get_model("cases", "ChecklistItem")
    for code, label, minutes, order in GRADES:
        PriorityGrade.objects.get_or_create(
            code=code, defaults={"label": label, "response_minutes": minutes, "order": order}
        )
    for kind, days, enhanced, every in DUTIES:
        VictimsCodeRule.objects.get_or_create(
            kind=kind,
            defaults={"working_days": days, "enhanced_working_days": enhanced, "every_days": every},
        )
    template, created = ChecklistTemplate.objects.get_or_create(
        code="stalking", defaults={"name": "Stalking investigation"}
    )
    if created:
        for order, (title, days) in enumerate(STALKING_CHECKLIST):
            ChecklistItem.objects.create(
                template=template, title=title, due_in_days=days, order=order
            )


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS cases_person_name_trgm "
        "ON cases_caseperson USING gin (name_search gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cases_person_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(load_defaults, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]

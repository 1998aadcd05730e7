"""The measures a safety plan is usually made from (College of Policing stalking guidance and
the Suzy Lamplugh Trust's safety advice). Kept in the admin; codes are stable."""

from django.db import migrations

MEASURES = [
    ("priority_response", "Address flagged for priority response", "A marker so 999 calls from the address get an immediate response."),
    ("alarm", "Alarm", "A personal or home alarm linked to the police."),
    ("home_security", "Home security", "Locks, lighting, door cameras, letterbox guard."),
    ("tech_safety_check", "Phone, app and technology safety check", "Tracking apps, shared accounts, location sharing, smart devices."),
    ("change_of_routine", "Change of routine", "Routes, times and places the suspect knows."),
    ("school_or_workplace", "School or workplace told", "Who was told, and what they will do if the suspect comes."),
    ("right_to_know", "Right to Know disclosure considered", "Domestic Violence Disclosure Scheme (Clare's Law)."),
    ("order_advice", "Injunction or order advice", "Stalking Protection Order, non-molestation order, restraining order."),
]


def seed(apps, schema_editor):
    MeasureKind = apps.get_model("safeguarding", "MeasureKind")
    for position, (code, title, hint) in enumerate(MEASURES, start=1):
        MeasureKind.objects.update_or_create(
            code=code, defaults={"title": title, "hint": hint, "position": position}
        )


def unseed(apps, schema_editor):
    MeasureKind = apps.get_model("safeguarding", "MeasureKind")
    MeasureKind.objects.filter(code__in=[code for code, _t, _h in MEASURES]).delete()


class Migration(migrations.Migration):
    dependencies = [("safeguarding", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

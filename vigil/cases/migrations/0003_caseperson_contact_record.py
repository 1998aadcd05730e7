"""Each victim's safe-contact answers move onto the one live record (vigil.contact).

A victim who reported online shares the record of their report. Before this, the case kept its
own copy from triage and the victim could change the report's copy afterwards, so either may be
the newer. We cannot tell which, so the two are merged the safe way: a channel stays only if
both allow it, voicemail and naming the police only if both allow them, "others may read" if
either says so; the structured days and hours (only ever on the case's copy) are kept. An
officer who then finds the victim's wishes narrower than they expected asks the victim.

Reversible: going back copies the record's answers onto each victim again.
"""

import django.db.models.deletion
from django.db import migrations, models


def _merge(report_copy, case_copy):
    merged = {**report_copy, **case_copy}
    merged["channels"] = [
        c for c in (report_copy.get("channels") or []) if c in (case_copy.get("channels") or [])
    ]
    for key in ("voicemail_ok", "can_say_police"):
        merged[key] = bool(report_copy.get(key)) and bool(case_copy.get(key))
    merged["others_may_read"] = bool(report_copy.get("others_may_read")) or bool(
        case_copy.get("others_may_read")
    )
    for key in ("safe_times", "safe_word"):
        merged[key] = report_copy.get(key) or case_copy.get(key) or ""
    return merged


def to_records(apps, schema_editor):
    CasePerson = apps.get_model("cases", "CasePerson")
    SafeContact = apps.get_model("contact", "SafeContact")
    victims = CasePerson.objects.filter(role="victim").select_related("report__contact")
    for person in victims.iterator():
        own = dict(person.safe_contact or {})
        record = person.report.contact if person.report_id else None
        if record is None:
            record = SafeContact.objects.create(data=own)
        else:
            record.data = _merge(dict(record.data or {}), own)
            record.save(update_fields=["data"])
        person.contact = record
        person.save(update_fields=["contact"])


def from_records(apps, schema_editor):
    CasePerson = apps.get_model("cases", "CasePerson")
    for person in CasePerson.objects.filter(contact__isnull=False).select_related("contact"):
        person.safe_contact = dict(person.contact.data or {})
        person.save(update_fields=["safe_contact"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_defaults_and_search"),
        ("contact", "0001_initial"),
        ("reporting", "0006_report_contact_record"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseperson",
            name="contact",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="case_people",
                to="contact.safecontact",
            ),
        ),
        migrations.RunPython(to_records, from_records),
        migrations.RemoveField(model_name="caseperson", name="safe_contact"),
    ]

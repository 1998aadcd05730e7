"""Each report's safe-contact answers move onto its own live record (vigil.contact).

Reversible: going back copies each record's answers into the report again.
"""

import django.db.models.deletion
from django.db import migrations, models



def to_records(apps, schema_editor):
    Report = apps.get_model("reporting", "Report")
    SafeContact = apps.get_model("contact", "SafeContact")
    for report in Report.objects.all().iterator():
        report.contact = SafeContact.objects.create(data=dict(report.safe_contact or {}))
        report.save(update_fields=["contact"])


def from_records(apps, schema_editor):
    Report = apps.get_model("reporting", "Report")
    for report in Report.objects.select_related("contact").iterator():
        report.safe_contact = dict(report.contact.data or {}) if report.contact else {}
        report.save(update_fields=["safe_contact"])


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0001_initial"),
        ("reporting", "0005_plain_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="contact",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reports",
                to="contact.safecontact",
            ),
        ),
        migrations.RunPython(to_records, from_records),
        migrations.RemoveField(model_name="report", name="safe_contact"),
        migrations.AlterField(
            model_name="report",
            name="contact",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reports",
                to="contact.safecontact",
            ),
        ),
    ]



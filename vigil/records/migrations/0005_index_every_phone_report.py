# The data half of 0004, in its own migration: on PostgreSQL a table whose rows changed in a
# transaction cannot have its schema altered in the same one (pending trigger events), which
# undoing 0004 with its rows would need.

from django.db import migrations


def index_every_phone_report(apps, schema_editor):
    """Phone reports taken before subject access searched them: their victim's email and
    phone, hashed as case search hashes them (the same normaliser and key)."""
    from vigil.records.report_index import identifier_hashes, phone_report_people

    PhoneReport = apps.get_model("cases", "PhoneReport")
    ReportIdentifier = apps.get_model("records", "ReportIdentifier")
    rows = [
        ReportIdentifier(phone_report_id=phone_report.pk, role=role, kind=kind, blind_index=index)
        for phone_report in PhoneReport.objects.only("id", "victim").iterator(chunk_size=500)
        for role, kind, index in identifier_hashes(phone_report_people(victim=phone_report.victim))
    ]
    ReportIdentifier.objects.bulk_create(rows, batch_size=1000)


def forget_phone_reports(apps, schema_editor):
    # Back to a table of online reports only (its report column not null again).
    apps.get_model("records", "ReportIdentifier").objects.filter(report__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0004_phone_report_identifiers'),
    ]

    operations = [
        migrations.RunPython(index_every_phone_report, forget_phone_reports),
    ]

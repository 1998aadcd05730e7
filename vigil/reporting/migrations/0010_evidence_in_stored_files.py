"""Issue 14: report and draft files kept as one StoredFile row each (vigil.common.models) instead
of a copy of the file's fields. Reversible: going back copies the fields out of the rows again."""

from django.db import migrations

from vigil.common.stored_file_moves import owner_operations


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_stored_file"),
        ("reporting", "0009_report_reporter_own_contact"),
    ]

    operations = [
        *owner_operations("reporting", "reportevidence", nullable=False),
        *owner_operations("reporting", "draftevidence", nullable=False),
    ]

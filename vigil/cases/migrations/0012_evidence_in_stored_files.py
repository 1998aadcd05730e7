"""Issue 14: case evidence files kept as one StoredFile row each (vigil.common.models) instead of a
copy of the file's fields. Reversible: going back copies the fields out of the rows again."""

from django.db import migrations

from vigil.common.stored_file_moves import owner_operations


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_stored_file"),
        ("reporting", "0010_evidence_in_stored_files"),
        ("cases", "0011_duty_told_how_and_when"),
    ]

    operations = [
        *owner_operations("cases", "evidence", nullable=True),
    ]

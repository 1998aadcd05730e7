"""Issue 14: the diary's files kept as one StoredFile row each (vigil.common.models) instead of a
copy of the file's fields. Reversible: going back copies the fields out of the rows again."""

from django.db import migrations

from vigil.common.stored_file_moves import owner_operations


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_stored_file"),
        ("safety", "0003_victim_may_undo_a_delete"),
    ]

    operations = [
        *owner_operations("safety", "diaryfile", nullable=False),
    ]

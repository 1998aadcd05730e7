from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_existing_files(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Drafts in progress keep their files: a count of 0 would leave them behind on send."""
    ReportDraft = apps.get_model("reporting", "ReportDraft")
    DraftEvidence = apps.get_model("reporting", "DraftEvidence")
    per_draft = (
        DraftEvidence.objects.filter(draft=OuterRef("pk"))
        .values("draft")
        .annotate(total=Count("pk"))
        .values("total")
    )
    ReportDraft.objects.update(file_count=Coalesce(Subquery(per_draft), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_drafts_evidence_throttle_withdrawal"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportdraft",
            name="file_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(count_existing_files, migrations.RunPython.noop),
    ]

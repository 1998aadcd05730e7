import uuid

import django.db.models.deletion  # noqa: F401
from django.db import migrations, models

import vigil.common.fields


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="StoredFile",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("storage_name", models.CharField(max_length=300, unique=True)),
                ("size", models.PositiveBigIntegerField()),
                ("sha256", models.CharField(max_length=64)),
                ("content_type", models.CharField(max_length=100)),
                ("original_name", vigil.common.fields.EncryptedTextField(blank=True)),
                ("key_id", models.CharField(blank=True, max_length=40)),
            ],
            options={"ordering": ["created_at"]},
        ),
    ]

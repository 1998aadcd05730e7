"""The dictionary of name words for fast fuzzy search by name, filled from today's people,
and on PostgreSQL its trigram index and the index of each person's name words."""

from django.db import migrations, models

WORDS = "string_to_array(name_search, ' ')"


def fill_and_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "INSERT INTO cases_nameword (word) SELECT DISTINCT w FROM cases_caseperson, "
            f"unnest({WORDS}) AS w WHERE w <> '' ON CONFLICT DO NOTHING"  # noqa: S608 - constant
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS cases_nameword_trgm "
            "ON cases_nameword USING gin (word gin_trgm_ops)"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS cases_person_name_words ON cases_caseperson "
            f"USING gin ({WORDS})"
        )
        return
    person, word = apps.get_model("cases", "CasePerson"), apps.get_model("cases", "NameWord")
    words = set()
    for name in person.objects.values_list("name_search", flat=True).distinct().iterator():
        words.update(name.split())
    word.objects.bulk_create(
        [word(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=500
    )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cases_person_name_words")
        schema_editor.execute("DROP INDEX IF EXISTS cases_nameword_trgm")


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_victim_from_phone_report")]

    operations = [
        migrations.CreateModel(
            name="NameWord",
            fields=[("word", models.CharField(max_length=200, primary_key=True, serialize=False))],
        ),
        migrations.RunPython(fill_and_index, drop_indexes),
    ]

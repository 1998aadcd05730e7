"""Ship S-DASH and DASH as data. Forces replace the wording (licensed) or add tools in the admin."""

from django.db import migrations


def load(apps, schema_editor):
    from vigil.risk.tooldata import load_tools

    load_tools(apps.get_model("risk", "RiskTool"), apps.get_model("risk", "RiskQuestion"))


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

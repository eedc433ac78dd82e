from django.db import migrations


def load(apps, schema_editor):
    from medborgarlofte.crimestats.taxonomy import load_taxonomy

    load_taxonomy(apps.get_model("crimestats", "CrimeCategory"))


class Migration(migrations.Migration):
    dependencies = [("crimestats", "0003_statistics")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

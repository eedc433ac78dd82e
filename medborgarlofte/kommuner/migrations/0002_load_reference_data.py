from django.db import migrations


def load(apps, schema_editor):
    from medborgarlofte.kommuner.reference import load_reference_data

    load_reference_data(
        apps.get_model("kommuner", "County"),
        apps.get_model("kommuner", "Municipality"),
        apps.get_model("kommuner", "Population"),
    )


class Migration(migrations.Migration):
    dependencies = [("kommuner", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

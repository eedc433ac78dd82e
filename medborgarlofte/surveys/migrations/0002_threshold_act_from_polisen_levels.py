"""The upper threshold becomes "act from" (Polisen's problem level 1.7–2.0, see
docs/formats/survey.md). A kommun's own values are kept: the old rule was
"act above watch_max", the new one "act from act_from"; values have two decimals,
so act_from = watch_max + 0.01 keeps every stored kommun's classes exactly."""

from decimal import Decimal

from django.db import migrations, models


def forwards(apps, schema_editor):
    threshold = apps.get_model("surveys", "SurveyThreshold")
    for row in threshold.objects.all():
        row.act_from = Decimal(row.act_from) + Decimal("0.01")
        row.save(update_fields=["act_from"])


def backwards(apps, schema_editor):
    threshold = apps.get_model("surveys", "SurveyThreshold")
    for row in threshold.objects.all():
        row.act_from = Decimal(row.act_from) - Decimal("0.01")
        row.save(update_fields=["act_from"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [
        migrations.RenameField("surveythreshold", "watch_max", "act_from"),
        migrations.AlterField(
            model_name="surveythreshold",
            name="act_from",
            field=models.DecimalField(
                decimal_places=2, default=1.7, max_digits=3, verbose_name="act from"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]

"""Meeting actions name a commitment by its reference instead of a foreign key to
agreements.Commitment (issue 13: the sources know nothing of the promise;
docs/decisions/0004-layers.md). Existing links are copied: commitment → commitment.ref."""

from django.db import migrations, models


def copy_refs(apps, schema_editor):
    MeetingAction = apps.get_model("incidents", "MeetingAction")
    for action in MeetingAction.objects.exclude(commitment=None).select_related("commitment"):
        action.commitment_ref = action.commitment.ref
        action.save(update_fields=["commitment_ref"])


def copy_back(apps, schema_editor):
    """Reverse: link each action to the newest commitment of its kommun with that ref."""
    MeetingAction = apps.get_model("incidents", "MeetingAction")
    Commitment = apps.get_model("agreements", "Commitment")
    for action in MeetingAction.objects.exclude(commitment_ref=""):
        action.commitment = (
            Commitment.objects.filter(
                municipality_id=action.municipality_id, ref=action.commitment_ref
            )
            .order_by("-version__agreement__period_start", "-version__number")
            .first()
        )
        action.save(update_fields=["commitment"])


class Migration(migrations.Migration):

    dependencies = [
        ("agreements", "0002_commitment_problems"),
        ("incidents", "0002_idempotency_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="meetingaction",
            name="commitment_ref",
            field=models.CharField(
                blank=True,
                default="",
                max_length=80,
                verbose_name="commitment in the citizen promise",
            ),
        ),
        migrations.RunPython(copy_refs, copy_back),
        migrations.RemoveField(model_name="meetingaction", name="commitment"),
    ]

"""Move recovery codes stored in plain text (django-otp static tokens) to keyed hashes."""

from django.conf import settings
from django.db import migrations
from django.utils.crypto import salted_hmac


def _hash(code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").lower()
    return salted_hmac(
        "medborgarlofte.accounts.recovery-code",
        normalised,
        secret=settings.SECRET_KEY,
        algorithm="sha256",
    ).hexdigest()


def forwards(apps, schema_editor):
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    RecoveryCodeDevice = apps.get_model("accounts", "RecoveryCodeDevice")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    for static in StaticDevice.objects.filter(name="recovery"):
        device = RecoveryCodeDevice.objects.create(
            user_id=static.user_id, name="recovery", confirmed=True
        )
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=device, code_hash=_hash(token.token))
            for token in static.token_set.all()
        )
        static.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_recovery_codes"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

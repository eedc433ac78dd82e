"""Two-factor authentication with TOTP (an authenticator app) and recovery codes.

Uses django-otp's TOTP and static-token devices. Who must use it is decided here:
administrators, coordinators and police always; reporters when their kommun says so.
"""

import secrets

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import Membership, RecoveryCode, RecoveryCodeDevice, Role, recovery_code_hashes

RECOVERY_CODE_COUNT = 10


def needs_two_factor(user) -> bool:
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if confirmed_totp(user) is not None:
        return True  # an enrolled authenticator is never optional
    memberships = Membership.objects.filter(user=user)
    if memberships.filter(role__in=[Role.COORDINATOR, Role.POLICE, Role.READER]).exists():
        return True
    return memberships.filter(
        role=Role.REPORTER, municipality__reporters_need_two_factor=True
    ).exists()


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def may_enrol(request) -> bool:
    """Whether this session may set up an authenticator: a first one after the password,
    a replacement only after the second step (the current authenticator or a recovery
    code). Before this rule, the password alone could replace the owner's authenticator
    and pass the second step (security finding 1, issue 11)."""
    user = request.user
    if not user.is_authenticated:
        return False
    return confirmed_totp(user) is None or user.is_verified()


def pending_totp(user) -> TOTPDevice:
    """The unconfirmed device being set up (created on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG QR code (no external requests, no script)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=True)


def secret_text(device: TOTPDevice) -> str:
    """The key in base32 groups of four, for typing into an app by hand."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _new_recovery_codes(user) -> list[str]:
    """Ten new one-time codes; only their keyed hashes are stored."""
    device, _created = RecoveryCodeDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.codes.all().delete()
    codes = [
        "-".join(secrets.token_hex(2) for _part in range(3)) for _i in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=recovery_code_hashes(code)[0]) for code in codes
    )
    return codes


@transaction.atomic
def confirm_totp(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm a new authenticator with a code from it; returns the recovery codes.

    Replacing an enrolled authenticator needs a verified session (PermissionDenied)."""
    if not may_enrol(request) or device.user_id != request.user.pk or device.confirmed:
        raise PermissionDenied
    if not device.verify_token(code.replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    audit.record(
        user=device.user,
        action="enable_two_factor",
        object_type="user",
        object_id=str(device.user.pk),
    )
    return _new_recovery_codes(device.user)


def verify(request, code: str) -> bool:
    """Verify a TOTP code or a recovery code (a used recovery code is consumed)."""
    user = request.user
    code = code.strip().replace(" ", "")
    device = confirmed_totp(user)
    if device is not None and code.isdigit() and device.verify_token(code):
        otp_login(request, device)
        return True
    recovery = RecoveryCodeDevice.objects.filter(user=user, name="recovery").first()
    if recovery is not None and recovery.verify_token(code):
        otp_login(request, recovery)
        audit.record(
            user=user, action="use_recovery_code", object_type="user", object_id=str(user.pk)
        )
        return True
    return False


@transaction.atomic
def regenerate_recovery_codes(user) -> list[str]:
    audit.record(
        user=user, action="regenerate_recovery_codes", object_type="user", object_id=str(user.pk)
    )
    return _new_recovery_codes(user)

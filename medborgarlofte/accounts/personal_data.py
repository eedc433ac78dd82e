"""What the product stores about a staff account, for the "my data" export (GDPR art. 15)."""

from axes.models import AccessAttempt, AccessLog
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AuditEntry, ExternalIdentity, Membership, RecoveryCode, UserSettings


def _organisation_sign_in(user) -> dict | None:
    identity = ExternalIdentity.objects.filter(user=user).select_related("provider").first()
    if identity is None:
        return None
    return {
        "provider": identity.provider.name,
        "subject": identity.subject,
        "first_sign_in": identity.first_sign_in.isoformat(),
        "last_sign_in": identity.last_sign_in.isoformat(),
        "deactivated_at": identity.deactivated_at.isoformat() if identity.deactivated_at else None,
    }


def export_user_data(user) -> dict:
    return {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "is_active": user.is_active,
        },
        "roles": [
            {
                "kommunkod": m.municipality.code,
                "kommun": m.municipality.name,
                "role": m.role,
                "from_organisation": m.provider_id is not None,
            }
            for m in Membership.objects.filter(user=user).select_related("municipality")
        ],
        "organisation_sign_in": _organisation_sign_in(user),
        "settings": {
            "todo_digest": UserSettings.objects.filter(user=user, todo_digest=True).exists(),
        },
        "two_factor": {
            "authenticator_app": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "recovery_codes_left": RecoveryCode.objects.filter(device__user=user).count(),
        },
        "actions_in_audit_log": [
            {
                "at": e.at.isoformat(),
                "action": e.action,
                "object": f"{e.object_type} {e.object_id}",
                "summary": e.summary,
                "kommunkod": e.municipality.code if e.municipality else None,
            }
            for e in AuditEntry.objects.filter(actor=user)
            .select_related("municipality")
            .order_by("at")
        ],
        "login_history": [
            {"at": log.attempt_time.isoformat(), "address": log.ip_address}
            for log in AccessLog.objects.filter(username=user.get_username()).order_by(
                "attempt_time"
            )
        ],
        "failed_logins": [
            {"at": a.attempt_time.isoformat(), "failures": a.failures_since_start}
            for a in AccessAttempt.objects.filter(username=user.get_username())
        ],
    }

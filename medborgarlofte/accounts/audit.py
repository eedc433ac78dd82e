"""Writing the audit log. Every service function that writes calls record()."""

from .models import AuditEntry


def actor_label(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "system"
    return user.get_username()


def record(
    *,
    user,
    action: str,
    obj=None,
    municipality=None,
    summary: str = "",
    before=None,
    after=None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(obj.pk)
        if municipality is None:
            municipality = getattr(obj, "municipality", None)
    return AuditEntry.objects.create(
        municipality=municipality,
        actor=user if getattr(user, "is_authenticated", False) else None,
        actor_label=actor_label(user),
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:300],
        before=before,
        after=after,
    )

"""A user's own settings (UserSettings): read with defaults, changed with an audit entry."""

from django.db import transaction

from . import audit
from .models import UserSettings


def settings_for(user) -> UserSettings:
    """The user's settings; the defaults when the user never changed them (nothing stored)."""
    found = UserSettings.objects.filter(user=user).first()
    return found if found is not None else UserSettings(user=user)


@transaction.atomic
def set_todo_digest(user, enabled: bool) -> UserSettings:
    """Turn the user's daily to-do e-mail on or off (a user changes only their own)."""
    row, _created = UserSettings.objects.select_for_update().get_or_create(user=user)
    if row.todo_digest != enabled:
        before = row.todo_digest
        row.todo_digest = enabled
        row.save(update_fields=["todo_digest"])
        audit.record(
            user=user,
            action="set_todo_digest",
            obj=row,
            before={"todo_digest": before},
            after={"todo_digest": enabled},
        )
    return row

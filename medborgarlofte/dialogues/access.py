"""Who may see and change the dialogue entries of a kommun (built on accounts.access)."""

from medborgarlofte.accounts.access import (  # noqa: F401  (re-exported building blocks)
    EDIT_ROLES,
    READ_ROLES,
    can_edit,
    get_kommun_row_for_user,
    get_municipality_for_user,
    kommun_rows_for_user,
    require_edit,
    roles_for,
)

from .models import DialogueEntry


def dialogue_entries_for_user(user, municipality):
    return kommun_rows_for_user(user, municipality, DialogueEntry.objects.all())


def get_dialogue_entry_for_user(user, municipality, pk: int, *, edit: bool = False):
    entries = dialogue_entries_for_user(user, municipality)
    return get_kommun_row_for_user(user, municipality, entries, pk, edit=edit)

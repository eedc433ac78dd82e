"""Who may see and change the dialogue entries of a kommun (built on accounts.access)."""

from django.http import Http404

from medborgarlofte.accounts.access import (  # noqa: F401  (re-exported building blocks)
    EDIT_ROLES,
    READ_ROLES,
    can_edit,
    get_municipality_for_user,
    require_edit,
    roles_for,
)

from .models import DialogueEntry


def dialogue_entries_for_user(user, municipality):
    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    return DialogueEntry.objects.filter(municipality=municipality)


def get_dialogue_entry_for_user(user, municipality, pk: int, *, edit: bool = False):
    entry = dialogue_entries_for_user(user, municipality).filter(pk=pk).first()
    if entry is None:
        raise Http404
    if edit:
        require_edit(user, municipality)
    return entry

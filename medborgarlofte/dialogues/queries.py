"""Public read queries of the dialogues app (no login)."""

from django.http import Http404

from medborgarlofte.kommuner.models import Municipality

from .models import DialogueEntry


def get_public_municipality(code: str) -> Municipality:
    found = Municipality.objects.filter(code=code).first()
    if found is None:
        raise Http404
    return found


def entry_for_submission_key(municipality, key) -> DialogueEntry | None:
    """The entry already stored from the public form with this idempotency key."""
    if key is None:
        return None
    return DialogueEntry.objects.filter(municipality=municipality, idempotency_key=key).first()

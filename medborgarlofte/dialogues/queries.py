"""Public read queries of the dialogues app (no login)."""

from django.http import Http404

from medborgarlofte.kommuner.models import Municipality


def get_public_municipality(code: str) -> Municipality:
    found = Municipality.objects.filter(code=code).first()
    if found is None:
        raise Http404
    return found

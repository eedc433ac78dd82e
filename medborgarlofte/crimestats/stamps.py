"""What the public statistics are built from, as a cheap stamp for the ETag
(`accounts.public_cache`): every statistics or population import changes it."""

from django.db.models import Count, Max

from medborgarlofte.accounts.public_cache import named_stamp

from .models import ImportRun


def public_stamp(code: str | None = None):
    """National, as imports are national files: (import runs, the last one). Population
    imports are import runs too (kind "population", importers/writing.write_population)."""
    runs = ImportRun.objects.aggregate(n=Count("id"), at=Max("at"))
    return ("crimestats", runs["n"], runs["at"])


# The statistics page shows the kommun's priority categories, read from its latest
# agreement version through the priorities provider: the agreements' stamp, registered by
# name (agreements is a higher layer).
priorities_stamp = named_stamp("agreements")

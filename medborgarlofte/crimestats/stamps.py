"""What the public statistics are built from, as a cheap stamp for the ETag
(`accounts.public_cache`): every statistics or population import changes it."""

from django.db.models import Count, Max

from .models import ImportRun


def public_stamp(code: str | None = None):
    """National, as imports are national files: (import runs, the last one). Population
    imports are import runs too (kind "population", importers/writing.write_population)."""
    runs = ImportRun.objects.aggregate(n=Count("id"), at=Max("at"))
    return ("crimestats", runs["n"], runs["at"])


def priorities_stamp(code: str | None = None):
    """The statistics page shows the kommun's priority categories, read from its latest
    agreement version (`queries.priority_categories`, the same read-only use of the upper
    layer): (versions, newest change) of the kommun's agreement versions."""
    from medborgarlofte.agreements.models import AgreementVersion  # read-only, upper layer

    found = AgreementVersion.objects.filter(municipality__code=code).aggregate(
        n=Count("id"), changed=Max("updated_at")
    )
    return ("priorities", found["n"], found["changed"])

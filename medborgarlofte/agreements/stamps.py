"""What the public pages of agreements are built from, as a cheap stamp for their ETag
(`accounts.public_cache`): publishing, editing or withdrawing a version changes it."""

from django.db.models import Count, Max

from medborgarlofte.accounts.tenancy import across_kommuner

from .models import AgreementVersion


def public_stamp(code: str | None = None):
    """(versions, newest change) of the kommun's agreement versions, or of all kommuner."""
    rows = AgreementVersion.objects.all()
    if code:
        rows = rows.filter(municipality__code=code)
    else:
        rows = across_kommuner(rows, "public pages: the validator of the national lists")
    found = rows.aggregate(n=Count("id"), changed=Max("updated_at"))
    return ("agreements", found["n"], found["changed"])

"""What the public follow-up pages are built from, as a cheap stamp for their ETag
(`accounts.public_cache`): publishing a follow-up changes it."""

from django.db.models import Count, Max

from medborgarlofte.accounts.tenancy import across_kommuner
from medborgarlofte.agreements.stamps import public_stamp as agreements_stamp

from .models import FollowUp


def public_stamp(code: str | None = None):
    """The agreements' stamp and (follow-ups, newest change) of the kommun or all kommuner."""
    rows = FollowUp.objects.all()
    if code:
        rows = rows.filter(municipality__code=code)
    else:
        rows = across_kommuner(rows, "public pages: the validator of the national feed")
    found = rows.aggregate(n=Count("id"), changed=Max("updated_at"))
    return (agreements_stamp(code), "followup", found["n"], found["changed"])

"""What the public incident aggregates are built from, as a stamp for their ETag
(`accounts.public_cache`). Reports arrive and are handled all day, and a coordinator may
correct one, so the stamp also holds the current minute: the page is cacheable for a
minute and never older."""

import time

from django.db.models import Count, Max

from .models import Incident


def public_stamp(code: str | None = None):
    found = Incident.objects.filter(municipality__code=code).aggregate(
        n=Count("id"), last=Max("id"), handled=Max("handled_at")
    )
    return ("incidents", found["n"], found["last"], found["handled"], int(time.time() // 60))

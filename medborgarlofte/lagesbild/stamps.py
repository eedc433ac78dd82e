"""What the public "why" page is built from, as a cheap stamp for its ETag
(`accounts.public_cache`): publishing a lägesbild or an agreement changes it."""

from django.db.models import Count, Max

from medborgarlofte.accounts.public_cache import named_stamp

from .models import Lagesbild

agreements_stamp = named_stamp("agreements")  # registered by agreements (a higher layer)


def public_stamp(code: str | None = None):
    found = Lagesbild.objects.filter(municipality__code=code).aggregate(
        n=Count("id"), changed=Max("updated_at")
    )
    return (agreements_stamp(code), "lagesbild", found["n"], found["changed"])

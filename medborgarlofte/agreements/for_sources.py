"""What the agreements tell the source apps below them, which may not import agreements
(docs/decisions/0004-layers.md). Registered in AgreementsConfig.ready."""

from medborgarlofte.crimestats.priorities import Priorities

from . import access
from .models import AgreementVersion


def commitment_refs_for_user(user, municipality) -> dict[str, tuple[str, str]]:
    """{ref: (version title, text)} of the kommun's commitments, the newest version's
    wording first: what a weekly meeting action may name (incidents/commitments.py)."""
    found: dict[str, tuple[str, str]] = {}
    rows = access.commitments_for_user(user, municipality).order_by(
        "-version__agreement__period_start", "-version__number", "position", "pk"
    )
    for commitment in rows:
        found.setdefault(commitment.ref, (commitment.version.title, commitment.text))
    return found


def priority_categories(municipality) -> Priorities | None:
    """The crime categories of the kommun's latest agreement version, for the statistics
    pages (crimestats/priorities.py); None when the kommun has no agreement."""
    version = (
        AgreementVersion.objects.filter(municipality=municipality)
        .order_by("-agreement__period_start", "-number")
        .first()
    )
    if version is None:
        return None
    names = [(p.name, p.category) for p in version.crime_categories.select_related("category")]
    return Priorities(names=names, source=version.title)

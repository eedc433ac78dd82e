"""The agreements' part of the demo: Mullsjö 2024 (the reference customer) and its
neighbours, imported, approved by both parties and published.

medborgarlofte/demo/loader.py (`medborgarlofte load_demo`) calls these loaders in order
with the demo users. Loading twice changes nothing.
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from medborgarlofte.accounts import audit

from . import services
from .exchange import load_document
from .importing import import_agreement_document
from .models import AgreementVersion, Status

EXAMPLES_DIR = Path(settings.BASE_DIR) / "examples" / "agreements"

DEMO_AGREEMENTS = [
    ("mullsjo-2024.yaml", "samordnare"),
    ("habo-2024.yaml", "samordnare-habo"),
    ("jonkoping-2021.yaml", "samordnare-jonkoping"),
]


def load_agreements_demo(users: dict, police) -> list[str]:
    """Imports, approves and publishes the example agreements; their titles (vN)."""
    loaded = []
    for filename, coordinator_name in DEMO_AGREEMENTS:
        path = EXAMPLES_DIR / filename
        if not path.exists():
            continue
        document = load_document(path.read_bytes(), name=filename)
        result = import_agreement_document(document, user=users[coordinator_name], name=filename)
        version = result.version
        if version.status != Status.PUBLISHED:
            approved = set(version.approvals.values_list("party_kind", flat=True))
            if "municipality" not in approved:
                services.approve_agreement(version, users[coordinator_name], "municipality")
            if "police" not in approved:
                services.approve_agreement(version, police, "police")
            version.refresh_from_db()
            services.publish_agreement(version, users[coordinator_name])
        loaded.append(f"{version.title} (v{version.number})")
    return loaded


def _mullsjo_2024():
    return (
        AgreementVersion.objects.filter(
            municipality__code="0642", agreement__period_start__year=2024, status=Status.PUBLISHED
        )
        .order_by("-number")
        .first()
    )


def link_demo_problems(links) -> None:
    """Link the commitments of Mullsjö 2024 to the problems of the demo lägesbild."""
    version = _mullsjo_2024()
    if version is not None:
        backfill_demo_problem_links(version, links)


@transaction.atomic
def backfill_demo_problem_links(version: AgreementVersion, links: dict[str, list]) -> int:
    """Demo only: link problems to the commitments of an already published version, by
    commitment ref. Published versions are otherwise frozen (link_commitment_problems
    refuses them); the demo's agreement is imported already published from the exchange
    format, which carries no problems. Idempotent; audit-logged as the system."""
    added = 0
    for commitment in version.commitments.all():
        wanted = links.get(commitment.ref, [])
        missing = [p for p in wanted if not commitment.problems.filter(pk=p.pk).exists()]
        if missing:
            commitment.problems.add(*missing)
            added += len(missing)
    if added:
        audit.record(
            user=None,
            action="backfill_demo_problem_links",
            obj=version,
            summary=f"{version.title} v{version.number}: {added} links",
        )
    return added


def demo_commitment_ref() -> str:
    """The commitment of Mullsjö 2024 the demo's weekly meeting actions name ("" if none)."""
    version = _mullsjo_2024()
    commitment = version.commitments.order_by("position").first() if version else None
    return commitment.ref if commitment else ""

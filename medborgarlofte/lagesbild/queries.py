"""Public read queries: the "what we heard → what we promised" chain.

Only jointly approved material is public: a problem appears when it is part of a
frozen (approved) lägesbild version and linked to a commitment of a published
agreement version; its text and evidence come from that frozen snapshot. The chain is
read through the reverse relation Problem.commitments (the agreements app points at
lägesbild problems; this module does not import agreements).
"""

from django.utils.translation import gettext as _

from medborgarlofte.kommuner.models import Municipality
from medborgarlofte.privacy.suppression import is_small

from .models import EvidenceKind, LagesbildVersion, Problem

SMALL_COUNT_KINDS = {"incident", "police_event", "dialogue"}


def municipality(code: str):
    return Municipality.objects.filter(code=code).first()


def _published_links(kommun, year: int) -> list[dict]:
    """Links problem → commitment in the latest published agreement version of the year."""
    through = Problem.commitments.through
    rows = list(
        through.objects.filter(
            commitment__municipality=kommun,
            commitment__version__status="published",
            commitment__version__agreement__period_start__year=year,
        ).values(
            "problem_id",
            "commitment__ref",
            "commitment__text",
            "commitment__position",
            "commitment__section__position",
            "commitment__version__number",
            "commitment__version__title",
        )
    )
    if not rows:
        return []
    latest = max(r["commitment__version__number"] for r in rows)
    return [r for r in rows if r["commitment__version__number"] == latest]


def _public_evidence(item: dict) -> dict:
    count = item.get("count")
    small = item["kind"] in SMALL_COUNT_KINDS and isinstance(count, int) and is_small(count)
    label = item["label"]
    if small:
        label = _("%(kind)s: fewer than 5") % {"kind": item.get("kind_label") or item["kind"]}
    return {
        "kind": item["kind"],
        "kind_label": item.get("kind_label")
        or str(dict(EvidenceKind.choices).get(item["kind"], item["kind"])),
        "label": label,
        "source": item.get("source", ""),
        "as_of": item.get("as_of", ""),
        "example": item.get("example", False),
    }


def _frozen_problems(kommun, problem_ids) -> dict[int, tuple[dict, LagesbildVersion]]:
    """The newest frozen text of each problem, with the version it comes from."""
    found: dict[int, tuple[dict, LagesbildVersion]] = {}
    versions = (
        LagesbildVersion.objects.filter(municipality=kommun, lagesbild__problems__in=problem_ids)
        .distinct()
        .select_related("lagesbild")
        .order_by("-frozen_at", "-number")
    )
    for version in versions:
        for problem in version.content.get("problems", []):
            if problem["id"] in problem_ids and problem["id"] not in found:
                found[problem["id"]] = (problem, version)
    return found


def public_chain(kommun, year: int) -> dict | None:
    """None when no published agreement of that year links an approved problem."""
    links = _published_links(kommun, year)
    if not links:
        return None
    problem_ids = {r["problem_id"] for r in links}
    frozen = _frozen_problems(kommun, problem_ids)
    chain = []
    for pid, (problem, version) in frozen.items():
        commitments = sorted(
            (r for r in links if r["problem_id"] == pid),
            key=lambda r: (r["commitment__section__position"], r["commitment__position"]),
        )
        chain.append(
            {
                "rank": problem["rank"],
                "title": problem["title"],
                "behaviour": problem["behaviour"],
                "place": problem["place"],
                "time": problem["time"],
                "affected": problem.get("affected", ""),
                "evidence": [_public_evidence(e) for e in problem["evidence"]],
                "commitments": [
                    {"ref": r["commitment__ref"], "text": r["commitment__text"]}
                    for r in commitments
                ],
                "lagesbild": {
                    "title": version.content["title"],
                    "version": version.number,
                    "frozen_at": version.frozen_at,
                    "period": version.content["period"],
                },
                "example": any(e.get("example") for e in problem["evidence"])
                or version.content.get("example_data", False),
            }
        )
    if not chain:
        return None
    chain.sort(key=lambda p: p["rank"])
    return {
        "title": links[0]["commitment__version__title"],
        "version": links[0]["commitment__version__number"],
        "problems": chain,
        "example": any(p["example"] for p in chain),
    }


def has_public_chain(code: str, year: int) -> bool:
    """One query (the public agreement page keeps a fixed query count)."""
    return Problem.commitments.through.objects.filter(
        commitment__municipality__code=code,
        commitment__version__status="published",
        commitment__version__agreement__period_start__year=year,
    ).exists()

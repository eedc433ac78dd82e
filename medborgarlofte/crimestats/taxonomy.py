"""The crime-category taxonomy: loading it and matching names to it."""

import csv
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "categories.csv"


def read_taxonomy() -> list[dict]:
    """Rows of data/categories.csv: slug, code, name, parent, legal_reference, aliases, composite, description."""
    with DATA_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_taxonomy(CrimeCategory) -> int:
    """Create or update every category of the shipped taxonomy. Idempotent."""
    rows = read_taxonomy()
    has_code = any(field.name == "code" for field in CrimeCategory._meta.get_fields())
    by_slug = {}
    for position, row in enumerate(rows):
        extra = {"code": row.get("code", "")} if has_code else {}
        category, _ = CrimeCategory.objects.update_or_create(
            slug=row["slug"],
            defaults={
                **extra,
                "name": row["name"],
                "legal_reference": row.get("legal_reference", ""),
                "description": row.get("description", ""),
                "aliases": [a.strip() for a in row.get("aliases", "").split("|") if a.strip()],
                "composite": row.get("composite", "").strip() in {"1", "true", "yes"},
                "position": position,
                "parent": by_slug.get(row.get("parent") or ""),
            },
        )
        by_slug[row["slug"]] = category
    return len(rows)


def normalise(name: str) -> str:
    return " ".join(name.casefold().split())


def match_category(name: str, categories=None):
    """The taxonomy category a free-text name refers to, or None ("not linked to statistics")."""
    from .models import CrimeCategory

    wanted = normalise(name)
    if categories is None:
        categories = CrimeCategory.objects.all()
    for category in categories:
        if normalise(category.name) == wanted or wanted in {normalise(a) for a in category.aliases}:
            return category
    for category in categories:
        if getattr(category, "code", "") and normalise(category.code) == wanted:
            return category
    return None


__all__ = ["read_taxonomy", "load_taxonomy", "match_category"]

"""Loading the kommun reference data shipped in kommuner/data/ (used by a data migration)."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
POPULATION_SOURCE = "SCB, folkmängd per kommun november 2024"

# Lokalpolisområde of the reference customer; other kommuner get theirs from an admin.
KNOWN_POLICE_AREAS = {"0642": ("Södra Vätterbygden", "Region Syd")}


def read_kommuner() -> list[dict]:
    with (DATA_DIR / "kommuner.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_population() -> dict[str, int]:
    with (DATA_DIR / "population_2024.csv").open(encoding="utf-8", newline="") as fh:
        return {row["kommun_kod"]: int(row["population"]) for row in csv.DictReader(fh)}


def load_reference_data(County, Municipality, Population) -> int:
    """Create or update counties, kommuner and the 2024 population. Idempotent."""
    population = read_population()
    count = 0
    for row in read_kommuner():
        county, _ = County.objects.update_or_create(
            code=row["county_code"], defaults={"name": row["county_name"]}
        )
        area, region = KNOWN_POLICE_AREAS.get(row["municipality_code"], ("", ""))
        municipality, _ = Municipality.objects.update_or_create(
            code=row["municipality_code"],
            defaults={
                "name": row["municipality_name"],
                "county": county,
                **({"police_area": area, "police_region": region} if area else {}),
            },
        )
        if row["municipality_code"] in population:
            Population.objects.update_or_create(
                municipality=municipality,
                year=2024,
                defaults={
                    "population": population[row["municipality_code"]],
                    "source": POPULATION_SOURCE,
                },
            )
        count += 1
    return count

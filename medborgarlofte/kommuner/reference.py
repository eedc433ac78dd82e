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


# --- SKR's kommungruppsindelning (peer comparison, crimestats/peers.py) ------------------

KOMMUNGRUPP_SOURCE = "SKR, kommungruppsindelning 2023"
KOMMUNGRUPP_CODE_COLUMNS = ("kommunkod", "kommun_kod", "municipality_code", "kod", "code")
KOMMUNGRUPP_GROUP_COLUMNS = ("gruppkod", "kommungrupp", "grupp", "group")


class KommungruppFileError(ValueError):
    """The kommungrupp file cannot be used; the message lists every problem."""


def parse_kommungrupper(text: str, known_codes, groups) -> dict[str, str]:
    """{kommunkod: group code} from a CSV (comma or semicolon) with a kommun code column
    (Kommunkod, municipality_code …) and a group column (Gruppkod: A1 … C9; a value
    like "C9 Landsbygdskommun med besöksnäring" is read by its code). Every problem is
    collected; any problem refuses the whole file."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines:
        raise KommungruppFileError("the file is empty")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header = [h.strip().casefold() for h in next(reader)]
    code_col = next((header.index(c) for c in KOMMUNGRUPP_CODE_COLUMNS if c in header), None)
    group_col = next((header.index(c) for c in KOMMUNGRUPP_GROUP_COLUMNS if c in header), None)
    if code_col is None or group_col is None:
        raise KommungruppFileError(
            "line 1: needs a kommun code column (Kommunkod) and a group column (Gruppkod)"
        )
    out: dict[str, str] = {}
    problems = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        code = cells[code_col].strip().zfill(4) if len(cells) > code_col else ""
        group = (
            (cells[group_col].strip().split() or [""])[0].upper() if len(cells) > group_col else ""
        )
        if code not in known_codes:
            problems.append(f"line {line}: unknown kommun code {code!r}")
        elif group not in groups:
            problems.append(f"line {line}: unknown kommungrupp {group!r}")
        elif code in out and out[code] != group:
            problems.append(f"line {line}: kommun {code} given twice")
        else:
            out[code] = group
    if problems:
        raise KommungruppFileError("; ".join(problems))
    return out


def load_kommungrupper(Municipality, groups: dict[str, str], source: str) -> int:
    """Set each listed kommun's group and source; the others are left as they are."""
    count = 0
    for code, group in groups.items():
        count += Municipality.objects.filter(code=code).update(
            kommungrupp=group, kommungrupp_source=source
        )
    return count

"""Writes the two fixtures of Brå's yearly file "Anmälda brott i kommunerna" from the
kommun reference data (kommuner/data/), with deterministic counts (expected_counts()).

    .venv/bin/python medborgarlofte/crimestats/tests/data/make_bra_yearly.py

bra_yearly_2024.csv: the 2023-and-later layout (UTF-8 with BOM, `;`, CRLF, header,
"Hela landet", space and no-break space between thousands).
bra_yearly_2021.csv: the 2021 layout (no header, genitive "Arjeplogs kommun", en dash in
"Malung–Sälens kommun", "… stad", "Region Gotland", Stockholm's districts mixed in).
"""

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parents[2] / "kommuner" / "data"
CITIES = {
    "Stockholm",
    "Göteborg",
    "Malmö",
    "Helsingborg",
    "Landskrona",
    "Solna",
    "Vaxholm",
    "Lidingö",
    "Sundbyberg",
    "Haparanda",
    "Mölndal",
    "Trollhättan",
    "Västerås",
}
DISTRICTS = [
    "Rinkeby-Kista",
    "Spånga-Tensta",
    "Hässelby-Vällingby",
    "Bromma",
    "Kungsholmen",
    "Norrmalm",
    "Östermalm",
    "Södermalm",
    "Enskede-Årsta-Vantör",
    "Skarpnäck",
    "Farsta",
    "Hägersten-Älvsjö",
    "Skärholmen",
]


def kommuner() -> list[tuple[str, str, int]]:
    with (REFERENCE / "kommuner.csv").open(encoding="utf-8", newline="") as fh:
        names = [(r["municipality_code"], r["municipality_name"]) for r in csv.DictReader(fh)]
    with (REFERENCE / "population_2024.csv").open(encoding="utf-8", newline="") as fh:
        population = {r["kommun_kod"]: int(r["population"]) for r in csv.DictReader(fh)}
    return [(code, name, population[code]) for code, name in names]


def expected_counts(year: int) -> dict[str, int]:
    """kommunkod → count: a rate of 5 000–14 999 per 100 000 that depends on code and year."""
    return {
        code: population * (5000 + (int(code) * 37 + year) % 10000) // 100000
        for code, _name, population in kommuner()
    }


def grouped(number: int, separator: str = " ") -> str:
    return f"{number:,}".replace(",", separator)


def genitive(name: str) -> str:
    if name == "Gotland":
        return "Region Gotland"
    if name == "Falun":
        return "Falu kommun"
    name = name.replace("-", "\u2013") if name == "Malung-Sälen" else name
    suffix = "stad" if name in CITIES else "kommun"
    if name[-1] in "sxz" or name[-1].lower() in "aeiouyåäö":
        return f"{name} {suffix}"
    return f"{name}s {suffix}"


def layout_2023(year: int) -> bytes:
    counts = expected_counts(year)
    rows = kommuner()
    total = sum(counts.values())
    people = sum(p for _c, _n, p in rows)
    lines = [
        "Kommun;Antal;Per 100 000 inv.",
        f"Hela landet;{grouped(total)};{grouped(total * 100000 // people)}",
    ]
    for index, (code, name, population) in enumerate(sorted(rows, key=lambda r: r[1])):
        sep = "\u00a0" if index % 3 == 0 else " "
        rate = counts[code] * 100000 // population
        lines.append(f"{name};{grouped(counts[code], sep)};{grouped(rate, sep)}")
    return "\ufeff".encode() + ("\r\n".join(lines) + "\r\n").encode("utf-8")


def layout_2021(year: int) -> bytes:
    counts = expected_counts(year)
    lines = []
    for code, name, population in kommuner():
        rate = counts[code] * 100000 // population
        lines.append(f"{genitive(name)};{counts[code]};{rate}")
        if name == "Stockholm":
            lines.extend(f"{d};{(i + 3) * 1111};{(i + 7) * 1000}" for i, d in enumerate(DISTRICTS))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


if __name__ == "__main__":
    (HERE / "bra_yearly_2024.csv").write_bytes(layout_2023(2024))
    (HERE / "bra_yearly_2021.csv").write_bytes(layout_2021(2021))

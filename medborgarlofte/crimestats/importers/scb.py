"""SCB population per kommun and year: PxWeb v1 JSON, PxWeb v2 JSON-stat2, or a simple CSV.

Values are summed over the other variables (e.g. Kön 1 + 2); when Ålder is present
only its total `tot` is used. Rows for Riket ("00") and län (two digits) are skipped.
The simple CSV has the columns `kommunkod, år, folkmängd` (comma or semicolon).
"""

import csv
import io
import json

from django.utils.translation import gettext as _

from . import ImportFileError, ProblemList, decode_text, kommun_index
from .numbers import parse_count

TOTAL_CODES = {"tot", "totalt", "tot1"}


def parse_population(data: bytes, name: str) -> list[tuple]:
    """Rows (kommunkod, year, population)."""
    text = decode_text(data, name)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError.single(
                name, exc.lineno, exc.colno, _("not valid JSON: %(error)s") % {"error": exc.msg}
            ) from None
        if isinstance(document, dict) and "columns" in document and "data" in document:
            cells = _pxweb_v1(document, name)
        elif isinstance(document, dict) and "dimension" in document and "value" in document:
            cells = _jsonstat2(document, name)
        else:
            raise ImportFileError.single(name, 1, None, _("neither PxWeb v1 JSON nor JSON-stat2"))
        return _sum(cells, name)
    return _csv(text, name)


def _keep(dims: dict[str, str]) -> bool:
    for code, value in dims.items():
        if code.casefold() in {"alder", "ålder"} and value.casefold() not in TOTAL_CODES:
            return False
    return True


def _pxweb_v1(document, name):
    columns = document["columns"]
    keys = [c for c in columns if c.get("type") != "c"]
    region = next((i for i, c in enumerate(keys) if c["code"].casefold() == "region"), None)
    time = next((i for i, c in enumerate(keys) if c.get("type") == "t" or c["code"] == "Tid"), None)
    if region is None or time is None:
        raise ImportFileError.single(
            name, None, "columns", _("the table needs the variables Region and Tid")
        )
    for entry in document["data"]:
        dims = {keys[i]["code"]: v for i, v in enumerate(entry["key"])}
        if _keep(dims):
            yield entry["key"][region], entry["key"][time], entry["values"][0], "data"


def _jsonstat2(document, name):
    ids, sizes, dims = document["id"], document["size"], document["dimension"]
    if "Region" not in ids or "Tid" not in ids:
        raise ImportFileError.single(
            name, None, "id", _("the table needs the variables Region and Tid")
        )
    codes = []
    for dim in ids:
        index = dims[dim]["category"]["index"]
        ordered = sorted(index, key=index.get) if isinstance(index, dict) else list(index)
        codes.append(ordered)
    values = document["value"]
    for flat, value in enumerate(values):
        coords, rest = [], flat
        for size in reversed(sizes):
            coords.append(rest % size)
            rest //= size
        coords.reverse()
        chosen = {dim: codes[i][coords[i]] for i, dim in enumerate(ids)}
        if _keep(chosen):
            yield chosen["Region"], chosen["Tid"], value, f"value[{flat}]"


def _sum(cells, name) -> list[tuple]:
    _names, codes = kommun_index()
    problems = ProblemList(name)
    totals: dict[tuple, int] = {}
    for region, year, value, where in cells:
        if region not in codes:
            continue
        try:
            number = parse_count(value)
            year_int = int(str(year)[:4])
        except ValueError as exc:
            problems.add(None, where, str(exc))
            continue
        if number is not None:
            totals[(region, year_int)] = totals.get((region, year_int), 0) + number
    problems.raise_if_any()
    if not totals:
        raise ImportFileError.single(name, None, None, _("no population figures for any kommun"))
    return [(code, year, value) for (code, year), value in sorted(totals.items())]


HEADERS = {
    "kommunkod": "code",
    "municipality_code": "code",
    "kommun_kod": "code",
    "region": "code",
    "år": "year",
    "ar": "year",
    "year": "year",
    "folkmängd": "population",
    "folkmangd": "population",
    "population": "population",
}


def _csv(text, name) -> list[tuple]:
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = [HEADERS.get(c.strip().casefold(), "") for c in rows[0]]
    problems = ProblemList(name)
    if not {"code", "year", "population"} <= set(header):
        problems.add(1, None, _("the header must have the columns kommunkod, år, folkmängd"))
        problems.raise_if_any()
    col = {key: header.index(key) for key in ("code", "year", "population")}
    _names, codes = kommun_index()
    out = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        cells = {key: (row[i].strip() if i < len(row) else "") for key, i in col.items()}
        if cells["code"] not in codes:
            if len(cells["code"]) != 4:
                continue  # Riket and län
            problems.add(
                line_no, "kommunkod", _("unknown kommunkod: %(code)s") % {"code": cells["code"]}
            )
            continue
        try:
            year = int(cells["year"])
            population = parse_count(cells["population"])
        except ValueError as exc:
            problems.add(line_no, "folkmängd", str(exc))
            continue
        if population is not None:
            out.append((cells["code"], year, population))
    problems.raise_if_any()
    return out

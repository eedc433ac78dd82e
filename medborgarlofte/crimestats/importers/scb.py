"""SCB population per kommun and year: PxWeb v1 JSON, PxWeb v2 JSON-stat2, or a simple CSV.

Values are summed over the other variables (e.g. Kön 1 + 2); when Ålder is present
only its total `tot` is used. Rows for Riket ("00") and län (two digits) are skipped.
The simple CSV has the columns `kommunkod, år, folkmängd` (comma or semicolon).
"""

import math

from django.utils.translation import gettext as _

from medborgarlofte.importing.tables import header_columns, read_table

from . import ImportFileError, ProblemList, check_file, decode_text, kommun_index, load_json
from .numbers import parse_count

TOTAL_CODES = {"tot", "totalt", "tot1"}
MAX_POPULATION = 20_000_000  # a kommun; twice Sweden, and within the database's integers


def _year(text: str) -> int:
    """A year 1900–2100 (ValueError otherwise)."""
    value = str(text).strip()
    if not (len(value) == 4 and value.isascii() and value.isdigit() and 1900 <= int(value) <= 2100):
        raise ValueError(_("no such year: %(text)s") % {"text": value})
    return int(value)


def parse_population(data: bytes, name: str, *, limits=None) -> list[tuple]:
    """Rows (kommunkod, year, population)."""
    check_file(data, name, {"csv", "json"}, limits)
    text = decode_text(data, name)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        document = load_json(text, name)
        if isinstance(document, dict) and "columns" in document and "data" in document:
            cells = _pxweb_v1(document, name)
        elif isinstance(document, dict) and "dimension" in document and "value" in document:
            cells = _jsonstat2(document, name)
        else:
            raise ImportFileError.single(name, 1, None, _("neither PxWeb v1 JSON nor JSON-stat2"))
        return _sum(cells, name)
    return _csv(data, name, limits)


def _keep(dims: dict[str, str]) -> bool:
    for code, value in dims.items():
        if code.casefold() in {"alder", "ålder"} and value.casefold() not in TOTAL_CODES:
            return False
    return True


def _pxweb_v1(document, name):
    columns, data = document["columns"], document["data"]
    if not isinstance(columns, list) or not all(
        isinstance(c, dict) and isinstance(c.get("code"), str) for c in columns
    ):
        raise ImportFileError.single(
            name, None, "columns", _("expected a list of variables, each with a “code”")
        )
    if not isinstance(data, list):
        raise ImportFileError.single(name, None, "data", _("expected a list"))
    keys = [c for c in columns if c.get("type") != "c"]
    region = next((i for i, c in enumerate(keys) if c["code"].casefold() == "region"), None)
    time = next((i for i, c in enumerate(keys) if c.get("type") == "t" or c["code"] == "Tid"), None)
    if region is None or time is None:
        raise ImportFileError.single(
            name, None, "columns", _("the table needs the variables Region and Tid")
        )
    for index, entry in enumerate(data):
        key = entry.get("key") if isinstance(entry, dict) else None
        values = entry.get("values") if isinstance(entry, dict) else None
        if not (
            isinstance(key, list)
            and len(key) == len(keys)
            and all(isinstance(code, str) for code in key)
            and isinstance(values, list)
            and values
        ):
            raise ImportFileError.single(
                name,
                None,
                f"data[{index}]",
                _("expected “key” with one code per variable and a list “values”"),
            )
        dims = {keys[i]["code"]: v for i, v in enumerate(key)}
        if _keep(dims):
            yield key[region], key[time], values[0], f"data[{index}]"


def _category_codes(dimension) -> list | None:
    """The category codes of a JSON-stat2 dimension in index order; None if malformed."""
    category = dimension.get("category") if isinstance(dimension, dict) else None
    index = category.get("index") if isinstance(category, dict) else None
    if isinstance(index, list) and all(isinstance(code, str) for code in index):
        return list(index)
    if isinstance(index, dict):
        positions = list(index.values())
        if all(type(p) is int for p in positions) and sorted(positions) == list(
            range(len(positions))
        ):
            return sorted(index, key=index.get)
    return None


def _jsonstat2(document, name):
    ids, sizes, dims, values = (document.get(k) for k in ("id", "size", "dimension", "value"))
    if not (
        isinstance(ids, list)
        and all(isinstance(dim, str) for dim in ids)
        and isinstance(sizes, list)
        and len(sizes) == len(ids)
        and all(type(size) is int and size > 0 for size in sizes)
        and isinstance(dims, dict)
        and isinstance(values, list)
    ):
        raise ImportFileError.single(
            name,
            None,
            "id",
            _("not JSON-stat2: “id”, “size”, “dimension” and “value” do not agree"),
        )
    if "Region" not in ids or "Tid" not in ids:
        raise ImportFileError.single(
            name, None, "id", _("the table needs the variables Region and Tid")
        )
    codes = []
    for dim, size in zip(ids, sizes, strict=True):
        ordered = _category_codes(dims.get(dim))
        if ordered is None or len(ordered) != size:
            raise ImportFileError.single(
                name,
                None,
                f"dimension.{dim}",
                _("expected %(size)s categories with an index") % {"size": size},
            )
        codes.append(ordered)
    if len(values) > math.prod(sizes):
        raise ImportFileError.single(
            name, None, "value", _("more values than the sizes of the variables allow")
        )
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
            number = parse_count(value, maximum=MAX_POPULATION)
            year_int = _year(str(year)[:4])
        except ValueError as exc:
            problems.add(None, where, str(exc))
            continue
        if number is not None:
            totals[(region, year_int)] = totals.get((region, year_int), 0) + number
    for (region, year), total in totals.items():
        if total > MAX_POPULATION:
            problems.add(
                None,
                None,
                _("a count above %(max)s is not plausible: %(text)s")
                % {"max": MAX_POPULATION, "text": f"{region} {year}: {total}"},
            )
    problems.raise_if_any()
    if not totals:
        raise ImportFileError.single(name, None, None, _("no population figures for any kommun"))
    return [(code, year, value) for (code, year), value in sorted(totals.items())]


ALIASES = {
    "code": {"kommunkod", "municipality_code", "kommun_kod", "region"},
    "year": {"år", "ar", "year"},
    "population": {"folkmängd", "folkmangd", "population"},
}


def _csv(data, name, limits) -> list[tuple]:
    table = read_table(data, name, kinds={"csv"}, limits=limits, error=ImportFileError)
    col, _unknown = header_columns(table.header, ALIASES)
    problems = ProblemList(name)
    if len(col) < len(ALIASES):
        problems.add(
            table.header_line, None, _("the header must have the columns kommunkod, år, folkmängd")
        )
        problems.raise_if_any()
    _names, codes = kommun_index()
    out, seen = [], {}
    for line_no, row in table.rows:
        cells = {key: row[i] for key, i in col.items()}
        if cells["code"] not in codes:
            if len(cells["code"]) != 4:
                continue  # Riket and län
            problems.add(
                line_no, "kommunkod", _("unknown kommunkod: %(code)s") % {"code": cells["code"]}
            )
            continue
        try:
            year = _year(cells["year"])
            population = parse_count(cells["population"], maximum=MAX_POPULATION)
        except ValueError as exc:
            problems.add(line_no, "folkmängd", str(exc))
            continue
        again = _("the same kommun and period again (first on line %(line)s)")
        if problems.repeated(seen, (cells["code"], year), line_no, "kommunkod", again):
            continue
        if population is not None:
            out.append((cells["code"], year, population))
    problems.raise_if_any()
    return out

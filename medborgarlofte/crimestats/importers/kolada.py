"""Kolada API v3: a small client (fetch) and a parser for saved responses.

A response is `{"values": [{"kpi", "municipality", "period", "values": [{"gender",
"value", "status", "count"}]}], "next_url": …}`. We keep the total row (gender "T"),
which every item must have, and the rows for women ("K") and men ("M") when Kolada
has them; `null` values stay missing (never 0), and skip ids that are not one of the
290 kommuner (Riket "0000", regions, groups "G…"). A saved file may hold one response
or a list of responses (the pages of one query).
"""

import json
import math
import urllib.parse
import urllib.request

from django.utils.translation import gettext as _

from . import ProblemList, check_file, decode_text, kommun_index, load_json

BASE_URL = "https://api.kolada.se/v3"
MAX_IDS_PER_REQUEST = 25
MAX_KPI_LENGTH = 20  # KpiValue.kpi
MAX_STATUS_LENGTH = 40  # KpiValue.status


def data_url(kpis: list[str], municipalities: list[str], years: list[int]) -> str:
    parts = [
        "data/kpi/" + ",".join(kpis),
        *(["municipality/" + ",".join(municipalities)] if municipalities else []),
        *(["year/" + ",".join(str(y) for y in years)] if years else []),
    ]
    return f"{BASE_URL}/{'/'.join(parts)}"


def fetch(kpis, municipalities, years, *, opener=urllib.request.urlopen, timeout=30) -> list[dict]:
    """Every page of the answer (following next_url / next_page). Needs the network."""
    pages = []
    for start in range(0, len(kpis), MAX_IDS_PER_REQUEST):
        url = data_url(kpis[start : start + MAX_IDS_PER_REQUEST], municipalities, years)
        while url:
            request = urllib.request.Request(url, headers={"Accept": "application/json"})
            with opener(request, timeout=timeout) as response:
                page = json.loads(response.read().decode("utf-8"))
            pages.append(page)
            url = page.get("next_url") or page.get("next_page")
            if url and not urllib.parse.urlparse(url).netloc.endswith("kolada.se"):
                raise ValueError(f"refusing to follow a paging link outside kolada.se: {url}")
    return pages


GENDERS = ("T", "K", "M")


def parse_kolada(data: bytes, name: str, *, limits=None) -> list[tuple]:
    """Rows (kommunkod, kpi, year, value or None, status, gender) from saved responses."""
    check_file(data, name, {"json"}, limits)
    text = decode_text(data, name)
    document = load_json(text, name)
    pages = document if isinstance(document, list) else [document]
    _names, codes = kommun_index()
    problems = ProblemList(name)
    out, seen = [], set()
    for page_no, page in enumerate(pages, start=1):
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            problems.add(None, f"[{page_no}]", _("expected an object with a list “values”"))
            continue
        for index, item in enumerate(page["values"]):
            for row in _item(item, f"[{page_no}].values[{index}]", codes, problems):
                key = (*row[:3], row[5])
                if key not in seen:
                    seen.add(key)
                    out.append(row)
    problems.raise_if_any()
    return out


def _year(value) -> int | None:
    """A Kolada period: a year 1900–2100 as a number or a string of four digits."""
    if isinstance(value, str) and len(value) == 4 and value.isascii() and value.isdigit():
        value = int(value)
    if type(value) is not int or not 1900 <= value <= 2100:
        return None
    return value


def _number(value) -> float | None:
    """A finite number; None for anything else (NaN, infinity, booleans, text)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _item(item, path, codes, problems) -> list[tuple]:
    fields = item if isinstance(item, dict) else {}
    kpi, municipality, values = fields.get("kpi"), fields.get("municipality"), fields.get("values")
    year = _year(fields.get("period"))
    if kpi is None or municipality is None or year is None or not isinstance(values, list):
        problems.add(None, path, _("expected kpi, municipality, period and values"))
        return []
    kpi, municipality = str(kpi), str(municipality)
    if municipality not in codes:
        return []  # Riket, regions and groups share the id space
    if not 0 < len(kpi) <= MAX_KPI_LENGTH or "\x00" in kpi:
        problems.add(None, path + ".kpi", _("not a Kolada key figure: %(text)s") % {"text": kpi})
        return []
    by_gender = {}
    for entry in values:
        if isinstance(entry, dict) and entry.get("gender") in GENDERS:
            by_gender.setdefault(entry["gender"], entry)
    if "T" not in by_gender:
        problems.add(
            None,
            path,
            _("no total row (gender T) for %(kpi)s %(code)s %(year)s")
            % {"kpi": kpi, "code": municipality, "year": year},
        )
        return []
    rows = []
    for gender in GENDERS:
        entry = by_gender.get(gender)
        if entry is None:
            continue
        value = entry.get("value")
        if value is not None and _number(value) is None:
            problems.add(None, path + ".value", _("not a number: %(text)s") % {"text": value})
            return []
        status = str(entry.get("status") or "")[:MAX_STATUS_LENGTH]
        if "\x00" in status:
            problems.add(None, path + ".status", _("must not contain NUL characters"))
            return []
        number = None if value is None else _number(value)
        rows.append((municipality, kpi, year, number, status, gender))
    return rows

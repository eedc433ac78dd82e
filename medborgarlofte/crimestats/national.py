"""Fetching national statistics and importing them: Kolada KPIs, SCB population (PxWeb)
and Brå's yearly kommun file. Used by `fetch_national_data` (lagesbild) and nothing else.

Every function takes the HTTP layer as a parameter, `fetch(url, headers, body=None) →
(status, bytes)`, so tests never open a socket. Each import goes through the importers'
writers: one transaction, one ImportRun, and a response whose SHA-256 was imported before
changes nothing (a rerun after a failure resumes where it stopped).
"""

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.utils.translation import gettext as _

from .importers.bra_yearly import parse_bra_yearly
from .importers.kolada import MAX_IDS_PER_REQUEST, data_url, parse_kolada
from .importers.scb import parse_population
from .importers.writing import write_kpi_values, write_population, write_statistics

USER_AGENT = "Medborgarlofte/1.0 (national statistics; https://github.com/medborgarlofte)"
SCB_SOURCE = "SCB, folkmängd 31 december"


class FetchFailed(Exception):
    """A source could not be fetched (HTTP status, network, a refusing answer)."""


def urllib_fetch(url: str, headers: dict, body: bytes | None = None, timeout: float = 60.0):
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (https URLs from settings)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except (OSError, ValueError) as exc:
        raise FetchFailed(f"{url}: {exc}") from exc


def _get(fetch, url: str, *, body: bytes | None = None, accept="application/json") -> bytes:
    headers = {"User-Agent": USER_AGENT, "Accept": accept}
    if body is not None:
        headers["Content-Type"] = "application/json"
    status, data = fetch(url, headers, body)
    if status != 200:
        raise FetchFailed(_("HTTP %(status)s for %(url)s") % {"status": status, "url": url})
    return data


def fetch_kolada(year: int, *, fetch=urllib_fetch, kpis=None, user=None):
    """Every page of the configured KPIs for all kommuner and `year`, imported as one file."""
    kpis = list(kpis if kpis is not None else settings.NATIONAL_KOLADA_KPIS)
    if not kpis:
        return None
    pages = []
    for start in range(0, len(kpis), MAX_IDS_PER_REQUEST):
        url = data_url(kpis[start : start + MAX_IDS_PER_REQUEST], [], [year])
        while url:
            page = json.loads(_get(fetch, url).decode("utf-8"))
            pages.append(page)
            url = page.get("next_url") or page.get("next_page") if isinstance(page, dict) else None
            if url and not urllib.parse.urlparse(url).netloc.endswith("kolada.se"):
                raise FetchFailed(f"refusing to follow a paging link outside kolada.se: {url}")
    data = json.dumps(pages, ensure_ascii=False, sort_keys=True).encode("utf-8")
    name = f"kolada-{'-'.join(kpis)}-{year}.json"[:300]
    rows = parse_kolada(data, name)
    return write_kpi_values(rows, data=data, file_name=name, user=user)


def scb_query(year: int) -> dict:
    """PxWeb v1 query: population 31 December per kommun (both sexes, summed by the parser)."""
    return {
        "query": [
            {"code": "Region", "selection": {"filter": "vs:RegionKommun07", "values": []}},
            {"code": "ContentsCode", "selection": {"filter": "item", "values": ["BE0101N1"]}},
            {"code": "Tid", "selection": {"filter": "item", "values": [str(year)]}},
        ],
        "response": {"format": "json"},
    }


def fetch_population(year: int, *, fetch=urllib_fetch, user=None):
    """SCB's population table (PxWeb v1, NATIONAL_SCB_POPULATION_URL) for `year`."""
    from medborgarlofte.kommuner.models import Municipality

    query = scb_query(year)
    query["query"][0]["selection"]["values"] = sorted(
        Municipality.objects.values_list("code", flat=True)
    )
    body = json.dumps(query).encode("utf-8")
    data = _get(fetch, settings.NATIONAL_SCB_POPULATION_URL, body=body)
    name = f"scb-folkmangd-{year}.json"
    rows = parse_population(data, name)
    return write_population(rows, data=data, file_name=name, source_label=SCB_SOURCE, user=user)


def fetch_bra_yearly(year: int, *, fetch=urllib_fetch, user=None):
    """Brå's yearly file from NATIONAL_BRA_YEARLY_URL (`{year}` replaced); None when unset."""
    template = settings.NATIONAL_BRA_YEARLY_URL
    if not template:
        return None
    url = template.replace("{year}", str(year))
    data = _get(fetch, url, accept="text/csv, */*")
    name = f"anmalda-brott-i-kommunerna-{year}.csv"
    parsed = parse_bra_yearly(data, name, year=year)
    result = write_statistics(parsed.rows, data=data, file_name=name, source="bra", user=user)
    if parsed.skipped:
        result.notes.append(
            _("Skipped (not kommuner): %(names)s") % {"names": ", ".join(parsed.skipped)}
        )
    return result

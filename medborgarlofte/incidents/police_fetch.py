"""Fetching Polisen's events API politely (see docs/formats/police-events.md).

The rules page asks for a User-Agent naming the application, HTTPS, at least 10 s
between calls, at most 60 calls an hour. fetch_police_events() waits until 10 s have
passed since the last recorded fetch (also across runs: the import runs are in the
database), and makes one call per county asked for. The HTTP function and the clock
are parameters, so tests never open a socket.

Since 2026 `location.name` is the county for almost every event; asking the API for a
kommun's name would miss them. We therefore ask for the kommun's county and let the
importer find the kommun in `name`.
"""

import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from medborgarlofte.kommuner.models import Municipality

from .models import PoliceImportRun
from .police_events import ImportResult, import_events

API_URL = "https://polisen.se/api/events"
USER_AGENT = "Medborgarlofte/1.0 (kommun-polis lägesbild; https://github.com/medborgarlofte)"
MIN_INTERVAL = 10.0


class FetchError(Exception):
    pass


def urllib_fetch(url: str, headers: dict, timeout: float = 30.0) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (https only)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def request_url(location_names: list[str]) -> str:
    if not location_names:
        return API_URL
    return f"{API_URL}?" + urllib.parse.urlencode({"locationname": ";".join(location_names)})


def counties_for(codes: list[str]) -> list[str]:
    names = []
    for code in codes:
        kommun = Municipality.objects.select_related("county").filter(code=code).first()
        if kommun is None:
            kommun = Municipality.objects.select_related("county").filter(name__iexact=code).first()
        if kommun is None:
            raise FetchError(_("unknown kommun: %(code)s") % {"code": code})
        if kommun.county.name not in names:
            names.append(kommun.county.name)
    return names


@dataclass
class FetchOutcome:
    urls: list = field(default_factory=list)
    results: list = field(default_factory=list)
    waited: float = 0.0


def _last_fetch_age(now: float) -> float | None:
    last = PoliceImportRun.objects.filter(fetched=True).order_by("-at").first()
    if last is None:
        return None
    return now - last.at.timestamp()


def fetch_police_events(
    kommuner: list[str] | None = None,
    *,
    fetch=urllib_fetch,
    sleep=time.sleep,
    clock=time.time,
    user=None,
) -> FetchOutcome:
    """One polite call per county (or one call for the whole country)."""
    groups = [[name] for name in counties_for(kommuner)] if kommuner else [[]]
    outcome = FetchOutcome()
    for group in groups:
        age = _last_fetch_age(clock())
        if age is not None and age < MIN_INTERVAL:
            sleep(MIN_INTERVAL - age)
            outcome.waited += MIN_INTERVAL - age
        url = request_url(group)
        status, body = fetch(url, {"User-Agent": USER_AGENT, "Accept": "application/json"})
        outcome.urls.append(url)
        if status == 429:
            raise FetchError(_("Polisen answered 429 (too many requests): try again later"))
        if status != 200:
            raise FetchError(
                _("Polisen answered HTTP %(status)s for %(url)s") % {"status": status, "url": url}
            )
        result: ImportResult = import_events(
            body, source=f"{url} {timezone.now():%Y-%m-%dT%H:%M:%S}", user=user, fetched=True
        )
        outcome.results.append(result)
    return outcome

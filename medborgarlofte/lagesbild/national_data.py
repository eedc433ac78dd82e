"""National data that arrives by itself: one run over Kolada, SCB, Polisen and Brå.

The lägesbild is where the national sources meet, so the run that fetches all of them
lives here (crimestats and incidents are independent of each other). Each source is
optional, imported through its own importer (an import run per source, idempotent by
content hash, so a rerun resumes where a failed run stopped), and a failure of one is
reported without stopping the others.
"""

import logging
import time
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from medborgarlofte.crimestats import national
from medborgarlofte.incidents import police_fetch

SOURCES = ("kolada", "scb", "polisen", "bra")
logger = logging.getLogger("medborgarlofte.national_data")
pause = time.sleep  # between calls to Polisen (its rules); tests replace it


@dataclass
class SourceOutcome:
    source: str
    ok: bool = True
    lines: list[str] = field(default_factory=list)
    error: str = ""


def default_year() -> int:
    """The last whole year: the one the publishers have figures for."""
    return timezone.localdate().year - 1


def _lines(result) -> list[str]:
    if result is None:
        return [_("not configured; skipped")]
    return result.summary_lines()


def _kolada(year, fetch, user, sleep):
    return _lines(national.fetch_kolada(year, fetch=fetch, user=user))


def _scb(year, fetch, user, sleep):
    return _lines(national.fetch_population(year, fetch=fetch, user=user))


def _bra(year, fetch, user, sleep):
    return _lines(national.fetch_bra_yearly(year, fetch=fetch, user=user))


def _polisen(year, fetch, user, sleep):
    from medborgarlofte.kommuner.models import Municipality

    # The kommuner in use: those with a coordinator or police user; none: the whole country.
    codes = sorted(
        Municipality.objects.filter(memberships__isnull=False)
        .values_list("code", flat=True)
        .distinct()
    )
    outcome = police_fetch.fetch_police_events(
        codes or None, fetch=lambda url, headers: fetch(url, headers, None), sleep=sleep, user=user
    )
    return [line for result in outcome.results for line in result.summary_lines()]


RUNNERS = {"kolada": _kolada, "scb": _scb, "polisen": _polisen, "bra": _bra}


def run(sources=SOURCES, *, year=None, fetch=None, user=None):
    """Fetch and import each source in turn; a list of outcomes, one per source. `fetch`
    is the HTTP layer (default: crimestats.national.urllib_fetch, looked up at call time)."""
    year = year or default_year()
    fetch = fetch or national.urllib_fetch
    sleep = pause
    outcomes = []
    for source in sources:
        outcome = SourceOutcome(source)
        try:
            outcome.lines = RUNNERS[source](year, fetch, user, sleep)
            logger.info("national data %s %s: %s", source, year, " ".join(outcome.lines))
        except Exception as exc:  # one source failing must not stop the others
            outcome.ok, outcome.error = False, str(exc) or exc.__class__.__name__
            logger.exception("national data %s %s failed", source, year)
        outcomes.append(outcome)
    return outcomes

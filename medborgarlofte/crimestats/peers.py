"""Peers: the kommun's rate beside the kommuner of its SKR kommungrupp (issue 15, item 5).

The kommungrupp comes from SKR's kommungruppsindelning, loaded into the kommun reference
data (kommuner/reference.py, `load_kommungrupper`). For each year the peers' rates (the
other kommuner of the group with a count and a population) give a median and a range;
the number of kommuner and their summed count stand beside them.
"""

import statistics
from dataclasses import dataclass

from medborgarlofte.kommuner.models import Kommungrupp

from . import analysis, queries
from .summary import CategorySummary, _fill_counts


@dataclass(frozen=True)
class PeerStat:
    median: float
    low: float
    high: float
    kommuner: int  # peers with both a count and a population that year
    count: int  # their reported crimes, added up


def peer_stat(counts: dict, populations: dict) -> PeerStat | None:
    """Median and range of the rates per 100 000 of the kommuner having both figures."""
    usable = [c for c in counts if counts[c] is not None and populations.get(c)]
    if not usable:
        return None
    rates = [analysis.rate(counts[c], populations[c]) for c in usable]
    return PeerStat(
        median=statistics.median(rates),
        low=min(rates),
        high=max(rates),
        kommuner=len(usable),
        count=sum(counts[c] for c in usable),
    )


def peer_rates(rows, category_id, source, peer_ids: dict, pops: dict, years) -> dict:
    """{year: PeerStat} from statistic rows of the peers (queries.statistic_rows)."""
    by_kommun = {}
    for code, pk in peer_ids.items():
        item = CategorySummary(name="", category=None)
        own = [r for r in rows if r[0] == pk and r[1] == category_id and r[6] == source]
        _fill_counts(item, own, years)
        by_kommun[code] = item.counts
    out = {}
    for year in years:
        stat = peer_stat(
            {code: counts.get(year) for code, counts in by_kommun.items()},
            {code: pops.get((code, year), (None,))[0] for code in by_kommun},
        )
        if stat is not None:
            out[year] = stat
    return out


def peer_comparison(summary) -> dict | None:
    """{"group", "label", "source", "kommuner", "by_category": {category pk: {year:
    PeerStat}}} for the summary's kommun, or None when it has no kommungrupp."""
    municipality = summary.municipality
    group = municipality.kommungrupp
    if not group:
        return None
    peer_ids = queries.kommuner_in_group(group, exclude=municipality.code)
    linked = [c for c in summary.categories if c.category is not None and c.counts]
    rows = queries.statistic_rows(
        list(peer_ids.values()),
        {c.category.pk for c in linked},
        summary.year_from,
        summary.year_to,
    )
    pops = queries.populations(summary.year_from, summary.year_to)
    return {
        "group": group,
        "label": Kommungrupp(group).label,
        "source": municipality.kommungrupp_source,
        "kommuner": len(peer_ids),
        "by_category": {
            c.category.pk: peer_rates(rows, c.category.pk, c.source, peer_ids, pops, summary.years)
            for c in linked
        },
    }

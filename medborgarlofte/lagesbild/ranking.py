"""The transparent ranking of problems (documented in docs/lagesbild.md).

For a problem with evidence items e, grouped by source type k (the evidence kind):

    s_k   = the largest strength (0–1) among the evidence of type k
    S     = Σ_k  w_k · s_k                      (weighted sum over source types)
    n     = the number of source types with evidence (independent sources)
    score = S × (1 + 0.5 · (n − 1))             (corroboration: each further source +50 %)

A problem without evidence scores 0. The page shows every term. Plain functions on
plain data: `components(items)` takes (kind, strength) pairs.
"""

from dataclasses import dataclass, field

WEIGHTS = {
    "statistic": 1.0,
    "survey": 1.0,
    "intelligence": 1.0,
    "dialogue": 0.8,
    "incident": 0.8,
    "police_event": 0.6,
    "programme": 0.4,
    "other": 0.4,
}
CORROBORATION = 0.5

# Strength of evidence entered by hand (no figure to compute it from).
MANUAL_STRENGTHS = {"low": 0.33, "medium": 0.67, "high": 1.0}


@dataclass
class Term:
    kind: str
    weight: float
    strength: float
    items: int

    @property
    def value(self) -> float:
        return round(self.weight * self.strength, 3)


@dataclass
class Score:
    terms: list[Term] = field(default_factory=list)

    @property
    def weighted_sum(self) -> float:
        return round(sum(term.value for term in self.terms), 3)

    @property
    def sources(self) -> int:
        return len(self.terms)

    @property
    def multiplier(self) -> float:
        return 1 + CORROBORATION * (self.sources - 1) if self.terms else 0.0

    @property
    def total(self) -> float:
        return round(self.weighted_sum * self.multiplier, 2)

    def as_dict(self) -> dict:
        return {
            "terms": [
                {
                    "kind": t.kind,
                    "weight": t.weight,
                    "strength": round(t.strength, 3),
                    "items": t.items,
                    "value": t.value,
                }
                for t in self.terms
            ],
            "weighted_sum": self.weighted_sum,
            "sources": self.sources,
            "multiplier": self.multiplier,
            "total": self.total,
        }


def clamp(value: float) -> float:
    return max(0.0, min(1.0, float(value)))


def components(items) -> Score:
    """items: iterable of (kind, strength). Returns the score with its terms."""
    best: dict[str, float] = {}
    counts: dict[str, int] = {}
    for kind, strength in items:
        kind = kind if kind in WEIGHTS else "other"
        best[kind] = max(best.get(kind, 0.0), clamp(strength))
        counts[kind] = counts.get(kind, 0) + 1
    order = list(WEIGHTS)
    terms = [
        Term(kind=k, weight=WEIGHTS[k], strength=best[k], items=counts[k])
        for k in sorted(best, key=order.index)
    ]
    return Score(terms=terms)


def score(items) -> float:
    return components(items).total


# --- Strength of a figure ------------------------------------------------------------
# Used by the source adapters (sources.py) when they offer a figure as evidence.


def statistic_strength(change_percent: float | None, significant: bool | None = None) -> float:
    """A rise of 50 % or more is full strength; a fall or no change is weak (0.1).
    Changes not shown to be significant count half (small kommuner swing by chance)."""
    if change_percent is None:
        return 0.3
    strength = clamp(change_percent / 50) if change_percent > 0 else 0.1
    if significant is False:
        strength /= 2
    return round(max(strength, 0.1), 3)


def survey_index_strength(index: float | None, normal: float = 1.5, act: float = 1.7) -> float:
    """Polisen's problem index 0–6: at or below `normal` 0.2; from `act` on 1.0; between 0.6."""
    if index is None:
        return 0.3
    if index >= act:
        return 1.0
    if index <= normal:
        return 0.2
    return 0.6


def share_strength(share: float | None, full: float = 0.25) -> float:
    """A share (0–1) of answers or dialogue entries; `full` and above is full strength."""
    if share is None:
        return 0.3
    return round(clamp(share / full), 3)

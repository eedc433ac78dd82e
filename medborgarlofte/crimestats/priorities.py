"""The priority crime categories of a kommun: shown first on the statistics pages.

They are the crime categories of the kommun's latest agreement version, and agreements
is a higher layer than crimestats (docs/decisions/0004-layers.md): the crimestats app
never imports it. Agreements registers a provider here in its ``AppConfig.ready``;
``build_summary`` also takes them as an argument. Without a provider (or an agreement)
the pages show the default categories (queries.DEFAULT_CATEGORY_SLUGS).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Priorities:
    """names: (name as written in the agreement, linked CrimeCategory or None);
    source: what they come from (the agreement version's title)."""

    names: list[tuple[str, object]] = field(default_factory=list)
    source: str = ""


Provider = Callable[[object], Priorities | None]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Called once by the app that owns the agreements (agreements/apps.py)."""
    if provider not in _providers:
        _providers.append(provider)


def priorities_for(municipality) -> Priorities | None:
    for provider in _providers:
        found = provider(municipality)
        if found is not None:
            return found
    return None

"""Last year's follow-up beside next year's draft, without agreements importing followup.

The follow-up app (a higher layer) registers a provider here in its ``AppConfig.ready``
(docs/decisions/0004-layers.md), like the commitment providers of the sources. Without a
provider nothing is shown.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class EarlierStatus:
    status: str  # CommitmentStatus.Status value
    label: str  # its display text
    explanation: str
    period: str  # the follow-up period's display text, e.g. "The whole year"


# provider(user, agreement) -> {commitment_ref: EarlierStatus}
Provider = Callable[[object, object], dict[str, EarlierStatus]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def statuses_for(user, agreement) -> dict[str, EarlierStatus]:
    found: dict[str, EarlierStatus] = {}
    for provider in _providers:
        for ref, status in provider(user, agreement).items():
            found.setdefault(ref, status)
    return found

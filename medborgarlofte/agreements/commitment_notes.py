"""Notes that higher layers put beside a commitment in the agreement editor.

The agreement editor shows, under a commitment, what other documents say about it
("serves measure 3 of Åtgärdsplan 2024–2026"). Those documents live in higher layers
(actionplans), which agreements may not import (docs/decisions/0004-layers.md). They
register a provider here in their ``AppConfig.ready``; the editor asks the registry.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    label: str  # e.g. "Serves measure Å3 of Åtgärdsplan 2024–2026 (version 1)"
    url: str  # the page of the other document, for the user asking


# provider(user, version) -> {commitment ref: [Note, ...]}
Provider = Callable[[object, object], dict[str, list[Note]]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def notes_for(user, version) -> dict[str, list[Note]]:
    """Every registered note for the commitments of an agreement version, by reference."""
    found: dict[str, list[Note]] = {}
    for provider in _providers:
        for ref, notes in provider(user, version).items():
            found.setdefault(ref, []).extend(notes)
    return found

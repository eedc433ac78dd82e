"""Commitments a meeting action may name, by reference: the incidents app knows nothing
of the citizen promise.

A meeting action stores the commitment's reference (``commitment_ref``, as follow-up
statuses do). The commitments themselves live in a higher layer (agreements), which
registers a provider here in its ``AppConfig.ready`` (docs/decisions/0004-layers.md).
Without a provider (agreements not installed) there is nothing to choose and a stored
reference is shown as it is.
"""

from collections.abc import Callable

# provider(user, municipality) -> {ref: (version title, commitment text)}, newest first
Provider = Callable[[object, object], dict[str, tuple[str, str]]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Called once by the app that owns the commitments (agreements/apps.py)."""
    if provider not in _providers:
        _providers.append(provider)


def commitments_for(user, municipality) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for provider in _providers:
        for ref, row in provider(user, municipality).items():
            found.setdefault(ref, row)
    return found


def choices(user, municipality) -> list[tuple[str, str]]:
    """(ref, label) pairs for the action form."""
    return [
        (ref, f"{title[:40]} – {text[:80]}")
        for ref, (title, text) in commitments_for(user, municipality).items()
    ]


def label_actions(user, municipality, actions) -> None:
    """Set ``commitment_label`` (the commitment's text, else its reference) on each action."""
    texts = None
    for action in actions:
        action.commitment_label = ""
        if action.commitment_ref:
            if texts is None:
                texts = commitments_for(user, municipality)
            found = texts.get(action.commitment_ref)
            action.commitment_label = found[1] if found else action.commitment_ref

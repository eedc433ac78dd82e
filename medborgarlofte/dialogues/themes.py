"""Theme tagging with a Swedish taxonomy (data/themes.csv).

Each theme lists keyword patterns on lower-cased words: `klotter` is the whole word,
`klott*` a prefix (klottret, klotterplank), `*klotter*` anywhere in a compound
(husväggsklotter), `*epa` a suffix. Patterns may hold several words
(`*bröt sig in*`). Exclusions discard a matched word (`*hotell*` is not a threat).
Themes map to crime categories (names from crimestats/data/categories.csv) and to a
focus-area hint. Measured on a labelled set: benchmarks/theme_tagging.py.
"""

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

THEMES_FILE = Path(__file__).parent / "data" / "themes.csv"
_WORD = re.compile(r"[0-9a-zåäöéüæø]+(?:-[0-9a-zåäöéüæø]+)*")


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    categories: tuple[str, ...]
    focus_area: str
    pattern: re.Pattern
    exclude: re.Pattern | None


def _pattern_regex(pattern: str) -> str:
    parts = [re.escape(piece) for piece in pattern.strip().lower().split("*")]
    return "(?<![^ ])" + "[^ ]*".join(parts) + "(?![^ ])"


def _compile(patterns: str) -> re.Pattern | None:
    items = [p for p in patterns.split("|") if p.strip()]
    if not items:
        return None
    return re.compile("|".join(f"(?:{_pattern_regex(p)})" for p in items))


@lru_cache(maxsize=1)
def load_themes() -> tuple[Theme, ...]:
    with THEMES_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple(
            Theme(
                key=row["key"],
                name=row["name"],
                categories=tuple(c for c in row["categories"].split("|") if c),
                focus_area=row["focus_area"],
                pattern=_compile(row["keywords"]),
                exclude=_compile(row["exclude"]),
            )
            for row in csv.DictReader(fh)
        )


def themes_by_key() -> dict[str, Theme]:
    return {theme.key: theme for theme in load_themes()}


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces (hyphenated words kept whole)."""
    return " ".join(_WORD.findall(text.lower()))


def _words_at(normalised: str, match: re.Match) -> str:
    start = normalised.rfind(" ", 0, match.start()) + 1
    end = normalised.find(" ", match.end())
    return normalised[start : end if end >= 0 else len(normalised)]


def matches(text: str) -> dict[str, list[str]]:
    """The words that made each theme match, by theme key."""
    normalised = normalise(text)
    found: dict[str, list[str]] = {}
    for theme in load_themes():
        for match in theme.pattern.finditer(normalised):
            words = _words_at(normalised, match)
            if theme.exclude is not None and any(
                theme.exclude.fullmatch(word) for word in words.split(" ")
            ):
                continue
            found.setdefault(theme.key, []).append(words)
    return found


def tag(text: str) -> list[str]:
    """The theme keys of a text, in taxonomy order."""
    found = matches(text)
    return [theme.key for theme in load_themes() if theme.key in found]

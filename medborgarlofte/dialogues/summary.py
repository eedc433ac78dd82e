"""The dialogue section of the lägesbild: plain data, no HTML.

    dialogue_section(municipality, start, end) -> dict

Counts of entries by source, and for every theme its count by source and by area,
with the crime categories and focus-area hint it maps to. Two indexed GROUP BY
queries over one kommun and period; cost grows with that kommun's entries only.
"""

from datetime import date

from django.db.models import Count, Max
from django.utils.translation import gettext as _

from .models import DialogueEntry, EntryTheme, Source
from .themes import load_themes


def _theme_rows(municipality, start, end) -> dict:
    grouped = (
        EntryTheme.objects.filter(municipality=municipality, date__range=(start, end))
        .values_list("theme", "source", "area")
        .annotate(count=Count("id"))
    )
    rows: dict[str, dict] = {}
    for theme, source, area, count in grouped:
        row = rows.setdefault(theme, {"count": 0, "by_source": {}, "by_area": {}})
        row["count"] += count
        row["by_source"][source] = row["by_source"].get(source, 0) + count
        area = area or ""
        row["by_area"][area] = row["by_area"].get(area, 0) + count
    return rows


def dialogue_section(municipality, start: date, end: date) -> dict:
    entries = DialogueEntry.objects.filter(municipality=municipality, date__range=(start, end))
    by_source = dict.fromkeys(Source.values, 0)
    example = False
    for source, is_example, count in (
        entries.values_list("source", "is_example").annotate(count=Count("id")).order_by()
    ):
        by_source[source] += count
        example = example or is_example
    total = sum(by_source.values())
    tagged = EntryTheme.objects.filter(
        municipality=municipality, date__range=(start, end)
    ).aggregate(entries=Count("entry", distinct=True))["entries"]
    counted = _theme_rows(municipality, start, end)
    themes = []
    for theme in load_themes():
        row = counted.get(theme.key)
        if row is None:
            continue
        themes.append(
            {
                "key": theme.key,
                "name": theme.name,
                "count": row["count"],
                "share": row["count"] / total if total else 0.0,
                "by_source": {key: row["by_source"].get(key, 0) for key in Source.values},
                "by_area": dict(sorted(row["by_area"].items(), key=lambda kv: (-kv[1], kv[0]))),
                "categories": list(theme.categories),
                "focus_area": theme.focus_area,
            }
        )
    themes.sort(key=lambda t: (-t["count"], t["name"]))
    dates = entries.aggregate(first=Max("date"))
    return {
        "available": total > 0,
        "start": start,
        "end": end,
        "total_entries": total,
        "untagged_entries": total - tagged,
        "by_source": by_source,
        "source_labels": {key: str(label) for key, label in Source.choices},
        "themes": themes,
        "areas": sorted({area for t in themes for area in t["by_area"]}),
        "latest_entry": dates["first"],
        "is_example": example,
        "source": _("Citizen dialogues, staff dialogues and the public form"),
    }

"""Adapters from the source apps to lägesbild sections. Every source is optional.

Each adapter returns a Section: a title, the source texts with dates, a table
(columns + rows of plain values), notes, and `candidates`: figures offered as
evidence for a problem, each with a strength (ranking.py) and the reason for it.
A source app that is not installed, has no summary function yet or has no data for
the kommun and period gives a section with `available = False` and the reason; a
source that fails is reported on the page instead of breaking it.

The police intelligence summary is NOT a source here: it is police-only and composed
separately (composition.py) through lagesbild.access, which logs every read.
"""

import importlib
import logging
from dataclasses import asdict, dataclass, field

from django.apps import apps
from django.db.models import Count
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from . import ranking

logger = logging.getLogger(__name__)


@dataclass
class Section:
    key: str
    title: str
    available: bool = False
    missing_reason: str = ""
    example: bool = False
    sources: list = field(default_factory=list)
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    candidates: list = field(default_factory=list)
    links: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def candidate(*, key, kind, source_app, label, strength, basis, source="", as_of="", **figure):
    """An evidence suggestion: what Evidence.snapshot will hold when it is linked."""
    return {
        "key": key,
        "kind": kind,
        "source_app": source_app,
        "source_key": key,
        "label": label,
        "strength": round(ranking.clamp(strength), 3),
        "strength_basis": basis,
        "source": source,
        "as_of": as_of,
        **figure,
    }


def _optional(module: str, name: str):
    """The function `name` of `module`, or None when the module or function does not exist."""
    try:
        found = importlib.import_module(module)
    except ImportError:
        return None
    return getattr(found, name, None)


def _percent(value) -> str:
    return "" if value is None else f"{value:+.0f} %"


# --- Crime statistics (crimestats.summary.build_summary) --------------------------------


def crime_section(lagesbild) -> Section:
    section = Section("crime", _("Reported crime"))
    build = _optional("medborgarlofte.crimestats.summary", "build_summary")
    if build is None:
        section.missing_reason = _("The crime statistics module is not installed.")
        return section
    year_to = lagesbild.period_end.year
    summary = build(lagesbild.municipality, year_to - 2, year_to)
    categories = [c for c in summary.categories if c.counts]
    if not categories:
        section.missing_reason = _("No crime statistics for this kommun and period.")
        return section
    from medborgarlofte.crimestats.summary import source_text

    section.available = True
    section.example = summary.example_data
    section.sources = [
        source_text(s["source"], s["preliminary"], s["imported_at"], prefix=False)
        for s in summary.sources
    ]
    years = summary.years
    section.columns = [_("Category"), *[str(y) for y in years], _("Change"), _("Significant")]
    for item in categories:
        change = item.change.percent_change if item.change else None
        significant = item.change.significant if item.change else None
        section.rows.append(
            [
                item.name,
                *[item.counts.get(y, "–") for y in years],
                _percent(change),
                (_("yes") if significant else _("no")) if item.change else "–",
            ]
        )
        last = max(item.counts)
        basis = _("change %(change)s, %(sig)s") % {
            "change": _percent(change) or "–",
            "sig": _("significant") if significant else _("not significant"),
        }
        section.candidates.append(
            candidate(
                key=f"{item.category.slug}:{last}",
                kind="statistic",
                source_app="crimestats",
                label=_("%(name)s: %(count)s reported crimes %(year)s")
                % {"name": item.name, "count": item.counts[last], "year": last},
                strength=ranking.statistic_strength(change, significant),
                basis=basis,
                source=section.sources[0] if section.sources else "",
                as_of=str(last),
                value=item.counts[last],
                change=None if change is None else round(change, 1),
                unit=_("reported crimes"),
                example=section.example,
            )
        )
    if any(c.small_numbers for c in categories):
        section.notes.append(
            _("Small numbers: in a small kommun counts swing by chance from year to year.")
        )
    return section


# --- Safety survey and dialogues (summary functions of their apps) ----------------------


def _num(value):
    """Decimal → float for JSON; ints stay ints."""
    if value is None or isinstance(value, int):
        return value
    return round(float(value), 2)


def survey_section(lagesbild) -> Section:
    section = Section("survey", _("Safety survey"))
    summarise = _optional("medborgarlofte.surveys.summary", "survey_section")
    if summarise is None:
        section.missing_reason = _("The safety survey module is not available yet.")
        return section
    data = summarise(lagesbild.municipality, lagesbild.period_end.year)
    if not data.get("available"):
        section.missing_reason = _("No safety survey for this kommun up to this year.")
        return section
    section.available = True
    section.example = bool(data.get("is_example"))
    section.sources = [f"{source}, {when:%Y-%m-%d}" for source, when in data.get("sources", [])]
    thresholds = data["thresholds"]
    section.notes.append(str(thresholds["explanation"]))
    split = bool(data.get("has_gender_split"))
    section.columns = [_("Question"), _("Area"), _("Year"), _("Value"), "n", _("Change")]
    if split:  # women and men only where the survey has them (issue 15)
        section.columns += [_("Women"), _("Men")]
    for row in data.get("index_rows", []):
        _survey_row(section, row, thresholds, index=True, split=split)
    for row in data.get("percent_rows", []):
        _survey_row(section, row, thresholds, index=False, split=split)
    return section


def _gender_cell(cell, *, index: bool) -> str:
    if not cell:
        return "–"
    value = number_format(_num(cell["value"]))
    return f"{value} (n = {cell['n']})" if index else f"{value} % (n = {cell['n']})"


def _survey_row(section, row, thresholds, *, index: bool, split: bool = False) -> None:
    value, change = _num(row["value"]), _num(row["change"])
    question = row["question"] if index else f"{row['question']}: {row['answer']}"
    if row.get("gender_label"):
        question = f"{question} ({str(row['gender_label']).lower()})"
    shown = value if index else f"{value} %"
    cells = [
        question,
        row["area"],
        str(row["year"]),
        shown,
        row["n"],
        "" if change is None else change,
    ]
    if split:
        cells += [
            _gender_cell(row.get("women"), index=index),
            _gender_cell(row.get("men"), index=index),
        ]
    section.rows.append(cells)
    if index:
        strength = ranking.survey_index_strength(
            value, float(thresholds["normal_max"]), float(thresholds["act_from"])
        )
        classes = {"normal": _("normal"), "watch": _("watch"), "act": _("act")}
        basis = _("problem index %(v)s (%(c)s)") % {
            "v": number_format(value),
            "c": classes.get(row.get("class"), "–"),
        }
        label = _("%(q)s (%(area)s): index %(v)s, n = %(n)s")
    else:
        strength = ranking.share_strength(value / 100, full=0.5)
        basis = _("%(v)s %% of the answers") % {"v": number_format(value)}
        label = _("%(q)s (%(area)s): %(v)s %%, n = %(n)s")
    section.candidates.append(
        candidate(
            key=f"{row['provider']}:{row['year']}:{row['area']}:{question}"[:190],
            kind="survey",
            source_app="surveys",
            label=label
            % {"q": question, "area": row["area"], "v": number_format(value), "n": row["n"]},
            strength=strength,
            basis=basis,
            source=section.sources[0] if section.sources else row["provider"],
            as_of=str(row["year"]),
            value=value,
            change=change,
            n=row["n"],
            example=bool(row.get("is_example")),
        )
    )


def dialogue_section(lagesbild) -> Section:
    section = Section("dialogue", _("Citizen and staff dialogues"))
    summarise = _optional("medborgarlofte.dialogues.summary", "dialogue_section")
    if summarise is None:
        section.missing_reason = _("The dialogue module is not available yet.")
        return section
    data = summarise(lagesbild.municipality, lagesbild.period_start, lagesbild.period_end)
    if not data.get("available"):
        section.missing_reason = _("No dialogue entries for this kommun and period.")
        return section
    section.available = True
    section.example = bool(data.get("is_example"))
    section.sources = [f"{data['source']}, {_period_text(lagesbild)}"]
    labels = data.get("source_labels", {})
    section.columns = [
        _("Theme"),
        _("Entries"),
        _("Share"),
        *labels.values(),
        _("Most named areas"),
    ]
    total = data["total_entries"]
    section.notes.append(
        _("%(total)s entries, %(untagged)s without a theme.")
        % {"total": total, "untagged": data["untagged_entries"]}
    )
    for theme in data["themes"]:
        share = theme["share"]
        areas = ", ".join(a or _("(no area)") for a in list(theme["by_area"])[:3])
        section.rows.append(
            [
                theme["name"],
                theme["count"],
                f"{share * 100:.0f} %",
                *[theme["by_source"].get(k, 0) for k in labels],
                areas,
            ]
        )
        section.candidates.append(
            candidate(
                key=theme["key"],
                kind="dialogue",
                source_app="dialogues",
                label=_("%(theme)s: %(count)s of %(total)s dialogue entries (%(share)s %%)")
                % {
                    "theme": theme["name"],
                    "count": theme["count"],
                    "total": total,
                    "share": round(share * 100),
                },
                strength=ranking.share_strength(share),
                basis=_("share %(s)s %% of the entries") % {"s": round(share * 100)},
                source=section.sources[0],
                as_of=lagesbild.period_end.isoformat(),
                value=theme["count"],
                count=theme["count"],
                n=total,
                example=section.example,
            )
        )
    return section


def _period_text(lagesbild) -> str:
    return "{start}–{end}".format(**_period(lagesbild))


# --- Incidents and police events (read-only counts from incidents' models) --------------


def _model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def incident_section(lagesbild) -> Section:
    section = Section("incidents", _("Incident reports (EST)"))
    Incident = _model("incidents", "Incident")
    if Incident is None:
        section.missing_reason = _("The incident module is not installed.")
        return section
    rows = list(
        Incident.objects.filter(
            municipality=lagesbild.municipality,
            date__gte=lagesbild.period_start,
            date__lte=lagesbild.period_end,
        )
        .exclude(status="duplicate")
        .values("category__key", "category__name", "place__name", "is_example")
        .annotate(n=Count("id"))
        .order_by("-n", "category__name")
    )
    if not rows:
        section.missing_reason = _("No incident reports for this kommun and period.")
        return section
    section.available = True
    section.example = any(r["is_example"] for r in rows)
    section.sources = [
        _("Incident reports in this service, %(start)s–%(end)s") % _period(lagesbild)
    ]
    section.columns = [_("Category"), _("Place"), _("Reports")]
    top = max(r["n"] for r in rows)
    for r in rows[:30]:
        place = r["place__name"] or _("(no place)")
        section.rows.append([r["category__name"], place, r["n"]])
        section.candidates.append(
            candidate(
                key=f"{r['category__key']}@{place}",
                kind="incident",
                source_app="incidents",
                label=_("%(category)s at %(place)s: %(n)s reports")
                % {"category": r["category__name"], "place": place, "n": r["n"]},
                strength=r["n"] / top,
                basis=_("%(n)s of at most %(top)s reports per category and place")
                % {"n": r["n"], "top": top},
                source=section.sources[0],
                as_of=lagesbild.period_end.isoformat(),
                value=r["n"],
                count=r["n"],
                example=section.example,
            )
        )
    return section


def police_event_section(lagesbild) -> Section:
    section = Section("police_events", _("Police events (polisen.se)"))
    PoliceEvent = _model("incidents", "PoliceEvent")
    if PoliceEvent is None:
        section.missing_reason = _("The police events module is not installed.")
        return section
    rows = list(
        PoliceEvent.objects.filter(
            municipality=lagesbild.municipality,
            occurred_at__date__gte=lagesbild.period_start,
            occurred_at__date__lte=lagesbild.period_end,
        )
        .values("type")
        .annotate(n=Count("event_id"))
        .order_by("-n", "type")
    )
    if not rows:
        section.missing_reason = _("No police events imported for this kommun and period.")
        return section
    section.available = True
    section.sources = [_("Polisen's public events, %(start)s–%(end)s") % _period(lagesbild)]
    section.columns = [_("Type of event"), _("Events")]
    top = max(r["n"] for r in rows)
    for r in rows[:20]:
        section.rows.append([r["type"], r["n"]])
        section.candidates.append(
            candidate(
                key=r["type"],
                kind="police_event",
                source_app="incidents",
                label=_("%(type)s: %(n)s police events") % {"type": r["type"], "n": r["n"]},
                strength=r["n"] / top,
                basis=_("%(n)s of at most %(top)s events per type") % {"n": r["n"], "top": top},
                source=section.sources[0],
                as_of=lagesbild.period_end.isoformat(),
                value=r["n"],
                count=r["n"],
            )
        )
    return section


# --- The kommun's own programmes (lagesbild.Programme) ----------------------------------


def programme_section(lagesbild) -> Section:
    from .models import Programme

    section = Section("programmes", _("The kommun's own programmes"))
    year = lagesbild.promise_year
    programmes = Programme.objects.filter(
        municipality=lagesbild.municipality, first_year__lte=year, last_year__gte=year - 1
    )
    if not programmes:
        section.missing_reason = _("No programmes registered for this kommun.")
        return section
    section.available = True
    section.columns = [_("Programme"), _("Years")]
    for programme in programmes:
        section.rows.append([programme.title, f"{programme.first_year}–{programme.last_year}"])
        section.links.append({"title": programme.title, "url": programme.url})
        section.candidates.append(
            candidate(
                key=str(programme.pk),
                kind="programme",
                source_app="lagesbild",
                label=programme.title,
                strength=ranking.MANUAL_STRENGTHS["medium"],
                basis=_("a municipal programme names the problem"),
                source=programme.url,
                as_of=str(programme.first_year),
            )
        )
    return section


def _period(lagesbild) -> dict:
    return {
        "start": date_format(lagesbild.period_start, "SHORT_DATE_FORMAT"),
        "end": date_format(lagesbild.period_end, "SHORT_DATE_FORMAT"),
    }


ADAPTERS = [
    crime_section,
    survey_section,
    dialogue_section,
    incident_section,
    police_event_section,
    programme_section,
]


def compose_sources(lagesbild) -> list[Section]:
    """Every source section, in a fixed order; a failing source becomes a notice."""
    sections = []
    for adapter in ADAPTERS:
        try:
            sections.append(adapter(lagesbild))
        except Exception:  # a broken source must not take the lägesbild down
            logger.exception("lägesbild source %s failed", adapter.__name__)
            failed = Section(adapter.__name__.removesuffix("_section"), adapter.__name__)
            failed.missing_reason = _("This source could not be read (see the server log).")
            sections.append(failed)
    return sections

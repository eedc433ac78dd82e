"""A stored version as a document (export_version_document), written as YAML or JSON
(dump_document); finding an agreement by year and a version by number."""

import datetime
import json

import yaml
from django.db.models import Prefetch

from .. import models as m
from .canonical import canonical_document


def _with_content(queryset):
    commitments = m.Commitment.objects.prefetch_related(
        Prefetch("owner_links", queryset=m.CommitmentOwner.objects.select_related("party")),
        "indicators",
    )
    return queryset.select_related("agreement", "municipality").prefetch_related(
        "parties",
        "basis",
        "focus_areas",
        "crime_categories",
        Prefetch("signatories", queryset=m.Signatory.objects.select_related("party")),
        Prefetch(
            "sections",
            queryset=m.Section.objects.select_related("focus_area").prefetch_related(
                Prefetch("commitments", queryset=commitments)
            ),
        ),
    )


def export_version_document(version) -> dict:
    """The canonical document of a stored version (read fresh from the database)."""
    v = _with_content(
        m.AgreementVersion.objects.filter(pk=version.pk, municipality_id=version.municipality_id)
    ).get()
    raw = {
        "municipality": v.municipality.code,
        "title": v.title,
        "police_area": v.police_area,
        "period": {"start": v.agreement.period_start, "end": v.agreement.period_end},
        "parties": [{"key": p.key, "kind": p.kind, "name": p.name} for p in v.parties.all()],
        "signed": {
            "date": v.signed_date,
            "signatories": [
                {"party": s.party.key, "role": s.role, "name": s.name} for s in v.signatories.all()
            ],
        },
        "introduction": v.introduction,
        "basis": [
            {"kind": b.kind, "description": b.description, "years": b.years} for b in v.basis.all()
        ],
        "focus_areas": [{"key": f.key, "title": f.title} for f in v.focus_areas.all()],
        "crime_categories": [c.name for c in v.crime_categories.all()],
        "sections": [
            {
                "heading": s.heading,
                "focus_area": s.focus_area.key if s.focus_area else None,
                "commitments": [_export_commitment(c) for c in s.commitments.all()],
            }
            for s in v.sections.all()
        ],
        "effects": v.effects,
        "follow_up": {"text": v.follow_up_text, "schedule": v.follow_up_schedule},
        "extensions": v.extensions,
    }
    return canonical_document(raw)


def _export_commitment(c) -> dict:
    return {
        "text": c.text,
        "owners": [link.party.key for link in c.owner_links.all()],
        "level": c.level,
        "cadence": c.cadence,
        "indicators": [
            {
                "title": i.title,
                "kind": i.kind,
                "unit": i.unit,
                "baseline": i.baseline,
                "target": i.target,
                "direction": i.direction,
                "source": i.source,
            }
            for i in c.indicators.all()
        ],
        "ref": c.ref,
    }


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # our loader refuses anchors and aliases
        return True


def _represent_str(dumper, data):
    if any(ch in data for ch in "\r\x85\u2028\u2029\ufeff"):
        style = '"'  # PyYAML writes these raw in other styles and reads them back changed
    else:
        style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def _yaml_dates(doc: dict) -> dict:
    """Dates as YAML dates (written unquoted, 2024-01-01) where the format has dates."""
    doc = dict(doc)
    doc["period"] = {k: datetime.date.fromisoformat(v) for k, v in doc["period"].items()}
    if "date" in doc.get("signed", {}):
        doc["signed"] = {
            **doc["signed"],
            "date": datetime.date.fromisoformat(doc["signed"]["date"]),
        }
    schedule = doc.get("follow_up", {}).get("schedule")
    if isinstance(schedule, list):
        doc["follow_up"] = {
            **doc["follow_up"],
            "schedule": [datetime.date.fromisoformat(d) for d in schedule],
        }
    return doc


def dump_document(doc: dict, fmt: str = "yaml") -> str:
    """A canonical document as YAML or JSON text (UTF-8, å ä ö written as they are)."""
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt != "yaml":
        raise ValueError(f"unknown format {fmt!r}")
    return yaml.dump(
        _yaml_dates(doc),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )


# --- Finding an agreement ---------------------------------------------------------------


def agreement_for_year(agreements, year: int):
    """The agreement (of a queryset) whose period starts in `year`; the latest if several."""
    if not 1 <= year <= 9999:  # a date lookup outside Python's date range would raise
        return None
    return (
        agreements.filter(period_start__year=year).order_by("-period_start", "-period_end").first()
    )


def version_of(agreement, number: int | None = None):
    """Version `number` of the agreement, or its latest version; None if there is none."""
    versions = agreement.versions.all()
    if number is not None:
        return versions.filter(number=number).first()
    return versions.order_by("-number").first()

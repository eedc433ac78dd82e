"""Composing a lägesbild: the source sections, the ranked problems and their evidence.

compose() returns plain JSON-ready data. The same structure is rendered live, frozen
in a LagesbildVersion when both parties approve, rendered to PDF and exported as JSON,
so a frozen version renders exactly as it was approved.

It never contains the police intelligence summary: that is composed per request for
police users only (police_part), or frozen separately (police_snapshot).
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from . import ranking
from .models import EvidenceKind, IntelligenceSummary, Lagesbild
from .sources import compose_sources

SCHEMA = "medborgarlofte-lagesbild/1"

# The source sections under the parts of lag (2023:196) 4 § (docs/statutory.md):
# 1 p. the mapping of crime (its extent; the consequences are their own part), 2 p. other
# information of importance; 3 p. the analysis is the joint analysis and the problems.
MAPPING_KEYS = ("crime", "survey", "incidents", "police_events")
OTHER_KEYS = ("dialogue", "programmes")


def statutory_parts(doc: dict) -> dict:
    """The sections of a composed (or frozen) document under the parts of 4 §."""
    sections = [s for s in doc.get("sections", []) if s.get("available")]
    return {
        "mapping_sections": [s for s in sections if s["key"] in MAPPING_KEYS],
        "other_sections": [s for s in sections if s["key"] not in MAPPING_KEYS],
    }


def _consequence_dict(item) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "figure": item.figure,
        "unit": item.unit,
        "text": item.text,
        "source": item.source,
        "year": item.year,
        "example": item.example_data,
    }


def _evidence_dict(evidence) -> dict:
    snapshot = evidence.snapshot or {}
    return {
        "id": evidence.pk,
        "kind": evidence.kind,
        "kind_label": str(EvidenceKind(evidence.kind).label)
        if evidence.kind in EvidenceKind.values
        else evidence.kind,
        "source_app": evidence.source_app,
        "source_key": evidence.source_key,
        "label": evidence.label,
        "strength": evidence.strength,
        "value": snapshot.get("value"),
        "count": snapshot.get("count"),
        "change": snapshot.get("change"),
        "unit": snapshot.get("unit", ""),
        "n": snapshot.get("n"),
        "source": snapshot.get("source", ""),
        "as_of": snapshot.get("as_of", ""),
        "strength_basis": snapshot.get("strength_basis", ""),
        "example": bool(snapshot.get("example")),
    }


def _score_dict(score: ranking.Score) -> dict:
    data = score.as_dict()
    labels = dict(EvidenceKind.choices)
    for term in data["terms"]:
        term["label"] = str(labels.get(term["kind"], term["kind"]))
    return data


def problem_dicts(lagesbild) -> list[dict]:
    problems = lagesbild.problems.prefetch_related("evidence", "crime_categories", "rank_changes")
    scored = []
    for problem in problems:
        evidence = list(problem.evidence.all())
        score = ranking.components((e.kind, e.strength) for e in evidence)
        scored.append((problem, evidence, score))
    by_score = sorted(scored, key=lambda t: (-t[2].total, t[0].position, t[0].pk))
    computed_rank = {t[0].pk: index + 1 for index, t in enumerate(by_score)}
    out = []
    for rank, (problem, evidence, score) in enumerate(scored, start=1):
        out.append(
            {
                "id": problem.pk,
                "rank": rank,
                "computed_rank": computed_rank[problem.pk],
                "title": problem.title,
                "behaviour": problem.behaviour,
                "place": problem.place,
                "time": problem.time,
                "affected": problem.affected,
                "causes": problem.causes,
                "focus_area": problem.focus_area,
                "crime_categories": [c.name for c in problem.crime_categories.all()],
                "chosen": problem.chosen,
                "score": _score_dict(score),
                "evidence": [_evidence_dict(e) for e in evidence],
                "rank_changes": [
                    {
                        "from": c.from_position,
                        "to": c.to_position,
                        "reason": c.reason,
                        "by": c.user_label,
                        "at": c.at.isoformat(),
                    }
                    for c in problem.rank_changes.all()
                ],
            }
        )
    return out


def compose(lagesbild: Lagesbild, *, with_candidates: bool = True) -> dict:
    """The whole shared document as plain data (no intelligence)."""
    sections = [s.as_dict() for s in compose_sources(lagesbild)]
    if not with_candidates:
        for section in sections:
            section["candidates"] = []
    problems = problem_dicts(lagesbild)
    example = lagesbild.example_data or any(s["example"] for s in sections if s["available"])
    example = example or any(e["example"] for p in problems for e in p["evidence"])
    consequences = [_consequence_dict(c) for c in lagesbild.consequence_items.all()]
    example = example or any(c["example"] for c in consequences)
    return {
        "schema": SCHEMA,
        "municipality": {"code": lagesbild.municipality.code, "name": lagesbild.municipality.name},
        "title": lagesbild.title,
        "period": {
            "start": lagesbild.period_start.isoformat(),
            "end": lagesbild.period_end.isoformat(),
        },
        "promise_year": lagesbild.promise_year,
        "analysis": lagesbild.analysis,
        "consequences_text": lagesbild.consequences,
        "consequences": consequences,
        "other_information": lagesbild.other_information,
        "statute": {"mapping": list(MAPPING_KEYS), "other": list(OTHER_KEYS)},
        "composed_at": timezone.now().isoformat(timespec="seconds"),
        "example_data": example,
        "manual_order": lagesbild.manual_order,
        "sections": sections,
        "missing": [
            {"title": s["title"], "reason": s["missing_reason"]}
            for s in sections
            if not s["available"]
        ],
        "problems": problems,
        "ranking": {
            "weights": [
                {"kind": k, "label": str(dict(EvidenceKind.choices).get(k, k)), "weight": w}
                for k, w in ranking.WEIGHTS.items()
            ],
            "corroboration": ranking.CORROBORATION,
        },
    }


def _intelligence_dict(summary) -> dict:
    return {
        "key": "intelligence",
        "title": _("Police intelligence summary (police only)"),
        "period": f"{summary.period_start.isoformat()}–{summary.period_end.isoformat()}",
        "text": summary.text,
        "example": summary.example_data,
        "updated_at": summary.updated_at.isoformat(timespec="minutes"),
    }


def police_part(summary) -> list[dict]:
    """The police-only section for a summary fetched through lagesbild.access (logged)."""
    return [_intelligence_dict(summary)] if summary is not None else []


def police_snapshot(lagesbild) -> list[dict]:
    """Frozen with a version, in its own column. No user sees it here: reads of the frozen
    copy go through lagesbild.access.frozen_police_sections_for_user (logged)."""
    summary = IntelligenceSummary.objects.filter(
        municipality=lagesbild.municipality,
        period_start=lagesbild.period_start,
        period_end=lagesbild.period_end,
    ).first()
    return police_part(summary)


def find_candidate(lagesbild, key: str) -> dict | None:
    """The evidence candidate 'section_key|candidate_key', freshly composed (never trusted
    from the browser)."""
    section_key, _sep, candidate_key = key.partition("|")
    for section in compose_sources(lagesbild):
        if section.key != section_key:
            continue
        for candidate in section.candidates:
            if candidate["key"] == candidate_key:
                return candidate
    return None

"""The papers for the council (issue 15, item 4): one report for kommunstyrelsen,
kommunfullmäktige and the local crime-prevention council, as PDF and DOCX.

It holds, in this order:

1. the state of the statutory duties of lag (2023:196) — is a lägesbild decided (body,
   date, §, diarienummer), is an åtgärdsplan decided, is a samordnare named (does the
   kommun have a coordinator account) — the questions Brå asks in its follow-up of the
   law; each answered plainly when nothing is decided yet;
2. the decided statutory lägesbild in short: the parts of 4 § and the priority problems,
   read from the frozen, decided version (never the working copy, never police-only
   material);
3. the åtgärdsplan, measure by measure: the latest follow-up status and its explanation,
   the responsible unit, time window and resources;
4. the medborgarlöfte: the status of each commitment in the latest published follow-up
   (its frozen snapshot).

    data = build(municipality)          # plain data, every free text through public_text
    pdf = report_pdf(data)              # WeasyPrint, tagged (PDF/UA-1), from the page's template
    docx = report_docx(data)            # python-docx, the same headings

Nothing here writes. The caller fetched the kommun through accounts.access.
"""

from __future__ import annotations

import io

from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medborgarlofte.accounts.models import DecisionBody, Membership, Role
from medborgarlofte.actionplans.models import (
    ActionPlan,
    ActionPlanDecision,
    MeasureFollowUp,
    MeasureStatus,
)
from medborgarlofte.agreements.models import AgreementVersion, Status
from medborgarlofte.followup import process
from medborgarlofte.followup.models import CommitmentStatus, FollowUp, FollowUpStatus
from medborgarlofte.followup.models import period_label as followup_period_label
from medborgarlofte.followup.queries import period_order
from medborgarlofte.lagesbild.composition import statutory_parts
from medborgarlofte.lagesbild.models import LagesbildDecision
from medborgarlofte.privacy.gate import public_data, public_text

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Words kept of a long text ("in short"); the whole text is in the lägesbild itself.
SHORT_WORDS = 120
# Problems shown: the prioritised ones, else the highest ranked.
TOP_PROBLEMS = 5

TERM_ORDER = {"t1": 1, "t2": 2, "t3": 3, "year": 4}


def _short(text: str, words: int = SHORT_WORDS) -> str:
    return Truncator(public_text(text or "").strip()).words(words, truncate=" …")


def _decision(record) -> dict | None:
    if record is None:
        return None
    # "Beslutad av kommunstyrelsen": the two bodies in running text; a nämnd as named.
    body = record.body_label()
    if record.body != DecisionBody.NAMND:
        body = body[:1].lower() + body[1:]
    return {
        "body": body,
        "date": record.decided_on,
        "paragraph": public_text(record.paragraph),
        "reference": public_text(record.reference),
    }


def _decision_text(decision: dict) -> str:
    return _("Decided by %(body)s on %(date)s, %(paragraph)s (diarienummer %(reference)s).") % {
        "body": decision["body"],
        "date": formats.date_format(decision["date"], "j F Y"),
        "paragraph": decision["paragraph"],
        "reference": decision["reference"],
    }


# --- 1. The statutory duties -----------------------------------------------------------------


def _latest_lagesbild_decision(municipality):
    return (
        LagesbildDecision.objects.filter(municipality=municipality)
        .select_related("document__lagesbild")
        .order_by("-decided_on", "-pk")
        .first()
    )


def _latest_plan_decision(municipality):
    return (
        ActionPlanDecision.objects.filter(municipality=municipality)
        .select_related("document")
        .order_by("-decided_on", "-pk")
        .first()
    )


def statutory_status(municipality) -> list[dict]:
    """The duties of lag (2023:196) with a plain answer each ({question, answer, done})."""
    rows = []
    lb = _latest_lagesbild_decision(municipality)
    if lb is None:
        answer = _("No decided situational picture.")
    else:
        answer = _("%(title)s, version %(number)s. %(decision)s") % {
            "title": public_text(lb.document.lagesbild.title),
            "number": lb.document.number,
            "decision": _decision_text(_decision(lb)),
        }
    rows.append(
        {
            "key": "lagesbild",
            "question": _("Has the kommun decided a situational picture of crime (4 §)?"),
            "answer": answer,
            "done": lb is not None,
        }
    )
    plan = _latest_plan_decision(municipality)
    if plan is None:
        drafts = ActionPlan.objects.filter(municipality=municipality).count()
        answer = _("No decided action plan.")
        if drafts:
            answer += " " + _("A draft is being prepared.")
    else:
        answer = _("%(title)s (%(period)s), version %(number)s. %(decision)s") % {
            "title": public_text(plan.document.title),
            "period": plan.document.period_label(),
            "number": plan.document.number,
            "decision": _decision_text(_decision(plan)),
        }
    rows.append(
        {
            "key": "actionplan",
            "question": _("Has the kommun decided an action plan based on it?"),
            "answer": answer,
            "done": plan is not None,
        }
    )
    coordinators = (
        Membership.objects.filter(
            municipality=municipality, role=Role.COORDINATOR, user__is_active=True
        )
        .values("user")
        .distinct()
        .count()
    )
    if coordinators:
        answer = ngettext(
            "Yes: %(count)s crime-prevention coordinator works in Medborgarlöfte for the kommun.",
            "Yes: %(count)s crime-prevention coordinators work in Medborgarlöfte for the kommun.",
            coordinators,
        ) % {"count": coordinators}
    else:
        answer = _("No coordinator is named in Medborgarlöfte.")
    rows.append(
        {
            "key": "coordinator",
            "question": _("Is there a coordinating function (a named coordinator)?"),
            "answer": answer,
            "done": bool(coordinators),
        }
    )
    version = (
        AgreementVersion.objects.filter(municipality=municipality, status=Status.PUBLISHED)
        .select_related("agreement")
        .order_by("-agreement__period_start", "-number")
        .first()
    )
    if version is None:
        answer = _("No published medborgarlöfte.")
    else:
        answer = _("%(title)s, published (%(year)s).") % {
            "title": public_text(version.title),
            "year": version.agreement.year,
        }
    rows.append(
        {
            "key": "promise",
            "question": _("Do the kommun and the police have a medborgarlöfte?"),
            "answer": answer,
            "done": version is not None,
        }
    )
    return rows


# --- 2. The decided lägesbild ----------------------------------------------------------------


def lagesbild_summary(municipality) -> dict | None:
    """The latest decided version in short, or None."""
    record = _latest_lagesbild_decision(municipality)
    if record is None:
        return None
    version = record.document
    content = version.content or {}
    parts = statutory_parts(content)
    problems = sorted(content.get("problems", []), key=lambda p: p.get("rank", 0))
    chosen = [p for p in problems if p.get("chosen")] or problems
    return {
        "title": public_text(content.get("title") or version.lagesbild.title),
        "number": version.number,
        "period_start": version.lagesbild.period_start,
        "period_end": version.lagesbild.period_end,
        "decision": _decision(record),
        "decision_text": _decision_text(_decision(record)),
        "example_data": bool(content.get("example_data")),
        "mapping": [public_text(s.get("title", "")) for s in parts["mapping_sections"]],
        "consequences_text": _short(content.get("consequences_text", "")),
        "consequences": [
            {
                "title": public_text(c.get("title", "")),
                "figure": c.get("figure"),
                "unit": public_text(c.get("unit", "")),
                "year": c.get("year"),
                "example": bool(c.get("example")),
            }
            for c in content.get("consequences", [])
        ],
        "other_information": _short(content.get("other_information", "")),
        "other": [public_text(s.get("title", "")) for s in parts["other_sections"]],
        "analysis": _short(content.get("analysis", "")),
        "problems": [
            {
                "rank": p.get("rank"),
                "title": public_text(p.get("title", "")),
                "place": public_text(p.get("place", "")),
                "time": public_text(p.get("time", "")),
            }
            for p in chosen[:TOP_PROBLEMS]
        ],
    }


# --- 3. The åtgärdsplan --------------------------------------------------------------------


def _current_plan(municipality):
    """The latest decided plan; else the newest plan (a draft); else None."""
    record = _latest_plan_decision(municipality)
    if record is not None:
        return record.document, record
    plan = ActionPlan.objects.filter(municipality=municipality).order_by("-pk").first()
    return plan, None


def _latest_followup(followups):
    if not followups:
        return None
    return max(followups, key=lambda f: (f.year, TERM_ORDER.get(f.term, 0), f.pk))


def plan_status(municipality) -> dict | None:
    plan, record = _current_plan(municipality)
    if plan is None:
        return None
    measures = list(
        plan.measures.filter(municipality=municipality).prefetch_related("problems", "followups")
    )
    rows = []
    for measure in measures:
        usage = process.measure_usage(measure)
        latest = _latest_followup(
            [f for f in measure.followups.all() if f.municipality_id == municipality.pk]
        )
        rows.append(
            {
                "ref": measure.ref,
                "title": public_text(measure.title),
                "responsible": public_text(measure.responsible),
                "partners": public_text(measure.partners),
                "with_police": measure.with_police,
                "starts": measure.starts,
                "ends": measure.ends,
                "hours": measure.hours,
                "cost": measure.cost,
                "problems": [public_text(p.title) for p in measure.problems.all()],
                "commitment": measure.commitment_ref,
                # Used: the activities logged against its commitment within from–to
                # (followup/process.py); None when the measure names no commitment.
                "used": {
                    "activities": usage.used.activities,
                    "hours": usage.used.hours,
                    "cost": usage.used.cost,
                    "reach": usage.used.reach,
                }
                if usage.linked
                else None,
                "status": latest.status if latest else "",
                "status_label": str(MeasureStatus(latest.status).label)
                if latest and latest.status in MeasureStatus.values
                else _("No follow-up yet"),
                "period": f"{MeasureFollowUp.Term(latest.term).label} {latest.year}"
                if latest and latest.term in MeasureFollowUp.Term.values
                else "",
                "explanation": public_text(latest.explanation) if latest else "",
            }
        )
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status_label"]] = counts.get(row["status_label"], 0) + 1
    return {
        "title": public_text(plan.title),
        "period": plan.period_label(),
        "number": plan.number,
        "decided": record is not None,
        "decision_text": _decision_text(_decision(record)) if record else "",
        "example_data": plan.example_data,
        "measures": rows,
        "status_counts": sorted(counts.items()),
        "hours": sum(r["hours"] or 0 for r in rows),
        "cost": sum(r["cost"] or 0 for r in rows),
    }


# --- 4. The medborgarlöfte ------------------------------------------------------------------


def promise_followup(municipality) -> dict | None:
    """Every commitment's status in the latest published follow-up (its frozen snapshot)."""
    published = list(
        FollowUp.objects.filter(
            municipality=municipality,
            agreement__municipality=municipality,
            status=FollowUpStatus.PUBLISHED,
        ).select_related("agreement")
    )
    if not published:
        return None
    latest = max(
        published, key=lambda f: (f.agreement.period_start, period_order(f.period), f.published_at)
    )
    snapshot = public_data(latest.snapshot or {})
    labels = dict(CommitmentStatus.Status.choices)
    groups, counts = [], {}
    for group in snapshot.get("groups", []):
        rows = []
        for c in group.get("commitments", []):
            label = str(labels.get(c.get("status"), _("No status")))
            counts[label] = counts.get(label, 0) + 1
            rows.append(
                {
                    "ref": c.get("ref", ""),
                    "text": Truncator(c.get("text", "")).words(30, truncate=" …"),
                    "status": c.get("status", ""),
                    "status_label": label,
                    "explanation": c.get("explanation", ""),
                }
            )
        groups.append({"title": group.get("title", ""), "commitments": rows})
    return {
        "title": (snapshot.get("agreement") or {}).get("title", ""),
        "year": latest.agreement.year,
        "period": followup_period_label(latest.period),
        "published_at": latest.published_at,
        "example_data": bool(latest.is_example or snapshot.get("is_example")),
        "groups": groups,
        "status_counts": sorted(counts.items()),
    }


# --- The report ------------------------------------------------------------------------------


def title(municipality) -> str:
    return _(
        "Crime prevention in %(name)s: report to the municipal executive board, the "
        "municipal council and the local crime-prevention council"
    ) % {"name": municipality.name}


def build(municipality) -> dict:
    lagesbild = lagesbild_summary(municipality)
    plan = plan_status(municipality)
    promise = promise_followup(municipality)
    return {
        "municipality": municipality,
        "title": title(municipality),
        "generated_on": timezone.localdate(),
        "status": statutory_status(municipality),
        "lagesbild": lagesbild,
        "plan": plan,
        "promise": promise,
        "example_data": any(part and part["example_data"] for part in (lagesbild, plan, promise)),
    }


def file_name(data: dict, extension: str) -> str:
    return f"radsrapport-{data['municipality'].code}-{data['generated_on'].isoformat()}.{extension}"


# --- PDF -------------------------------------------------------------------------------------


def report_pdf(data: dict) -> bytes:
    from medborgarlofte.reports.pdf import render_pdf

    return render_pdf("council/document.html", {"report": data})


# --- DOCX ------------------------------------------------------------------------------------


def _date(value) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def _number(value) -> str:
    return formats.localize(value, use_l10n=True) if value is not None else "–"


def _whole_or_float(value):
    return int(value) if value == int(value) else float(value)


def used_text(used: dict) -> str:
    """ "4 activities · 12,5 hours · 3 000 kr · 120 people reached" (– when not reported)."""
    parts = [
        ngettext("%(n)s activity", "%(n)s activities", used["activities"])
        % {"n": used["activities"]},
        (f"{_number(_whole_or_float(used['hours']))} " + _("hours"))
        if used["hours"] is not None
        else "– " + _("hours"),
        f"{_number(used['cost'])} kr" if used["cost"] is not None else "– kr",
        _("%(n)s people reached") % {"n": _number(used["reach"])}
        if used["reach"] is not None
        else _("%(n)s people reached") % {"n": "–"},
    ]
    return " · ".join(parts)


def _fact(document, label: str, value: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(value)


def _table(document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def _example(document) -> None:
    document.add_paragraph(
        f"{_('Example data')}: {_('parts of this report are invented for the demonstration.')}"
    )


def report_docx(data: dict) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = data["title"]
    document.core_properties.language = "sv-SE"
    document.add_heading(data["title"], level=0)
    _fact(document, _("Municipality"), data["municipality"].name)
    _fact(document, _("Date"), _date(data["generated_on"]))
    if data["example_data"]:
        _example(document)

    document.add_heading(_("The statutory duties (lag 2023:196)"), level=1)
    for row in data["status"]:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{row['question']} ").bold = True
        paragraph.add_run(row["answer"])

    document.add_heading(_("The situational picture"), level=1)
    lb = data["lagesbild"]
    if lb is None:
        document.add_paragraph(_("No decided situational picture."))
    else:
        _fact(document, _("Document"), f"{lb['title']}, " + _("version") + f" {lb['number']}")
        _fact(document, _("Period"), f"{_date(lb['period_start'])} – {_date(lb['period_end'])}")
        _fact(document, _("Decision"), lb["decision_text"])
        document.add_heading(_("Mapping of crime: extent"), level=2)
        document.add_paragraph(", ".join(lb["mapping"]) or _("No source with data."))
        document.add_heading(_("Consequences of crime"), level=2)
        if lb["consequences_text"]:
            document.add_paragraph(lb["consequences_text"])
        for c in lb["consequences"]:
            figure = (
                f"{_number(c['figure'])} {c['unit']}".strip() if c["figure"] is not None else ""
            )
            year = f" ({c['year']})" if c["year"] else ""
            document.add_paragraph(
                f"{c['title']}: {figure}{year}".rstrip(": "), style="List Bullet"
            )
        document.add_heading(_("Other information"), level=2)
        if lb["other_information"]:
            document.add_paragraph(lb["other_information"])
        if lb["other"]:
            document.add_paragraph(", ".join(lb["other"]))
        document.add_heading(_("Analysis"), level=2)
        document.add_paragraph(lb["analysis"] or "–")
        document.add_heading(_("Priority problems"), level=2)
        if not lb["problems"]:
            document.add_paragraph(_("No problems are named."))
        for p in lb["problems"]:
            where = ", ".join(x for x in (p["place"], p["time"]) if x)
            text = f"{p['title']} ({where})" if where else p["title"]
            document.add_paragraph(text, style="List Number")

    document.add_heading(_("The action plan: status per measure"), level=1)
    plan = data["plan"]
    if plan is None:
        document.add_paragraph(_("No decided action plan."))
    else:
        _fact(
            document,
            _("Plan"),
            f"{plan['title']} ({plan['period']}), " + _("version") + f" {plan['number']}",
        )
        _fact(
            document,
            _("Decision"),
            plan["decision_text"] or _("Not decided yet: the plan is a draft."),
        )
        _fact(
            document,
            _("Resources in total"),
            f"{_number(plan['hours'])} " + _("hours") + f" · {_number(plan['cost'])} kr",
        )
        if not plan["measures"]:
            document.add_paragraph(_("The plan has no measures yet."))
        for m in plan["measures"]:
            document.add_heading(f"{m['ref']} {m['title']}", level=3)
            status = m["status_label"] + (f" ({m['period']})" if m["period"] else "")
            _fact(document, _("Status"), status)
            if m["explanation"]:
                _fact(document, _("Explanation"), m["explanation"])
            _fact(document, _("Responsible unit"), m["responsible"])
            _fact(document, _("Time"), f"{_date(m['starts'])} – {_date(m['ends'])}")
            hours = f"{_number(m['hours'])} " + _("hours") if m["hours"] is not None else "–"
            cost = f"{_number(m['cost'])} kr" if m["cost"] is not None else "–"
            _fact(document, _("Resources"), f"{hours} · {cost}")
            if m["used"] is not None:
                _fact(document, _("Used (logged activities)"), used_text(m["used"]))
            if m["commitment"]:
                _fact(document, _("Medborgarlöfte commitment"), m["commitment"])

    document.add_heading(_("The medborgarlöfte: follow-up"), level=1)
    promise = data["promise"]
    if promise is None:
        document.add_paragraph(_("No published follow-up of a medborgarlöfte."))
    else:
        _fact(document, _("Medborgarlöfte"), f"{promise['title']} ({promise['year']})")
        _fact(
            document,
            _("Follow-up"),
            _("%(period)s, published %(date)s")
            % {"period": promise["period"], "date": _date(promise["published_at"])},
        )
        for group in promise["groups"]:
            if not group["commitments"]:
                continue
            document.add_heading(group["title"], level=2)
            _table(
                document,
                [_("Commitment"), _("Status"), _("Explanation")],
                [
                    [f"{c['ref']} {c['text']}", c["status_label"], c["explanation"]]
                    for c in group["commitments"]
                ],
            )

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

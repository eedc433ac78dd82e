"""The åtgärdsplan as a PDF: the plan, its decision record and every measure with the
problems it addresses, who does it, when, the resources, the expected effect, the
indicator, the medborgarlöfte commitment it became and its latest follow-up.

    pdf = plan_pdf(plan)       # WeasyPrint, tagged (PDF/UA-1, sv-SE), reports/pdf.py

The plan is a staff document (it is not published), so the texts are shown as stored, as
on the plan page. The caller fetched the plan through access.py; nothing here writes.
"""

from medborgarlofte.accounts import decisions

from .models import ActionPlan

TERM_ORDER = {"t1": 1, "t2": 2, "t3": 3, "year": 4}


def _latest(followups):
    return max(followups, key=lambda f: (f.year, TERM_ORDER.get(f.term, 0), f.pk), default=None)


def context(plan: ActionPlan) -> dict:
    kommun = plan.municipality
    measures = []
    for measure in (
        plan.measures.filter(municipality=kommun)
        .select_related("agreement")
        .prefetch_related("problems", "followups")
    ):
        measures.append({"measure": measure, "latest": _latest(list(measure.followups.all()))})
    return {
        "plan": plan,
        "municipality": kommun,
        "decision": decisions.existing(plan),
        "decision_example": plan.example_data,
        "measures": measures,
        "hours": sum(m["measure"].hours or 0 for m in measures),
        "cost": sum(m["measure"].cost or 0 for m in measures),
    }


def file_name(plan: ActionPlan) -> str:
    return f"atgardsplan-{plan.municipality.code}-{plan.first_year}-v{plan.number}.pdf"


def plan_pdf(plan: ActionPlan) -> bytes:
    from medborgarlofte.reports.pdf import render_pdf

    return render_pdf("actionplans/document.html", context(plan))

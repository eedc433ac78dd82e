"""The åtgärdsplan as JSON, and back (docs/formats/actionplan.md).

    data = export_plan(plan)                          # plain JSON-ready data
    plan, notes = import_plan(municipality, user, data)

The export holds the plan, its decision record, its measures with the lägesbild problems
they address (by title, with the problem's description), their follow-up and the
medborgarlöfte commitment each became (by year and reference). It never holds database
ids, approvals or users, so it can move between kommuner and installations.

The import writes through the services (create_plan, add_measure, record_followup,
link_measure, the shared decision record), each with its audit entry, in one
transaction. The lägesbild the plan is based on is the kommun's lägesbild for the same
period when there is one (problems matched by title, missing ones added to its working
copy, which clears its approvals as any edit does); otherwise a new working lägesbild with the plan's problems. A decided plan is
imported decided, with its decision record (a coordinator must import it); the parties'
approvals are not carried over. A commitment link is kept when the kommun's medborgarlöfte of
that year has a commitment with that reference, otherwise it is dropped and named in the notes.
Exported, imported into an empty kommun and exported again, a plan gives the same JSON.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from medborgarlofte.accounts import audit, decisions
from medborgarlofte.agreements.models import Agreement
from medborgarlofte.lagesbild import services as lagesbild_services
from medborgarlofte.lagesbild.models import Lagesbild

from . import services
from .models import ActionPlan, ActionPlanDecision, MeasureFollowUp, MeasureStatus

SCHEMA = "medborgarlofte-actionplan/1"
TERM_ORDER = {"t1": 1, "t2": 2, "t3": 3, "year": 4}
PROBLEM_FIELDS = ("title", "behaviour", "place", "time")


def file_name(plan: ActionPlan) -> str:
    return f"atgardsplan-{plan.municipality.code}-{plan.first_year}-v{plan.number}.json"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_plan(plan: ActionPlan) -> dict:
    measures = list(
        plan.measures.filter(municipality=plan.municipality)
        .select_related("agreement")
        .prefetch_related("problems", "followups")
    )
    problems, seen = [], set()
    for measure in measures:
        for problem in sorted(measure.problems.all(), key=lambda p: (p.position, p.pk)):
            if problem.pk not in seen:
                seen.add(problem.pk)
                problems.append({name: getattr(problem, name) for name in PROBLEM_FIELDS})
    lagesbild = plan.lagesbild
    return {
        "schema": SCHEMA,
        "municipality": {"code": plan.municipality.code, "name": plan.municipality.name},
        "title": plan.title,
        "first_year": plan.first_year,
        "last_year": plan.last_year,
        "version": plan.number,
        "summary": plan.summary,
        "police_take_part": plan.police_take_part,
        "status": plan.status,
        "example_data": plan.example_data,
        "decision": decisions.as_dict(decisions.existing(plan)),
        "lagesbild": {
            "title": lagesbild.title,
            "period": {"start": _iso(lagesbild.period_start), "end": _iso(lagesbild.period_end)},
            "promise_year": lagesbild.promise_year,
            "problems": problems,
        },
        "measures": [
            {
                "ref": m.ref,
                "title": m.title,
                "description": m.description,
                "problems": [
                    p.title for p in sorted(m.problems.all(), key=lambda p: (p.position, p.pk))
                ],
                "responsible": m.responsible,
                "partners": m.partners,
                "with_police": m.with_police,
                "starts": _iso(m.starts),
                "ends": _iso(m.ends),
                "hours": m.hours,
                "cost": m.cost,
                "expected_effect": m.expected_effect,
                "indicator": m.indicator,
                "commitment": {"year": m.agreement.year, "ref": m.commitment_ref}
                if m.agreement_id and m.commitment_ref
                else None,
                "followup": [
                    {
                        "year": f.year,
                        "period": f.term,
                        "status": f.status,
                        "explanation": f.explanation,
                    }
                    for f in sorted(
                        m.followups.all(), key=lambda f: (f.year, TERM_ORDER.get(f.term, 0))
                    )
                ],
            }
            for m in measures
        ],
    }


# --- Import ----------------------------------------------------------------------------------


def _date(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            _("%(where)s: not a date (YYYY-MM-DD): %(value)s") % {"where": where, "value": value}
        ) from exc


def _lagesbild_for(municipality, user, data: dict) -> tuple[Lagesbild, dict]:
    """The kommun's lägesbild for the period (or a new one) and its problems by title."""
    start = _date(data["period"]["start"], _("Situational picture"))
    end = _date(data["period"]["end"], _("Situational picture"))
    lagesbild = Lagesbild.objects.filter(
        municipality=municipality, period_start=start, period_end=end
    ).first()
    if lagesbild is None:
        lagesbild = lagesbild_services.create_lagesbild(
            municipality,
            user,
            title=data["title"],
            period_start=start,
            period_end=end,
            promise_year=data.get("promise_year") or end.year + 1,
        )
    by_title = {p.title: p for p in lagesbild.problems.filter(municipality=municipality)}
    for problem in data.get("problems", []):
        if problem["title"] in by_title:
            continue
        values = {name: problem.get(name) or "" for name in PROBLEM_FIELDS}
        by_title[problem["title"]] = lagesbild_services.add_problem(lagesbild, user, **values)
    return lagesbild, by_title


@transaction.atomic
def import_plan(municipality, user, data: dict) -> tuple[ActionPlan, list[str]]:
    """Create the plan of `data` (an export) in `municipality`. Returns it and notes on
    what could not be kept."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ValidationError(_("Not an action plan export (%(schema)s).") % {"schema": SCHEMA})
    notes: list[str] = []
    lagesbild, problems = _lagesbild_for(municipality, user, data["lagesbild"])
    plan = services.create_plan(
        municipality,
        user,
        lagesbild=lagesbild,
        example_data=bool(data.get("example_data")),
        title=data["title"],
        first_year=int(data["first_year"]),
        last_year=int(data["last_year"]),
        summary=data.get("summary") or "",
        police_take_part=bool(data.get("police_take_part", True)),
    )
    for position, item in enumerate(data.get("measures", []), start=1):
        where = item.get("ref") or str(position)
        unknown = [t for t in item.get("problems", []) if t not in problems]
        if unknown:
            raise ValidationError(
                _("Measure %(ref)s names a problem that is not listed: %(title)s")
                % {"ref": where, "title": unknown[0]}
            )
        measure = services.add_measure(
            plan,
            user,
            problems=[problems[t] for t in item.get("problems", [])],
            title=item["title"],
            description=item.get("description") or "",
            responsible=item["responsible"],
            partners=item.get("partners") or "",
            with_police=bool(item.get("with_police")),
            starts=_date(item["starts"], where),
            ends=_date(item["ends"], where),
            hours=item.get("hours"),
            cost=item.get("cost"),
            expected_effect=item["expected_effect"],
            indicator=item["indicator"],
        )
        if item.get("ref") and item["ref"] != measure.ref:
            measure.ref = item["ref"]
            measure.save(update_fields=["ref"])
        for followup in item.get("followup", []):
            if followup.get("period") not in MeasureFollowUp.Term.values:
                raise ValidationError(_("Measure %(ref)s: unknown period.") % {"ref": where})
            if followup.get("status") not in MeasureStatus.values:
                raise ValidationError(_("Measure %(ref)s: unknown status.") % {"ref": where})
            services.record_followup(
                measure,
                user,
                year=int(followup["year"]),
                term=followup["period"],
                status=followup["status"],
                explanation=followup.get("explanation") or "",
            )
        link = item.get("commitment")
        if link:
            agreement = Agreement.objects.filter(
                municipality=municipality,
                period_start__year=link["year"],
                versions__commitments__ref=link["ref"],
            ).first()
            if agreement is None:
                notes.append(
                    _(
                        "Measure %(ref)s: the commitment %(commitment)s was not linked "
                        "(no medborgarlöfte %(year)s with it in this kommun)."
                    )
                    % {"ref": where, "commitment": link["ref"], "year": link["year"]}
                )
            else:
                services.link_measure(
                    measure, user, agreement=agreement, commitment_ref=link["ref"]
                )
    if data.get("version") and int(data["version"]) != plan.number:
        ActionPlan.objects.filter(pk=plan.pk).update(number=int(data["version"]))
        plan.number = int(data["version"])
    decision = data.get("decision")
    if decision:
        values = {name: decision.get(name) or "" for name in decisions.FIELDS}
        values["decided_on"] = _date(decision.get("decided_on"), _("Decision"))
        recorded = decisions.record_decision(ActionPlanDecision, plan, user, **values)
        audit.record(
            user=user,
            action="decide_actionplan",
            obj=plan,
            summary=f"{plan}: {recorded}"[:300],
            after=decisions.state(recorded),
        )
        plan.status = ActionPlan.Status.DECIDED
        plan.save(update_fields=["status", "updated_at"])
    return plan, notes

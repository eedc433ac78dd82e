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

The upload page reads a file with `import_file(municipality, user, data, name, limits)`:
the upload gate, UTF-8 and JSON (importing/files.py), then `check_document`, which checks
every field with the forms of the pages (the same limits and the same personal-data scan)
and reports every problem with the file and the JSON path (`measures[1].starts`) before
anything is written; a problem the services find while writing rolls everything back. The
same file uploaded again in the same kommun changes nothing (ActionPlanImportRun, by
SHA-256).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from medborgarlofte.accounts import audit, decisions
from medborgarlofte.agreements.models import Agreement
from medborgarlofte.importing.files import check_file, decode_text, load_json, sha256_of
from medborgarlofte.importing.problems import ImportProblems, ProblemList
from medborgarlofte.kommuner.models import Place
from medborgarlofte.lagesbild import services as lagesbild_services
from medborgarlofte.lagesbild.forms import ProblemForm
from medborgarlofte.lagesbild.models import Lagesbild, Problem
from medborgarlofte.privacy.fields import describe

from . import services
from .forms import DecisionForm, FollowUpForm, MeasureForm, PlanDetailsForm
from .models import (
    ActionPlan,
    ActionPlanDecision,
    ActionPlanImportRun,
    MeasureFollowUp,
    MeasureStatus,
)

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
        .select_related("agreement", "place")
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
                "place": m.place.name if m.place_id else None,
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
def _place_named(municipality, name):
    """The kommun's active place of that name or alias (case as written aside), or None."""
    if not isinstance(name, str) or not name.strip():
        return None
    wanted = name.strip().casefold()
    for place in Place.objects.filter(municipality=municipality, active=True):
        if wanted in {place.name.casefold(), *(a.casefold() for a in place.aliases or [])}:
            return place
    return None


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
        place = _place_named(municipality, item.get("place"))
        if item.get("place") and place is None:
            notes.append(
                _(
                    "Measure %(ref)s: the place “%(place)s” is not in this kommun's list of "
                    "places; the measure was imported without a place."
                )
                % {"ref": where, "place": item["place"]}
            )
        measure = services.add_measure(
            plan,
            user,
            place=place,
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


# --- The upload: check every field first, then write all or nothing --------------------------


class PlanImportProblems(ImportProblems):
    """The problems of an åtgärdsplan file; nothing has been written."""


TEXT, INTEGER, BOOLEAN, LIST, OBJECT = "text", "integer", "boolean", "list", "object"
TYPE_NAMES = {
    TEXT: _("text"),
    INTEGER: _("a whole number"),
    BOOLEAN: _("true or false"),
    LIST: _("a list"),
    OBJECT: _("an object"),
}
PLAN_KEYS = {
    "title": TEXT,
    "first_year": INTEGER,
    "last_year": INTEGER,
    "summary": TEXT,
    "police_take_part": BOOLEAN,
    "version": INTEGER,
    "status": TEXT,
    "example_data": BOOLEAN,
}
LAGESBILD_KEYS = {"title": TEXT, "period": OBJECT, "promise_year": INTEGER, "problems": LIST}
PROBLEM_KEYS = dict.fromkeys(PROBLEM_FIELDS, TEXT)
MEASURE_KEYS = {
    "ref": TEXT,
    "title": TEXT,
    "description": TEXT,
    "problems": LIST,
    "responsible": TEXT,
    "partners": TEXT,
    "with_police": BOOLEAN,
    "place": TEXT,
    "starts": TEXT,
    "ends": TEXT,
    "hours": INTEGER,
    "cost": INTEGER,
    "expected_effect": TEXT,
    "indicator": TEXT,
    "commitment": OBJECT,
    "followup": LIST,
}
FOLLOWUP_KEYS = {"year": INTEGER, "period": TEXT, "status": TEXT, "explanation": TEXT}
DECISION_KEYS = dict.fromkeys(decisions.FIELDS, TEXT)
STATUSES = ("draft", "agreed", "decided")


def _is(kind: str, value) -> bool:
    return {
        TEXT: isinstance(value, str),
        INTEGER: isinstance(value, int) and not isinstance(value, bool),
        BOOLEAN: isinstance(value, bool),
        LIST: isinstance(value, list),
        OBJECT: isinstance(value, dict),
    }[kind]


def _path(base: str, key) -> str:
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f"{base}.{key}" if base else key


def _typed(problems: ProblemList, path: str, item, keys: dict) -> dict:
    """The keys of `item` that have the right type (null counts as absent); a wrong type
    is a problem at its path."""
    found = {}
    for key, kind in keys.items():
        value = item.get(key)
        if value is None:
            continue
        if _is(kind, value):
            found[key] = value
        else:
            problems.add(
                None,
                _path(path, key),
                _("must be %(kind)s") % {"kind": TYPE_NAMES[kind]},
            )
    return found


def _object(problems: ProblemList, path: str, item) -> bool:
    if isinstance(item, dict):
        return True
    problems.add(None, path, _("must be %(kind)s") % {"kind": TYPE_NAMES[OBJECT]})
    return False


def _form(out: ProblemList, path: str, form_class, values: dict, keys=None, **kwargs):
    """Validate with a page's form (its limits and its personal-data scan; `confirmed`
    is the upload form's "not personal data" box); each error is a problem at the JSON
    path of its field. The cleaned data, or None."""
    confirmed = out.confirmed
    form = form_class(data={**values, form_class.confirm_field: confirmed}, **kwargs)
    if form.is_valid():
        return form.cleaned_data
    keys = keys or {}
    for field, errors in form.errors.items():
        if field not in form.fields or field == form.confirm_field:
            for error in errors:
                out.add(None, path or None, error)
            continue
        where = _path(path, keys.get(field, field))
        label = str(form.fields[field].label or field)
        hits = form.personal_data_hits.get(field)
        if hits and not confirmed:
            out.add(
                None,
                where,
                _(
                    "“%(field)s” may contain personal data (%(kinds)s): remove it, or tick "
                    "that the file holds no personal data and upload it again"
                )
                % {"field": label, "kinds": describe(hits)},
            )
            errors = errors[1:]
        for error in errors:
            out.add(None, where, _("“%(field)s”: %(error)s") % {"field": label, "error": error})
    return None


class _ProblemFields(ProblemForm):
    """The lägesbild's problem form with the fields a file carries."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in PROBLEM_FIELDS and name != self.confirm_field:
                del self.fields[name]


def check_document(document, name: str, *, confirmed: bool = False) -> None:
    """Every problem of the document as PlanImportProblems (file, JSON path, field and
    message), before anything is written. `confirmed`: the uploader ticked that the
    texts the scanner marks are not personal data (as on the forms)."""
    problems = ProblemList(name, error=PlanImportProblems)
    problems.confirmed = confirmed
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        problems.add(
            None,
            "schema",
            _("not an action plan export: “schema” must be %(schema)s") % {"schema": SCHEMA},
        )
        problems.raise_if_any()
    plan = _typed(problems, "", document, PLAN_KEYS)
    details = _form(problems, "", PlanDetailsForm, plan)
    if details and details["last_year"] < details["first_year"]:
        problems.add(None, "last_year", _("The last year cannot be before the first year."))
    if "version" in plan and plan["version"] < 1:
        problems.add(None, "version", _("must be 1 or more"))
    if "status" in plan and plan["status"] not in STATUSES:
        problems.add(
            None, "status", _("must be one of %(values)s") % {"values": ", ".join(STATUSES)}
        )

    titles = _check_lagesbild(problems, document.get("lagesbild"))
    measures = document.get("measures")
    if measures is None:
        measures = []
    if not isinstance(measures, list):
        problems.add(None, "measures", _("must be %(kind)s") % {"kind": TYPE_NAMES[LIST]})
        measures = []
    refs: dict = {}
    for index, item in enumerate(measures):
        _check_measure(problems, _path("measures", index), item, titles, refs)

    decision = document.get("decision")
    if decision is not None and _object(problems, "decision", decision):
        values = _typed(problems, "decision", decision, DECISION_KEYS)
        _form(problems, "decision", DecisionForm, values)
    problems.raise_if_any()


def _check_lagesbild(problems: ProblemList, item) -> set | None:
    """The titles of the listed problems (None when the part cannot be read)."""
    if item is None:
        problems.add(None, "lagesbild", _("is required"))
        return None
    if not _object(problems, "lagesbild", item):
        return None
    values = _typed(problems, "lagesbild", item, LAGESBILD_KEYS)
    if not (values.get("title") or "").strip():
        problems.add(None, "lagesbild.title", _("is required"))
    period = values.get("period") or {}
    for key in ("start", "end"):
        where = f"lagesbild.period.{key}"
        try:
            date.fromisoformat(period.get(key))
        except (TypeError, ValueError):
            problems.add(None, where, _("must be a date (YYYY-MM-DD)"))
    titles = set()
    for index, problem in enumerate(values.get("problems", [])):
        where = _path("lagesbild.problems", index)
        if not _object(problems, where, problem):
            continue
        fields = _typed(problems, where, problem, PROBLEM_KEYS)
        if _form(problems, where, _ProblemFields, fields) and fields.get("title"):
            titles.add(fields["title"])
    return titles


def _check_measure(problems: ProblemList, path: str, item, titles, refs: dict) -> None:
    if not _object(problems, path, item):
        return
    values = _typed(problems, path, item, MEASURE_KEYS)
    if "ref" in values:
        first = refs.setdefault(values["ref"], path)
        if first != path:
            problems.add(
                None,
                _path(path, "ref"),
                _("the reference %(ref)s is already used by %(first)s")
                % {"ref": values["ref"], "first": first},
            )
    # the place is a name looked up in the importing kommun's gazetteer (import_plan)
    fields = {k: v for k, v in values.items() if k in services.MEASURE_FIELDS and k != "place"}
    _form(problems, path, MeasureForm, fields, problems=Problem.objects.none())
    for index, title in enumerate(values.get("problems", [])):
        where = _path(_path(path, "problems"), index)
        if not isinstance(title, str):
            problems.add(None, where, _("must be %(kind)s") % {"kind": TYPE_NAMES[TEXT]})
        elif titles is not None and title not in titles:
            problems.add(
                None,
                where,
                _("the problem “%(title)s” is not listed in lagesbild.problems") % {"title": title},
            )
    link = values.get("commitment")
    if link is not None:
        where = _path(path, "commitment")
        typed = _typed(problems, where, link, {"year": INTEGER, "ref": TEXT})
        for key in ("year", "ref"):
            if key not in typed:
                problems.add(None, _path(where, key), _("is required"))
    for index, followup in enumerate(values.get("followup", [])):
        where = _path(_path(path, "followup"), index)
        if not _object(problems, where, followup):
            continue
        fields = _typed(problems, where, followup, FOLLOWUP_KEYS)
        if "period" in fields:
            fields["term"] = fields.pop("period")
        _form(problems, where, FollowUpForm, fields, {"term": "period"})


def import_file(municipality, user, data: bytes, name: str, limits=None, *, confirmed=False):
    """Import an uploaded file: (plan, notes, imported). `imported` is False when the same
    file was imported before in this kommun (nothing changed; the plan it made is
    returned). Every refusal is PlanImportProblems and writes nothing."""
    check_file(data, name, {"json"}, limits, error=PlanImportProblems)
    document = load_json(
        decode_text(data, name, error=PlanImportProblems), name, error=PlanImportProblems
    )
    check_document(document, name, confirmed=confirmed)
    sha256 = sha256_of(data)
    earlier = (
        ActionPlanImportRun.objects.filter(
            municipality=municipality, sha256=sha256, plan__isnull=False
        )
        .select_related("plan")
        .first()
    )
    if earlier is not None:
        return earlier.plan, [], False
    if document.get("decision") and not decisions.can_decide(user, municipality):
        raise PlanImportProblems.single(
            name,
            None,
            "decision",
            _("the plan is decided: only a coordinator of the kommun may import it"),
        )
    try:
        with transaction.atomic():
            plan, notes = import_plan(municipality, user, document)
            ActionPlanImportRun.objects.create(
                municipality=municipality,
                plan=plan,
                file_name=name[:300],
                sha256=sha256,
                rows=plan.measures.count(),
                user=user,
            )
            audit.record(
                user=user,
                action="import_actionplan",
                obj=plan,
                summary=f"{plan} ({name})"[:300],
                after={"file": name, "sha256": sha256, "measures": plan.measures.count()},
            )
    except ValidationError as exc:
        raise PlanImportProblems.single(name, None, None, " ".join(exc.messages)) from None
    return plan, notes, True
